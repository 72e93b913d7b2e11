/**
 * Imports run one way. The product: config/ (the contract, resolution, the account plans,
 * names and ARNs) <- policies/ (pure documents) <- stacks/ (constructs) <- rules/ (the
 * security rule table) <- synth/ (stage, check, swap). Around it: commands/ (what users run)
 * <- rollout/ (CI orchestration) and tools/ (developer tools).
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');
const LAYERS = ['config', 'policies', 'stacks', 'rules', 'synth', 'commands', 'rollout', 'tools'] as const;

/** Every relative import of every TypeScript file under `dir`, as the layer it reaches. */
function importsOf(dir: string): Array<{ file: string; layer: string }> {
  return readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .flatMap((entry) => {
      const file = path.join(entry.parentPath, entry.name);
      const source = readFileSync(file, 'utf8');
      return [...source.matchAll(/^\s*(?:import|export)\s[^'"]*from\s+'(\.[^']+)'/gm)].map((match) => ({
        file: path.relative(ROOT, file),
        layer: path.relative(ROOT, path.resolve(path.dirname(file), match[1])).split(path.sep)[0],
      }));
    });
}

// tools/ is the top: it may import every layer.
describe.each(LAYERS.slice(0, -1).map((layer, index) => [layer, LAYERS.slice(index + 1)] as const))('%s/', (layer, above) => {
  test(`imports nothing of ${above.join(', ')}`, () => {
    expect(importsOf(layer).filter((entry) => (above as readonly string[]).includes(entry.layer))).toEqual([]);
  });
});

test('every construct of stacks/ has its specification in __tests__/constructs/, named after its file', () => {
  const constructs = readdirSync(path.join(ROOT, 'stacks')).filter(
    (file) => file.endsWith('.ts') && /^export class \w+ extends Construct\b/m.test(readFileSync(path.join(ROOT, 'stacks', file), 'utf8')),
  );
  const specs = new Set(readdirSync(path.join(__dirname, 'constructs')));

  expect(constructs.length).toBeGreaterThan(10);
  expect(constructs.filter((file) => !specs.has(file.replace(/\.ts$/, '.test.ts')))).toEqual([]);
});
