/**
 * The Python runtime each Datadog-Forwarder layer was built for. Each forwarder release
 * publishes one layer; `aws/logs_monitoring/template.yaml` names both (`Mappings.Constants.
 * DdForwarder.Version` / `LayerVersion`) beside the function's `Runtime`. Built from that
 * file's history in https://github.com/DataDog/datadog-serverless-functions (every commit of
 * it on master, the commits that changed the runtime, and each `aws-dd-forwarder-*` release
 * tag's layer, up to `aws-dd-forwarder-5.4.11`, the newest tag on 2026-08-14), checked against
 * `tools/build_bundle.sh`'s PYTHON_VERSION. A layer runs only on its own runtime: layer 48
 * failed on a newer one (datadog-serverless-functions issue 773).
 */
import schema from './schema.json';
import type { ForwarderSettings } from './types';

export type ForwarderRuntime = NonNullable<ForwarderSettings['runtime']>;

/** The runtimes the config accepts (the schema's enum): those Lambda has not deprecated (see PYTHON_RUNTIMES). */
export const FORWARDER_RUNTIMES = schema.definitions.forwarder.properties.runtime.enum as readonly ForwarderRuntime[];

type PythonRuntime = 'python3.7' | 'python3.8' | 'python3.9' | 'python3.10' | 'python3.11' | 'python3.12' | 'python3.13' | 'python3.14';

/**
 * When Lambda deprecates each Python runtime: no more patches, then no function created, then
 * none updated with it (https://docs.aws.amazon.com/lambda/latest/dg/runtime-support-policy.html).
 * The dates are Lambda's runtime tables (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html,
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-python.html) or, where AWS moved a date
 * later, the AWS Health notice that moved it, as checked on RUNTIMES_CHECKED_ON.
 */
export const PYTHON_RUNTIMES: Readonly<Record<PythonRuntime, { deprecated: string; source: string }>> = {
  'python3.7': { deprecated: '2023-12-04', source: 'Lambda runtime table (long past; not re-checked)' },
  'python3.8': { deprecated: '2024-10-14', source: 'AWS Health notice quoted in aws-solutions/aws-control-tower-customizations issue 193' },
  'python3.9': { deprecated: '2025-12-15', source: 'AWS Health notice quoted in data-dot-all/dataall issue 1842' },
  'python3.10': { deprecated: '2026-10-31', source: 'AWS Health notice quoted in aws-samples/iam-identity-center-team issue 535 (moved from 2026-06-30)' },
  'python3.11': { deprecated: '2027-06-30', source: 'Lambda runtime table as of 2026-04 (moved from 2026-06-30; block create 2027-07-31)' },
  'python3.12': { deprecated: '2028-10-31', source: 'lambda-python.html' },
  'python3.13': { deprecated: '2029-06-30', source: 'lambda-python.html' },
  'python3.14': { deprecated: '2029-06-30', source: 'lambda-python.html' },
};
/** The day PYTHON_RUNTIMES and the schema's runtimes were last checked against Lambda's table. */
export const RUNTIMES_CHECKED_ON = '2026-12-04';

interface LayerRange {
  first: number;
  last: number;
  runtime: PythonRuntime;
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

/**
 * Layer numbers no version of the template on master ever carried (the release script
 * skipped them): 58; 100 (5.4.1 carries 99, 5.4.2 101); 107 (5.4.7 and 5.4.8, one commit,
 * carry 106; 5.4.9 carries 108). Layers 59 and 68 are in no release tag but were in the
 * template between releases, so they stay selectable.
 */
const UNRELEASED_LAYERS: readonly number[] = [58, 100, 107];

/** The newest layer the table knows, of the newest forwarder release (aws-dd-forwarder-5.4.11): the default. */
export const NEWEST_LAYER = LAYER_RUNTIMES[LAYER_RUNTIMES.length - 1].last;

/**
 * The first layer of each forwarder behaviour the stacks rely on, from the template and code
 * history of https://github.com/DataDog/datadog-serverless-functions.
 */
export const LAYER_FEATURES = {
  /** S3 events through EventBridge (`detail-type` Object Created): tag 5.3.0, commit 2df78ace (#1052). */
  eventBridgeS3Events: { layer: 97, release: '5.3.0' },
  /** Failed sends stored in SQS (DD_SQS_QUEUE_URL, retry/sqs_storage.py): tag 5.3.0, commit f52fbe70 (#1063). */
  sqsFailedEventStore: { layer: 97, release: '5.3.0' },
  /** Logs the intake refuses (HTTP 4xx/5xx) are stored too, not dropped: tag 5.4.2, commit 439af173 (#1131). */
  storesRefusedLogs: { layer: 101, release: '5.4.2' },
} as const;

export type LayerRuntime = { runtime: PythonRuntime; source: string } | undefined;

/** The runtime `layerVersion` was built for; undefined for a layer Datadog never released in its template. */
export function layerRuntime(layerVersion: number): LayerRuntime {
  if (UNRELEASED_LAYERS.includes(layerVersion)) return undefined;
  const range = LAYER_RUNTIMES.find((candidate) => layerVersion >= candidate.first && layerVersion <= candidate.last);
  return range && { runtime: range.runtime, source: range.source };
}
