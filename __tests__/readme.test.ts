import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { readmeWithRuleTable } from '../scripts/check/readme-table';
import { README, readmeWithReference } from '../scripts/config-reference';

const readme = readFileSync(README, 'utf8');
const ciRun = readFileSync(path.join(__dirname, '..', '.ci', 'run'), 'utf8');

describe('README', () => {
  test('config reference matches config/schema.json (run `npm run docs` to update it)', () => {
    expect(readme).toBe(readmeWithReference(readme));
  });

  test('security rule table matches scripts/check/rules.ts (run `npm run docs` to update it)', () => {
    expect(readme).toBe(readmeWithRuleTable(readme));
  });

  test.each(['npm ci && npm run synth', 'npm test'])('gives the command `%s`, which CI runs as written', (command) => {
    expect(readme).toContain(command);
    expect(ciRun.split('\n')).toContain(command);
  });
});
