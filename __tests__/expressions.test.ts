/**
 * The Terraform expressions of a synthesized stack, found as Terraform's template scanner finds
 * them: `$${` and `%%{` are text, `${` and `%{` open a sequence.
 */
import { foreignExpressions, templateSequences } from '../rules/expressions';

describe('templateSequences', () => {
  test.each([
    ['plain text', 'cost: $5, {braces}, 100%', []],
    ['an escaped interpolation', '$${file("/x")}', []],
    ['an escaped directive', '%%{ if x }', []],
    ['a dollar before an escape, which Terraform reads as "$" and the escape', '$$${x}', []],
    ['an interpolation after text', 'a-${aws_s3_bucket.b.id}-z', ['${aws_s3_bucket.b.id}']],
    ['a percent before an interpolation', '%${x}', ['${x}']],
    ['a directive', 'x%{ if true }y%{ endif }', ['%{ if true }', '%{ endif }']],
    ['a quoted brace inside an interpolation', '${replace("}", "a", "b")}!', ['${replace("}", "a", "b")}']],
    ['an unterminated interpolation', 'x${file("/x"', ['${file("/x"']],
  ])('in %s: %j', (_case, text, sequences) => {
    expect(templateSequences(text)).toEqual(sequences);
  });
});

describe('foreignExpressions', () => {
  const stack = (value: unknown) => ({
    '//': { note: '${ignored: cdktf comments are not evaluated}' },
    resource: { aws_s3_bucket: { logs: { bucket: 'b' } }, aws_iam_role: { r: { tags: value } } },
    check: { c: { data: { aws_organizations_organization: { this: {} } } } },
  });

  test.each([
    ['a reference to an attribute of a resource of the stack', '${aws_s3_bucket.logs.arn}'],
    ['an indexed attribute', '${aws_s3_bucket.logs.server_side_encryption_configuration[0].rule}'],
    ['contains() of a data source of a check block and a literal', '${contains(data.aws_organizations_organization.this.aws_service_access_principals, "cloudtrail.amazonaws.com")}'],
  ])('accepts %s', (_case, expression) => {
    expect(foreignExpressions(stack({ x: expression }))).toEqual([]);
  });

  test.each([
    ['a file read', '${file("/proc/self/environ")}'],
    ['a resource the stack does not declare', '${aws_s3_bucket.other.arn}'],
    ['a whole resource object', '${aws_s3_bucket.logs}'],
    ['an input variable', '${var.token}'],
    ['a path', '${path.module}'],
    ['a pure function the toolkit never calls', '${upper("a")}'],
    ['contains() of a file read', '${contains(file("/x"), "a")}'],
    ['a directive', '%{ if true }x%{ endif }'],
  ])('refuses %s, naming where it is', (_case, expression) => {
    expect(foreignExpressions(stack({ x: expression }))[0]).toEqual({ path: 'resource.aws_iam_role.r.tags.x', expression: expect.stringMatching(/^[$%]\{/) });
  });

  test("judges an output's value as any other: the stack's interface refers to its own resources only", () => {
    const withOutput = (value: string) => ({ ...stack({}), output: { bucket_arn: { description: 'ARN', value } } });

    expect(foreignExpressions(withOutput('${aws_s3_bucket.logs.arn}'))).toEqual([]);
    expect(foreignExpressions(withOutput('${file("/proc/self/environ")}'))).toEqual([{ path: 'output.bucket_arn.value', expression: '${file("/proc/self/environ")}' }]);
  });

  test('looks at object keys too', () => {
    expect(foreignExpressions(stack({ '${file("/x")}': 'v' }))).toEqual([{ path: 'resource.aws_iam_role.r.tags.${file("/x")}', expression: '${file("/x")}' }]);
  });
});
