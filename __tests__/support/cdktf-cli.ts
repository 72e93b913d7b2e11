/**
 * What the cdktf CLI 0.21.0 does with the output folder around running the app, for
 * `cdktf synth`, `list`, `diff` and `deploy`, ported line for line from `SynthStack.synth` and
 * `SynthStack.readSynthesizedStacks` in
 * https://github.com/hashicorp/terraform-cdk/blob/v0.21.0/packages/%40cdktf/cli-core/src/lib/synth-stack.ts
 * (also checked against the published @cdktf/cli-core@0.21.0 build), so that a test can hold
 * our output to what the CLI reads without the CLI's 420 MB install.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface CdktfStack {
  name: string;
  workingDirectory: string;
  content: string;
}

/** `SynthStack.readSynthesizedStacks`: every manifest entry, its stack file read and parsed. */
export function readSynthesizedStacks(outdir: string): CdktfStack[] {
  const manifestPath = path.join(outdir, 'manifest.json');
  if (!fs.existsSync(manifestPath)) {
    throw new Error(`Could not find manifest file at ${manifestPath}. In case --skip-synth was passed, please try again without the flag.`);
  }
  const stacks: CdktfStack[] = [];
  const manifest = JSON.parse(fs.readFileSync(manifestPath).toString()) as { stacks: Record<string, Record<string, string>> };
  for (const stackName in manifest.stacks) {
    const stack = manifest.stacks[stackName];
    const filePath = path.join(outdir, stack.synthesizedStackPath);
    const jsonFile = filePath.endsWith('.tf.json') ? filePath : path.join(outdir, stack.stackMetadataPath);
    const jsonContent: unknown = JSON.parse(fs.readFileSync(jsonFile).toString());
    stacks.push({ name: stack.name, workingDirectory: path.join(outdir, stack.workingDirectory), content: JSON.stringify(jsonContent, null, 2) });
  }
  return stacks;
}

/**
 * `SynthStack.synth`: lists the stack folders, runs the app with the CLI's environment, reads
 * the stacks back (and, for telemetry, each stack's `//`.metadata and required_providers),
 * then deletes each folder listed before that the manifest no longer names, without `force`.
 */
export function cdktfSynth(outdir: string, runApp: (env: Record<string, string>) => void): CdktfStack[] {
  const isDirectory = (source: string) => fs.lstatSync(source).isDirectory();
  const getDirectories = (source: string) => {
    if (!fs.existsSync(source)) return [];
    return fs
      .readdirSync(source)
      .map((name) => path.join(source, name))
      .filter(isDirectory);
  };
  const existingDirectories = getDirectories(path.join(outdir, 'stacks'));
  runApp({ CDKTF_OUTDIR: outdir, CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: 'true' });
  const stacks = readSynthesizedStacks(outdir);
  stacks.map((stack) => [(JSON.parse(stack.content) as Record<string, { metadata?: unknown }>)['//'].metadata, JSON.parse(stack.content).terraform.required_providers]);
  const stackNames = stacks.map((s) => s.name);
  const orphanedDirectories = existingDirectories.filter((e) => !stackNames.includes(path.basename(e)));
  for (const orphanedDirectory of orphanedDirectories) {
    fs.rmSync(orphanedDirectory, { recursive: true });
  }
  return stacks;
}
