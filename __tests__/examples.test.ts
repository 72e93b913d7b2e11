/**
 * Every example config, synthesized exactly as `npm run synth` does, must meet every rule of
 * SECURITY.md and keep its reviewed resource addresses and policy documents. That each passes
 * the real AWS provider's `terraform validate` and an offline `terraform plan` is in
 * __tests__/processes/examples.test.ts.
 */
import { RULES } from '../rules/rules';
import { checkStacksDir } from '../rules/engine';
import { EXAMPLE_FILES as examples, synthExample } from './support/examples';
import { addresses, policyDocuments, type Synthesized } from './support/synth';

const synthesized = new Map<string, Synthesized>(examples.map((file) => [file, synthExample(file)]));
const stacksOf = (file: string) => Object.entries((synthesized.get(file) as Synthesized).stacks);

const reports = new Map(examples.map((file) => [file, checkStacksDir((synthesized.get(file) as Synthesized).stacksDir, (synthesized.get(file) as Synthesized).config)]));

test('every rule of the security rule table applies to some example', () => {
  const applied = new Set(examples.flatMap((file) => reports.get(file)?.rules.filter((r) => r.status !== 'not applicable').map((r) => r.id) ?? []));
  expect(RULES.map((r) => r.id).filter((id) => !applied.has(id))).toEqual([]);
});

describe.each(examples)('example %s', (file) => {
  test('breaks no rule of the security rule table that its config does not opt out of', () => {
    expect(reports.get(file)?.violations.filter((v) => !v.optedOut)).toEqual([]);
  });

  test('keeps its Terraform addresses (a renamed construct id destroys and recreates the resource)', () => {
    expect(Object.fromEntries(stacksOf(file).map(([name, stack]) => [name, addresses(stack)]))).toMatchSnapshot();
  });

  test('keeps its reviewed IAM, bucket and key policies', () => {
    expect(Object.fromEntries(stacksOf(file).map(([name, stack]) => [name, policyDocuments(stack)]))).toMatchSnapshot();
  });
});
