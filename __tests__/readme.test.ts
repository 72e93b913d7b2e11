import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { readmeWithRuleTable } from '../tools/rule-table-docs';
import { README, readmeWithReference } from '../tools/config-reference';

const ROOT = path.join(__dirname, '..');
const readme = readFileSync(README, 'utf8');
const ciRun = readFileSync(path.join(__dirname, '..', '.ci', 'run'), 'utf8');

describe('README', () => {
  test('config reference matches config/schema.json (run `npm run docs` to update it)', () => {
    expect(readme).toBe(readmeWithReference(readme));
  });

  test('security rule table matches rules/rules.ts (run `npm run docs` to update it)', () => {
    expect(readme).toBe(readmeWithRuleTable(readme));
  });

  test.each(['npm ci && npm run synth', 'npm test'])('gives the command `%s`, which CI runs as written', (command) => {
    expect(readme).toContain(command);
    expect(ciRun.split('\n')).toContain(command);
  });
});

describe('README commands', () => {
  test("copies the example where its \"$schema\" still resolves to config/schema.json", () => {
    const copy = /cp examples\/(\S+\.json) (\S+\.json)/.exec(readme);
    expect(copy).not.toBeNull();
    const [, example, destination] = copy as RegExpExecArray;
    const schema = (JSON.parse(readFileSync(path.join(ROOT, 'examples', example), 'utf8')) as { $schema: string }).$schema;
    expect(path.resolve(ROOT, path.dirname(destination), schema)).toBe(path.join(ROOT, 'config', 'schema.json'));
    expect(existsSync(path.join(ROOT, 'config', 'schema.json'))).toBe(true);
  });
});
