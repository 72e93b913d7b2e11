/**
 * The example configs (examples/*.json), synthesized exactly as `npm run synth` does: read by
 * the in-process tests and planned by the ones that run terraform.
 */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { type Synthesized, synthFile } from './synth';

const EXAMPLES_DIR = path.join(__dirname, '..', '..', 'examples');

/** Every example config's file name, sorted. */
export const EXAMPLE_FILES = readdirSync(EXAMPLES_DIR).filter((file) => file.endsWith('.json')).sort();

/** Synthesizes examples/`file` into a fresh temporary directory. */
export const synthExample = (file: string): Synthesized => synthFile(path.join(EXAMPLES_DIR, file));
