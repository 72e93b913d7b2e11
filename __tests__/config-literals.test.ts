/**
 * Config values are data, never code: every string of the config reaches Terraform as the
 * literal text it is, as real Terraform plans it (planned in
 * __tests__/processes/config-literals.test.ts).
 */
import { terraformLiteral, terraformLiterals } from '../config/terraform-literal';
import { policyDocument } from '../policies/types';
import { checkParsedStacks } from '../rules/engine';
import { parsePolicyDocument } from '../rules/statements';
import { policyJson } from '../stacks/policy-json';
import { hostile } from './support/hostile-config';

describe('terraformLiteral', () => {
  test.each([
    ['${x}', '$${x}'],
    ['%{ if x }', '%%{ if x }'],
    // Terraform reads `$$${x}` as `$` and the escape `$${`: the text `$${x}` survives.
    ['$${x}', '$$${x}'],
    ['cost: $5, {braces}, 100%', 'cost: $5, {braces}, 100%'],
  ])('escapes %s as %s', (text, literal) => {
    expect(terraformLiteral(text)).toBe(literal);
  });

  test('escapes every string of a document, keys included, and nothing else', () => {
    expect(terraformLiterals({ tags: { '${k}': '${v}' }, list: ['%{d}', 7, true, null] })).toEqual({ tags: { '$${k}': '$${v}' }, list: ['%%{d}', 7, true, null] });
  });
});

describe('config strings in a policy document', () => {
  test('stay escaped once beside an IAM policy variable, which is escaped too, and read back as the text they were', () => {
    // Shaped like an IAM policy variable, which policyJson escapes: escaped again, it would read `$${aws:x}`.
    const value = terraformLiteral('${aws:x}');
    const json = policyJson(policyDocument({ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::b/${value}/\${aws:PrincipalAccount}/*` }));
    expect(json).toContain('arn:aws:s3:::b/$${aws:x}/$${aws:PrincipalAccount}/*');
    expect(parsePolicyDocument(json).Statement[0].resources).toEqual(['arn:aws:s3:::b/${aws:x}/${aws:PrincipalAccount}/*']);
  });
});

describe('config strings in the synthesized stacks', () => {
  const { stacks, config } = hostile();
  const prod = stacks.prod;

  test('are escaped once, in the provider default tags and the forwarder environment', () => {
    expect(prod.provider.aws[0].default_tags).toEqual([{ tags: { Owner: '$${file("/proc/self/environ")}', Directive: '%%{ if true }yes%%{ endif }' } }]);
    const forwarder = prod.resource.aws_lambda_function.forwarder_function as { environment: { variables: Record<string, string> } };
    expect(forwarder.environment.variables.DD_TAGS).toBe('team:$${file("/proc/self/environ")}');
  });

  test('hold no expression the toolkit does not write', () => {
    expect(checkParsedStacks(stacks, config).rules.find((r) => r.id === 'terraform-expressions')?.status).toBe('holds');
  });
});
