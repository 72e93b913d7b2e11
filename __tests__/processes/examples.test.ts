/**
 * Every example config, synthesized exactly as `npm run synth` does, passes the real AWS
 * provider's `terraform validate` and an offline `terraform plan` (it runs terraform as
 * processes). Its rules, addresses and policies are in __tests__/examples.test.ts.
 */
import * as path from 'node:path';
import { checkStackDirs, type StackCheck } from '../../commands/terraform';
import { EXAMPLE_FILES as examples, synthExample } from '../support/examples';
import { type Synthesized } from '../support/synth';
import { beforeAllWithTerraform, recordStandIns, terraformTest } from '../support/terraform';

const synthesized = new Map<string, Synthesized>(examples.map((file) => [file, synthExample(file)]));
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

describe.each(examples)('example %s', (file) => {
  describe('with real Terraform and the AWS provider the stacks pin (or a stand-in: commands/provider-stand-in.ts)', () => {
    terraformTest('every stack passes terraform validate and an offline terraform plan', () => {
      const checks = checksByExample.get(file) ?? [];
      const failures = checks.filter((check) => !check.validate.ok || !check.plan?.ok);
      expect(failures.map((f) => `${f.stack}:\n${f.validate.output}\n${f.plan?.output ?? ''}`)).toEqual([]);
      expect(checks.map((check) => check.stack).sort()).toEqual(stacksOf(file).map(([name]) => name).sort());
    });
  });
});
