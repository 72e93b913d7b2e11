/**
 * Every step of the workflows that handles a list of stacks, run as the runner runs it (its
 * workflow, job and step `env`, expressions substituted with their values in a roll-out of
 * 5,000 stacks of 40-character names, then `bash -e` on its script), with the real commands
 * behind `npm run`. Linux refuses one environment string or argument over 128 KiB
 * (MAX_ARG_STRLEN, execve(2)); 5,000 names of 40 characters are 205,000.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import type { ShardReport, StackResult } from '../../rollout/shard-runner';
import { generateOrganization } from '../../tools/generate-organization';
import { tempDir, writeConfig } from '../support/configs';

const ROOT = path.join(__dirname, '..', '..');

interface Step {
  id?: string;
  name?: string;
  run?: string;
  env?: Record<string, string>;
}
interface Job {
  env?: Record<string, string>;
  steps?: Step[];
}
interface Workflow {
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}
const workflow = (file: string) => yaml.load(readFileSync(path.join(ROOT, '.github', 'workflows', file), 'utf8')) as Workflow;
const action = yaml.load(readFileSync(path.join(ROOT, '.github', 'actions', 'terraform-job', 'action.yml'), 'utf8')) as { runs: { steps: Step[] } };

const NAMES = Array.from({ length: 5000 }, (_, i) => `acct-${String(i).padStart(5, '0')}-`.padEnd(40, 'x'));
const LIST = NAMES.join(' ');
const lines = (names: string[]) => names.map((name) => `${name}\n`).join('');

/** An organization of the 5,000 stacks, every one in wave 1. */
function bigConfig(): string {
  const config = generateOrganization(NAMES.length - 2);
  config.accounts.forEach((account, i) => {
    account.name = NAMES[i];
    account.wave = 1;
  });
  config.organization = { ...config.organization, logArchiveAccount: NAMES[0], managementAccount: NAMES[1] } as typeof config.organization;
  return writeConfig(config);
}

/**
 * Values of the expressions in a roll-out of the 5,000 stacks; lists wherever a list of stacks
 * could be (a workflow_dispatch input holds at most 65,535 characters, so `inputs.stacks` of a
 * dispatch is no such list).
 */
const CONTEXT: Record<string, string> = {
  'inputs.wave': '1',
  'inputs.round': '2',
  "inputs.stacks-artifact != ''": 'true',
  'github.token': 'ghs_token',
  'needs.shards.outputs.stacks': LIST,
  'needs.round-1.outputs.stacks': LIST,
  'needs.plan-shards.outputs.stacks': LIST,
  'needs.diff.outputs.stacks': JSON.stringify(NAMES),
  'matrix.stacks': LIST,
};

function evaluate(expression: string, context: Record<string, string>): string {
  for (const part of expression.split('||').map((p) => p.trim())) {
    const literal = /^'(.*)'$/.exec(part);
    if (literal) return literal[1];
    if (context[part]) return context[part];
  }
  return '';
}
const substitute = (text: string, context: Record<string, string>) => text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_match, expression: string) => evaluate(expression, context));

/** A workspace with `npm run` running the real commands and a `node` that records the shard runner's list. */
function workspace() {
  const cwd = tempDir('ddct-lists-');
  const bin = path.join(cwd, '.bin');
  mkdirSync(bin);
  const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const cases = Object.entries(scripts)
    .flatMap(([name, command]) => {
      const file = /(\S+\.ts)$/.exec(command)?.[1];
      return file ? [`  ${name}) file=${file} ;;`] : [];
    })
    .join('\n');
  writeFileSync(
    path.join(bin, 'npm'),
    `#!/usr/bin/env bash\n[ "$1" = run ] && [ "$2" = --silent ] || exit 99\nscript=$3; shift 3; [ "$1" = -- ] && shift\ncase "$script" in\n${cases}\n  *) exit 98 ;;\nesac\nexec "${process.execPath}" --require "${ROOT}/synth/register.js" "${ROOT}/$file" "$@"\n`,
  );
  // The shard runner itself is specified elsewhere: here, how many stacks reach it.
  writeFileSync(
    path.join(bin, 'node'),
    `#!/usr/bin/env bash\nprev=\nfor arg in "$@"; do if [ "$prev" = --stacks-file ]; then grep -c . "$arg" > .stacks-seen; fi; prev=$arg; done\n`,
  );
  for (const file of ['npm', 'node']) chmodSync(path.join(bin, file), 0o755);
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
    writeFileSync(path.join(cwd, file), text);
  };
  const read = (file: string) => readFileSync(path.join(cwd, file), 'utf8');
  return { cwd, bin, write, read };
}

