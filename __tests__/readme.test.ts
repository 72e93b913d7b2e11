import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { SECURITY_PAGE, withRuleTable } from '../tools/rule-table-docs';
import { CONFIGURATION_PAGE, withReference } from '../tools/config-reference';

const ROOT = path.join(__dirname, '..');
const README = path.join(ROOT, 'README.md');
const readme = readFileSync(README, 'utf8');
const ciRun = readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8');
const PAGES = [README, ...readdirSync(path.join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => path.join(ROOT, 'docs', name))];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
const anchorOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

/** The anchors of a Markdown page's headings, outside code blocks. */
function anchors(file: string): Set<string> {
  let inCode = false;
  const found = new Set<string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('```')) inCode = !inCode;
    const heading = /^#+ (.*)$/.exec(line);
    if (heading && !inCode) found.add(anchorOf(heading[1]));
  }
  return found;
}

/** Every relative link of a Markdown page, outside code blocks, that does not resolve. */
function brokenLinks(file: string): string[] {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1])
    .filter((link) => !/^(https?|mailto):/.test(link))
    .filter((link) => {
      const [target, anchor] = link.split('#');
      const resolved = target ? path.resolve(path.dirname(file), target) : file;
      if (!existsSync(resolved)) return true;
      return anchor !== undefined && resolved.endsWith('.md') && !anchors(resolved).has(anchor);
    })
    .map((link) => `${path.relative(ROOT, file)}: ${link}`);
}

describe('docs', () => {
  test('the config reference matches config/schema.json (run `npm run docs` to update it)', () => {
    const page = readFileSync(CONFIGURATION_PAGE, 'utf8');
    expect(page).toBe(withReference(page));
  });

  test('the security rule table matches rules/rules.ts (run `npm run docs` to update it)', () => {
    const page = readFileSync(SECURITY_PAGE, 'utf8');
    expect(page).toBe(withRuleTable(page));
  });

  test('every relative link of the README and docs/ reaches a file, and every anchor a heading', () => {
    expect(PAGES.flatMap(brokenLinks)).toEqual([]);
  });

  test('the README is read in one sitting: at most 300 lines', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(300);
  });
});

describe('the deploying page', () => {
  const deploying = readFileSync(path.join(ROOT, 'docs', 'DEPLOYING.md'), 'utf8');
  const section = deploying.slice(deploying.indexOf('## What you still do by hand'), deploying.indexOf('## Coming from'));

  test.each(['Secrets Manager', 'unscoped', 'notify', 'trusted access', 'canary', 'rate-limits'])('lists what stays manual after deploy: %s', (step) => {
    expect(section).toContain(step);
  });
});

test("the security page states what a member's unnarrowed s3:ListBucket exposes", () => {
  expect(readFileSync(SECURITY_PAGE, 'utf8')).toMatch(/\*\*exposure\*\*: `s3:ListBucket` on the whole trail bucket, with no `s3:prefix` condition/);
});

describe('README commands', () => {
  test.each(['npm ci && npm run synth', 'npm run lint', 'npm test'])('gives the command `%s`, which CI runs as written', (command) => {
    expect(readme).toContain(command);
    expect(ciRun.split('\n')).toContain(command);
  });

  test("copies the example where its \"$schema\" still resolves to config/schema.json", () => {
    const copy = /cp examples\/(\S+\.json) (\S+\.json)/.exec(readme);
    expect(copy).not.toBeNull();
    const [, example, destination] = copy as RegExpExecArray;
    const schema = (JSON.parse(readFileSync(path.join(ROOT, 'examples', example), 'utf8')) as { $schema: string }).$schema;
    expect(path.resolve(ROOT, path.dirname(destination), schema)).toBe(path.join(ROOT, 'config', 'schema.json'));
    expect(existsSync(path.join(ROOT, 'config', 'schema.json'))).toBe(true);
  });
});

describe('docs/DEPLOYING.md', () => {
  const deploying = readFileSync(path.join(ROOT, 'docs', 'DEPLOYING.md'), 'utf8');

  test('shows the offline cdktf deploy that the tests run: with --skip-provider-lock, since cdktf locks providers against the registry', () => {
    expect(deploying).toContain('npx cdktf deploy prod --skip-provider-lock');
    expect(deploying).toMatch(/providers lock[\s\S]*ignores your mirror/);
  });

  test('shows the plain-Terraform path with a plugin cache and the lock file kept across synths', () => {
    expect(deploying).toContain('export TF_PLUGIN_CACHE_DIR=');
    expect(deploying).toContain('cp ../../../.terraform.lock.hcl .');
  });
});
