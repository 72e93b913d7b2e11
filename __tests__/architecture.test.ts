/**
 * Imports run one way. The product: config/ (the contract, resolution, the account plans,
 * names and ARNs) <- policies/ (pure documents) <- stacks/ (constructs) <- rules/ (the
 * security rule table) <- synth/ (stage, check, swap). Around it: commands/ (what users run)
 * <- rollout/ (CI orchestration) and tools/ (developer tools). Within a layer too, no file
 * imports one that imports it back: config/ loads, then resolves, then plans.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');
const LAYERS = ['config', 'policies', 'stacks', 'rules', 'synth', 'commands', 'rollout', 'tools'] as const;

/** The relative modules `file` imports (type-only imports and `import()` included), as paths from ROOT. */
function relativeImports(file: string): string[] {
  const source = readFileSync(path.join(ROOT, file), 'utf8');
  const specifiers = [
    ...source.matchAll(/^\s*(?:import|export)\s[^'"]*from\s+'(\.[^']+)'/gm),
    ...source.matchAll(/\bimport\(\s*'(\.[^']+)'\s*\)/g),
  ].map((match) => match[1]);
  return specifiers.map((specifier) => path.relative(ROOT, path.resolve(path.dirname(path.join(ROOT, file)), specifier)));
}

/** Every TypeScript file under `dir`, as a path from ROOT. */
function sourcesOf(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)));
}

/** Every relative import of every TypeScript file under `dir`, as the layer it reaches. */
function importsOf(dir: string): Array<{ file: string; layer: string }> {
  return sourcesOf(dir).flatMap((file) => relativeImports(file).map((target) => ({ file, layer: target.split(path.sep)[0] })));
}

/** The module a relative import names: `x.ts` or `x/index.ts`; undefined for JSON and JavaScript. */
function moduleFile(target: string): string | undefined {
  return [`${target}.ts`, path.join(target, 'index.ts')].find((candidate) => existsSync(path.join(ROOT, candidate)));
}

/**
 * The import cycles among `files`: each strongly connected component of the import graph
 * with more than one file, or a file importing itself (Tarjan's algorithm).
 */
function importCycles(files: string[]): string[][] {
  const edges = new Map(files.map((file) => [file, relativeImports(file).map(moduleFile).filter((target): target is string => target !== undefined)]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file) as number);
    stack.push(file);
    for (const target of edges.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file) as number, low.get(target) as number));
      } else if (stack.includes(target)) low.set(file, Math.min(low.get(file) as number, index.get(target) as number));
    }
    if (low.get(file) !== index.get(file)) return;
    const component = stack.splice(stack.indexOf(file));
    if (component.length > 1 || edges.get(file)?.includes(file)) cycles.push(component.sort());
  };
  for (const file of files) if (!index.has(file)) visit(file);
  return cycles;
}

// tools/ is the top: it may import every layer.
describe.each(LAYERS.slice(0, -1).map((layer, index) => [layer, LAYERS.slice(index + 1)] as const))('%s/', (layer, above) => {
  test(`imports nothing of ${above.join(', ')}`, () => {
    expect(importsOf(layer).filter((entry) => (above as readonly string[]).includes(entry.layer))).toEqual([]);
  });
});

describe('the import graph', () => {
  const files = ['main.ts', ...LAYERS.flatMap(sourcesOf)];

  test('has no cycle: no file imports, through any chain, a file that imports it', () => {
    expect(importCycles(files)).toEqual([]);
  });

  test('reaches every layer', () => {
    expect(new Set(files.map((file) => file.split(path.sep)[0]))).toEqual(new Set(['main.ts', ...LAYERS]));
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
