/**
 * Every example config, synthesized exactly as `npm run synth` does, must: meet every rule
 * of SECURITY.md, keep its reviewed resource addresses and policy documents, and pass the
 * real AWS provider's `terraform validate` and an offline `terraform plan`.
 */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { checkStackDirs, type StackCheck } from '../commands/terraform';
import { beforeAllWithTerraform, recordStandIns, terraformTest } from './support/terraform';
import { checkStacksDir } from '../rules/engine';
import { RULES } from '../rules/rules';
import { addresses, policyDocuments, type Synthesized, synthFile } from './support/synth';

const EXAMPLES_DIR = path.join(__dirname, '..', 'examples');
const examples = readdirSync(EXAMPLES_DIR).filter((file) => file.endsWith('.json')).sort();
const synthesized = new Map<string, Synthesized>(examples.map((file) => [file, synthFile(path.join(EXAMPLES_DIR, file))]));
const stacksOf = (file: string) => Object.entries((synthesized.get(file) as Synthesized).stacks);

// Every example's stacks in one terraform run: one pool keeps both cores busy to the end and
// shares one `terraform init`.
const checksByExample = new Map<string, StackCheck[]>(examples.map((file) => [file, []]));
beforeAllWithTerraform(async () => {
  const targets = examples.flatMap((file) =>
    stacksOf(file).map(([name]) => ({ file, dir: path.join((synthesized.get(file) as Synthesized).stacksDir, name) })),
  );
  const checks = await checkStackDirs(targets.map((target) => target.dir));
  checks.forEach((check, index) => checksByExample.get(targets[index].file)?.push(check));
  for (const [file, fileChecks] of checksByExample) recordStandIns(file, fileChecks);
});

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

  describe('with real Terraform and the AWS provider the stacks pin (or a stand-in: commands/provider-stand-in.ts)', () => {
    terraformTest('every stack passes terraform validate and an offline terraform plan', () => {
      const checks = checksByExample.get(file) ?? [];
      const failures = checks.filter((check) => !check.validate.ok || !check.plan?.ok);
      expect(failures.map((f) => `${f.stack}:\n${f.validate.output}\n${f.plan?.output ?? ''}`)).toEqual([]);
      expect(checks.map((check) => check.stack).sort()).toEqual(stacksOf(file).map(([name]) => name).sort());
    });
  });
});