/** Runs `step` of `job` of `file` as the runner does, in `space`. */
function runStep(space: ReturnType<typeof workspace>, file: string, job: string, find: (step: Step) => boolean, context: Record<string, string>) {
  const definition = workflow(file);
  const step = definition.jobs[job].steps?.find(find) as Step;
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...definition.env, ...definition.jobs[job].env, ...step.env })) env[key] = substitute(String(value), { ...CONTEXT, ...context });
  return runScript(space, step.run as string, env);
}

function runScript(space: ReturnType<typeof workspace>, script: string, env: Record<string, string>) {
  space.write('.step.sh', script);
  space.write('.github-output', '');
  const result = spawnSync('bash', ['-e', '.step.sh'], {
    cwd: space.cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env, PATH: `${space.bin}${path.delimiter}${process.env.PATH}`, GITHUB_OUTPUT: path.join(space.cwd, '.github-output'), GITHUB_STEP_SUMMARY: path.join(space.cwd, '.summary') },
  });
  return { ...result, error: result.error?.message, output: space.read('.github-output') };
}

const report = (command: ShardReport['command'], shard: string, result: (stack: string, i: number) => StackResult): ShardReport => ({
  command,
  shard,
  offline: false,
  finished: true,
  seconds: 1,
  stacks: NAMES.map((stack, i) => ({ stack, result: result(stack, i) })),
});
const byName = (name: string) => (step: Step) => step.name === name;
const byId = (id: string) => (step: Step) => step.id === id;
const reporting = (step: Step) => /rollout-report/.test(step.run ?? '');
const shardRunner = (step: Step) => /(shard -- |shard\.ts )(plan|apply)/.test(step.run ?? '');

