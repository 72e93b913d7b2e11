/**
 * The stack outputs (stacks/stack-outputs.ts) as real Terraform plans them (it runs terraform as
 * processes): created with the stack, or the literal ARNs the config gives for what it adopts.
 * The outputs each stack declares are in __tests__/stack-outputs.test.ts.
 */
import { checkStacks, type StackCheck } from '../../commands/terraform';
import { synthExample } from '../support/examples';
import { beforeAllWithTerraform, terraformTest } from '../support/terraform';

describe('with real Terraform and the AWS provider', () => {
  const synthesized = { 'single-account': synthExample('single-account.json'), 'existing-trail': synthExample('existing-trail.json') };
  const checks = new Map<string, StackCheck>();
  beforeAllWithTerraform(async () => {
    for (const [example, stack] of [['single-account', 'prod'], ['existing-trail', 'security']] as const) {
      const [check] = await checkStacks(synthesized[example].stacksDir, { stacks: [stack], planJson: true });
      checks.set(example, check);
    }
  });
  type PlanJson = { planned_values: { outputs: Record<string, { value?: unknown }> }; output_changes: Record<string, { actions: string[] }> };
  const planOf = (example: string) => checks.get(example)?.plan?.json as PlanJson;

  terraformTest('plans every output of the stack, created with it', () => {
    const plan = planOf('single-account');
    const names = Object.keys(synthesized['single-account'].stacks.prod.output ?? {}).sort();

    expect(Object.keys(plan.planned_values.outputs).sort()).toEqual(names);
    expect(Object.keys(plan.output_changes).sort()).toEqual(names);
    expect(new Set(Object.values(plan.output_changes).map((change) => change.actions.join()))).toEqual(new Set(['create']));
  });

  terraformTest('plans the ARNs an adopting stack outputs as the literal values the config gives', () => {
    expect(planOf('existing-trail').planned_values.outputs).toMatchObject({
      datadog_role_arn: { value: 'arn:aws:iam::111111111111:role/DatadogIntegrationRole' },
      forwarder_function_arn: { value: 'arn:aws:lambda:us-east-1:111111111111:function:DatadogForwarder' },
    });
  });
});
