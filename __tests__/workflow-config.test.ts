/**
 * The workflows deploy the user's config or nothing: no fallback to the example, and a push
 * that cannot change a stack (docs, tests) plans nothing.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { tempDir } from './support/configs';

const ROOT = path.join(__dirname, '..');
const DIR = path.join(ROOT, '.github', 'workflows');
const ACTION = path.join(ROOT, '.github', 'actions', 'terraform-job', 'action.yml');
const workflows = readdirSync(DIR).filter((file) => /\.ya?ml$/.test(file)).sort();
const text = (file: string) => readFileSync(file, 'utf8');

/**
 * GitHub's filter patterns, as far as the roll-out uses them: `**` matches any characters,
 * `/` included; `*` any but `/`
 * (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax#filter-pattern-cheat-sheet).
 */
const matches = (pattern: string, file: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*\*|\*/g, (star) => (star === '**' ? '.*' : '[^/]*'))}$`).test(file);
/** "When all the path names match patterns in paths-ignore, the workflow will not run." (same page) */
const runsOnPush = (ignored: string[], files: string[]) => !files.every((file) => ignored.some((pattern) => matches(pattern, file)));

describe('the workflows', () => {
  test('read the config from the repository variable alone, never the example', () => {
    const lines = workflows.flatMap((file) => text(path.join(DIR, file)).split('\n').filter((line) => line.includes('vars.DD_CLOUDTRAIL_CONFIG')));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/: \$\{\{ vars\.DD_CLOUDTRAIL_CONFIG \}\}$/);
    for (const file of workflows) expect(text(path.join(DIR, file))).not.toContain('examples/');
  });

  test('synthesize the config by name in every Terraform job: an unset variable stops there', () => {
    const steps = (yaml.load(text(ACTION)) as { runs: { steps: Array<{ run?: string }> } }).runs.steps;
    expect(steps.filter((step) => /npm run synth\b/.test(step.run ?? '')).map((step) => step.run?.trim())).toEqual(['npm run synth -- --config "$DD_CLOUDTRAIL_CONFIG"']);
  });

  test.each([
    ['stacks', 'commands/stacks.ts', ['--json']],
    ['shards', 'rollout/shards.ts', ['--max-jobs', '100']],
  ])('refuse, through npm run %s, to run with the variable unset, saying which variable to set', (_name, script, args) => {
    const result = spawnSync(process.execPath, ['--require', path.join(ROOT, 'synth', 'register.js'), path.join(ROOT, script), ...args, '--config', ''], {
      cwd: tempDir(),
      encoding: 'utf8',
      env: { ...process.env, DD_CLOUDTRAIL_CONFIG: '' },
    });

    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('--config names no file (its value is empty)');
    expect(result.stderr).toContain('in GitHub Actions, set the repository variable DD_CLOUDTRAIL_CONFIG');
  });
});

describe('rollout.yml on push', () => {
  const on = (yaml.load(text(path.join(DIR, 'rollout.yml'))) as { on: { push: { branches: string[]; 'paths-ignore'?: string[] } } }).on.push;
  const ignored = on['paths-ignore'] ?? [];

  test.each([
    [['README.md']],
    [['docs/ROLLOUT.md', 'README.md']],
    [['__tests__/shards.test.ts']],
  ])('plans nothing for a push of %j', (files) => {
    expect(runsOnPush(ignored, files)).toBe(false);
  });

  test.each([
    [['configs/acme.json']],
    [['README.md', 'configs/acme.json']],
    [['stacks/trail.ts']],
    [['package-lock.json']],
    [['.github/workflows/rollout-round.yml']],
  ])('rolls out a push of %j', (files) => {
    expect(runsOnPush(ignored, files)).toBe(true);
  });
});
