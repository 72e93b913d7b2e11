/**
 * Config values are data, never code: every string of the config reaches Terraform as the
 * literal text it is, as real Terraform plans it (it runs terraform as processes). How the
 * strings are escaped is in __tests__/config-literals.test.ts.
 */
import { checkStacks, type StackCheck } from '../../commands/terraform';
import { DIRECTIVE, hostile } from '../support/hostile-config';
import { INJECTED } from '../support/planted-violations';
import { beforeAllWithTerraform, terraformTest } from '../support/terraform';

describe('config strings, planned by real Terraform', () => {
  let check: StackCheck;
  beforeAllWithTerraform(async () => {
    [check] = await checkStacks(hostile({ storeFailedEvents: false }).stacksDir, { planJson: true });
  });

  terraformTest('are planned as the literal text, in a tag and in an environment variable', () => {
    expect(check.plan?.ok).toBe(true);
    const changes = (check.plan?.json as { resource_changes: Array<{ address: string; change: { after: Record<string, unknown> } }> }).resource_changes;
    const after = (address: string) => changes.find((c) => c.address === address)?.change.after as Record<string, unknown>;
    const forwarder = after('aws_lambda_function.forwarder_function');
    expect(forwarder.tags_all).toEqual({ Owner: INJECTED, Directive: DIRECTIVE });
    expect((forwarder.environment as Array<{ variables: Record<string, string> }>)[0].variables.DD_TAGS).toBe(`team:${INJECTED}`);
    expect(check.plan?.output).toContain(`"Owner"     = "${INJECTED.replace(/"/g, '\\"')}"`);
  });
});
