/**
 * The Python runtime each Datadog-Forwarder layer was built for. Each forwarder release
 * publishes one layer; `aws/logs_monitoring/template.yaml` names both (`Mappings.Constants.
 * DdForwarder.Version` / `LayerVersion`) beside the function's `Runtime`. Built from that
 * file's history in https://github.com/DataDog/datadog-serverless-functions (the commits that
 * changed the runtime, and each release tag's layer), checked against
 * `tools/build_bundle.sh`'s PYTHON_VERSION. A layer runs only on its own runtime: layer 48
 * failed on a newer one (datadog-serverless-functions issue 773).
 */
import schema from './schema.json';
import type { ForwarderSettings } from './types';

export type ForwarderRuntime = NonNullable<ForwarderSettings['runtime']>;

/** The runtimes the config accepts (the schema's enum): those Lambda supports past 2026. */
export const FORWARDER_RUNTIMES = schema.definitions.forwarder.properties.runtime.enum as readonly ForwarderRuntime[];

interface LayerRange {
  first: number;
  last: number;
  runtime: ForwarderRuntime | 'python3.7' | 'python3.8' | 'python3.9' | 'python3.10' | 'python3.14';
  /** The forwarder releases of these layers, and the commit that moved the template to the runtime. */
  source: string;
}

const LAYER_RUNTIMES: readonly LayerRange[] = [
  { first: 1, last: 16, runtime: 'python3.7', source: 'forwarder 3.33.0-3.48.0' },
  { first: 17, last: 30, runtime: 'python3.8', source: 'forwarder 3.49.0-3.73.0, commit cab23830 (#566)' },
  { first: 31, last: 41, runtime: 'python3.9', source: 'forwarder 3.74.0-3.97.0, commit 12dff7a4 (#667)' },
  { first: 42, last: 42, runtime: 'python3.10', source: 'forwarder 3.98.0, commit 87e0a1a2 (#719)' },
  { first: 43, last: 70, runtime: 'python3.11', source: 'forwarder 3.99.0-3.132.0, commit 45a33a58 (#722)' },
  { first: 71, last: 87, runtime: 'python3.12', source: 'forwarder 3.133.0-4.12.0, commit 7e428989 (#878)' },
  { first: 88, last: 93, runtime: 'python3.13', source: 'forwarder 4.13.0-5.1.1, commit ba1039c5 (#924)' },
  { first: 94, last: 110, runtime: 'python3.14', source: 'forwarder 5.2.0-5.4.11, commit 83cc8d83 (#1048)' },
];

/** Layer numbers no release of the template ever carried (the release script skipped them). */
const UNRELEASED_LAYERS: readonly number[] = [58, 100];

export type LayerRuntime = { runtime: LayerRange['runtime']; source: string } | undefined;

/** The runtime `layerVersion` was built for; undefined for a layer Datadog never released in its template. */
export function layerRuntime(layerVersion: number): LayerRuntime {
  if (UNRELEASED_LAYERS.includes(layerVersion)) return undefined;
  const range = LAYER_RUNTIMES.find((candidate) => layerVersion >= candidate.first && layerVersion <= candidate.last);
  return range && { runtime: range.runtime, source: range.source };
}
