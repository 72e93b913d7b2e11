/**
 * Every rule of the security rule table can fail: a planted violation fires exactly its
 * rule, and a rule with nothing to look at is not applicable, never a pass.
 */
import { checkParsedStacks } from '../rules/engine';
import { RULES } from '../rules/rules';
import { fullStack, EVASIONS, PLANTS } from './support/planted-violations';
import { validConfig } from './support/configs';
import { synthConfig, type TfJson } from './support/synth';

function failedRules(plant: (stack: TfJson) => void): string[] {
  const { stack, config } = fullStack();
  plant(stack);
  const report = checkParsedStacks({ prod: stack }, config);
  return [...new Set(report.violations.filter((v) => !v.optedOut).map((v) => v.rule))].sort();
}

describe('the security rule table', () => {
  test('every rule applies to the unplanted stack, and holds there', () => {
    const { stack, config } = fullStack();
    const report = checkParsedStacks({ prod: stack }, config);
    expect(report.rules.filter((r) => r.status !== 'holds').map((r) => `${r.id}: ${r.status}`)).toEqual([]);
  });

  test('has a planted violation for every rule', () => {
    expect(PLANTS.map((p) => p.rule).sort()).toEqual(RULES.map((r) => r.id).sort());
  });

  test.each(PLANTS)('$rule, and only it, fires when $violation', ({ rule, plant }) => {
    expect(failedRules(plant)).toEqual([rule]);
  });

  test.each(EVASIONS)('catches $violation', ({ rules, plant }) => {
    expect(failedRules(plant)).toEqual(rules);
  });

  describe('role-trust with the external ID Datadog generates (datadog.manageIntegration)', () => {
    const managed = () => {
      const input = validConfig();
      delete input.datadog.externalId;
      input.datadog.manageIntegration = true;
      return synthConfig(input);
    };
    const roleTrust = (stacks: Record<string, TfJson>, config: ReturnType<typeof synthConfig>['config']) =>
      checkParsedStacks(stacks, config).violations.filter((v) => v.rule === 'role-trust');

    test('accepts the reference to the ID generated in the same stack', () => {
      const { stacks, config } = managed();
      expect(roleTrust(stacks, config)).toEqual([]);
    });

    test('refuses a reference to an ID that the stack does not generate', () => {
      const { stacks, config } = managed();
      delete (stacks.prod.resource as Record<string, unknown>).datadog_integration_aws_external_id;
      expect(roleTrust(stacks, config).map((v) => v.problem)).toEqual([expect.stringContaining('without StringEquals sts:ExternalId')]);
    });
  });

  test('reports a rule without a resource to look at as not applicable, not as holding', () => {
    const report = checkParsedStacks({ empty: { provider: { aws: [{ region: 'us-east-1', allowed_account_ids: ['111111111111'] }] } } });
    // The expressions rule looks at every string of every stack, the provider's included.
    expect(report.rules.filter((r) => r.status !== 'not applicable').map((r) => `${r.id}: ${r.status}`)).toEqual(['terraform-expressions: holds']);
    expect(report.ok).toBe(true);
  });

  test('names every violation by rule, stack, Terraform address and problem', () => {
    const { stack, config } = fullStack();
    (stack.resource.aws_cloudtrail.trail_trail as Record<string, unknown>).is_multi_region_trail = false;
    const [violation] = checkParsedStacks({ prod: stack }, config).violations;
    expect(violation).toEqual({
      rule: 'trail-all-regions',
      benchmarks: ['CIS 3.1', 'CKV_AWS_67', 'CloudTrail.1'],
      stack: 'prod',
      address: 'aws_cloudtrail.trail_trail',
      problem: 'is not multi-region',
      switch: undefined,
      optedOut: false,
    });
  });
});
