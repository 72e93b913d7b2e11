/**
 * The one JSON reader refuses a key given twice in one object, which JSON.parse would silently
 * resolve to the last and Terraform reads both of: here in the offline Terraform harness, which
 * starts terraform (a process). The reader itself is in __tests__/json-reader.test.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { checkStacks } from '../../commands/terraform';
import { tempDir } from '../support/configs';
import { terraformTest } from '../support/terraform';

describe('the offline Terraform harness', () => {
  terraformTest('refuses a stack whose cdk.tf.json gives a key twice, which Terraform would plan both of', async () => {
    const stacks = tempDir('ddct-duplicated-');
    mkdirSync(path.join(stacks, 'prod'));
    writeFileSync(path.join(stacks, 'prod', 'cdk.tf.json'), '{"resource": {"terraform_data": {"a": {}}}, "resource": {"terraform_data": {"b": {}}}}');
    const [result] = await checkStacks(stacks, { workDir: tempDir('ddct-work-') });
    expect(result.validate).toEqual({ ok: false, output: expect.stringContaining('resource is given twice in one object (again at line 1)') });
    expect(result.plan).toBeUndefined();
  });
});
