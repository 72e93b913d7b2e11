/**
 * The workflows deploy the user's config or nothing: no fallback to the example, and a push
 * that cannot change a stack (docs, tests) plans nothing. The commands' refusal of an unset
 * config variable, run as processes, is in processes/workflow-config.test.ts.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { action, loadWorkflow, WORKFLOWS_DIR, workflowFiles } from './support/workflows';

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
    const lines = workflowFiles.flatMap((file) => text(path.join(WORKFLOWS_DIR, file)).split('\n').filter((line) => line.includes('vars.DD_CLOUDTRAIL_CONFIG')));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/: \$\{\{ vars\.DD_CLOUDTRAIL_CONFIG \}\}$/);
    for (const file of workflowFiles) expect(text(path.join(WORKFLOWS_DIR, file))).not.toContain('examples/');
  });

  test('synthesize the config by name in every Terraform job: an unset variable stops there', () => {
    expect(action.runs.steps.filter((step) => /npm run synth\b/.test(step.run ?? '')).map((step) => step.run?.trim())).toEqual(['npm run synth -- --config "$DD_CLOUDTRAIL_CONFIG"']);
  });
});

describe('rollout.yml on push', () => {
  const on = (loadWorkflow('rollout.yml').on as { push: { branches: string[]; 'paths-ignore'?: string[] } }).push;
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