describe('steps that handle 5,000 stacks of 40 characters', () => {
  const config = bigConfig();

  test('rollout-round.yml shards the stacks to plan again from a file, and writes the lists to files', () => {
    const space = workspace();
    space.write('selected/stacks.txt', lines(NAMES));

    const result = runStep(space, 'rollout-round.yml', 'shards', byId('shards'), { 'vars.DD_CLOUDTRAIL_CONFIG': config });

    expect(result.error).toBeUndefined();
    expect(result.status).toBe(0);
    expect(space.read('shards/stacks.txt')).toBe(lines(NAMES));
    expect(result.output).toContain('count=100\n');
  }, 60_000);

  test('drift.yml shards every stack into files', () => {
    const space = workspace();

    const result = runStep(space, 'drift.yml', 'shards', byId('shards'), { 'vars.DD_CLOUDTRAIL_CONFIG': config });

    expect(result.error).toBeUndefined();
    expect(result.status).toBe(0);
    expect(space.read('shards/stacks.txt')).toBe(lines(NAMES));
  }, 60_000);

  test('plan.yml shards the changed stacks of the diff', () => {
    const space = workspace();
    space.write('diff.json', JSON.stringify({ changedStacks: NAMES }));

    const result = runStep(space, 'plan.yml', 'plan-shards', byId('shards'), { 'vars.DD_CLOUDTRAIL_CONFIG': config });

    expect(result.error).toBeUndefined();
    expect(result.status).toBe(0);
    expect(space.read('shards/stacks.txt')).toBe(lines(NAMES));
  }, 60_000);

  test.each([
    ['rollout-round.yml', 'plan', 'w1-r2-001'],
    ['rollout-round.yml', 'apply', 'w1-r2-001'],
    ['drift.yml', 'plan', 'drift-001'],
    ['plan.yml', 'plan', 'pr-001'],
  ])('%s %s hands a shard of all of them to the shard runner', (file, job, shard) => {
    const space = workspace();
    space.write(`shards/${shard}.txt`, lines(NAMES));

    const result = runStep(space, file, job, shardRunner, { 'matrix.shard': shard });

    expect(result.error).toBeUndefined();
    expect(result.status).toBe(0);
    expect(space.read('.stacks-seen')).toBe('5000\n');
  });

  test('the terraform-job action checks the backend of each stack of the list', () => {
    const space = workspace();
    space.write('shards/w1-r2-001.txt', lines(NAMES));
    const refuse = action.runs.steps.find(byName('Refuse local state')) as Step;
    const context = { ...CONTEXT, 'inputs.stacks': LIST, 'inputs.stacks-file': 'shards/w1-r2-001.txt' };
    const env = Object.fromEntries(Object.entries(refuse.env ?? {}).map(([key, value]) => [key, substitute(value, context)]));

    const result = runScript(space, refuse.run as string, env);

    expect(result.error).toBeUndefined();
    expect(result.status).toBe(0);
  });

  test('rollout-round.yml collects the stacks to plan again into a file', () => {
    const space = workspace();
    space.write('shards/stacks.txt', lines(NAMES));
    space.write('reports/plan-w1-r2-001/plan.json', JSON.stringify(report('plan', 'w1-r2-001', () => 'changes')));
    space.write('reports/apply-w1-r2-001/apply.json', JSON.stringify(report('apply', 'w1-r2-001', (_s, i) => (i % 1000 === 7 ? 'stale' : 'applied'))));

    const result = runStep(space, 'rollout-round.yml', 'collect', reporting, {});

    expect(result.error).toBeUndefined();
    expect(result.status).toBe(0);
    expect(space.read('replan/stacks.txt')).toBe(lines(NAMES.filter((_s, i) => i % 1000 === 7)));
    expect(result.output).toContain('count=5\n');
  }, 60_000);

  test('rollout-wave.yml reports the wave', () => {
    const space = workspace();
    space.write('reports/shards-w1-r1/stacks.txt', lines(NAMES));
    space.write('reports/plan-w1-r1-001/plan.json', JSON.stringify(report('plan', 'w1-r1-001', () => 'changes')));
    space.write('reports/apply-w1-r1-001/apply.json', JSON.stringify(report('apply', 'w1-r1-001', () => 'applied')));

    const result = runStep(space, 'rollout-wave.yml', 'report', reporting, {});

    expect(result.error).toBeUndefined();
    expect(result.status).toBe(0);
    expect(space.read('report.md')).toContain('5000 applied');
  }, 60_000);

  test('drift.yml reports the drift', () => {
    const space = workspace();
    space.write('shards/stacks.txt', lines(NAMES));
    space.write('reports/plan-drift-001/plan.json', JSON.stringify(report('plan', 'drift-001', () => 'no-changes')));

    const result = runStep(space, 'drift.yml', 'report', reporting, {});

    expect(result.error).toBeUndefined();
    expect(result.status).toBe(0);
    expect(space.read('drift.md')).toContain('0 of 5000 stacks drifted');
  }, 60_000);

  test("plan.yml reports every changed stack's plan", () => {
    const space = workspace();
    space.write('shards/stacks.txt', lines(NAMES));
    space.write('reports/plan-pr-001/plan.json', JSON.stringify(report('plan', 'pr-001', () => 'no-changes')));

    const result = runStep(space, 'plan.yml', 'plan-report', reporting, {});

    expect(result.error).toBeUndefined();
    expect(result.status).toBe(0);
    expect(space.read('plan.md')).toContain('5000 no-changes');
  }, 60_000);
});
