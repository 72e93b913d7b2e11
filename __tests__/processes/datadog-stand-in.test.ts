/**
 * The offline harness stands in for the Datadog provider's resources, whose provider binary
 * these machines lack, so that the AWS half of a stack that registers the account with Datadog
 * still validates and plans with the real Terraform (TERRAFORM.md item 4): here with the real
 * Terraform (it runs terraform as processes). The rewrite itself is in
 * __tests__/datadog-stand-in.test.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkStackDirs } from '../../commands/terraform';
import { tempDir } from '../support/configs';
import { type Json, registeringStack } from '../support/registering-stack';
import { beforeAllWithTerraform, terraformTest } from '../support/terraform';

describe('standing in for the Datadog provider', () => {
  describe('with real Terraform', () => {
    const write = (name: string, stack: Json): string => {
      const dir = path.join(tempDir('ddct-standin-'), name);
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify(stack));
      return dir;
    };
    let checks: Awaited<ReturnType<typeof checkStackDirs>>;
    beforeAllWithTerraform(async () => {
      checks = await checkStackDirs([
        write('registering', registeringStack()),
        write('dangling', registeringStack({ logs_config: { lambda_forwarder: { lambdas: ['${aws_lambda_function.forwarder_function.arn}'] } } })),
      ]);
    });

    terraformTest("validates and plans the AWS half of a registering stack, the stand-ins included, the role trusting the registration's computed external ID", () => {
      expect(checks[0].validate.output).toBe('');
      expect(checks[0].plan?.ok).toBe(true);
      expect(checks[0].plan?.output).toContain('terraform_data.datadog_integration_aws_account_datadog-registration_account will be created');
      expect(checks[0].plan?.output).toMatch(/aws_iam_role\.datadog-role_role will be created[\s\S]*?assume_role_policy\s+= \(known after apply\)/);
    });

    terraformTest('still rejects a Datadog resource that references an AWS resource the stack does not declare', () => {
      expect(checks[1].validate.ok).toBe(false);
      expect(checks[1].validate.output).toContain('Reference to undeclared resource');
    });
  });
});
