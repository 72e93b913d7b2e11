/**
 * A Lambda permission (`aws_lambda_permission`, as synthesized) as the one statement it adds to
 * its function's resource policy: the principal, action and resource, and a condition for each
 * source the permission names, keyed as Lambda writes them into the policy
 * (`ArnLike` on `AWS:SourceArn`, `StringEquals` on `AWS:SourceAccount`, ...:
 * https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html). Written as
 * that document, a permission is diffed, classified and simulated like any other policy.
 */
export function lambdaPermissionDocument(permission: Record<string, unknown>): Record<string, unknown> {
  const condition: Record<string, Record<string, unknown>> = {};
  const when = (operator: string, key: string, value: unknown): void => {
    if (value !== undefined) condition[operator] = { ...condition[operator], [key]: value };
  };
  when('ArnLike', 'AWS:SourceArn', permission.source_arn);
  when('StringEquals', 'AWS:SourceAccount', permission.source_account);
  when('StringEquals', 'aws:PrincipalOrgID', permission.principal_org_id);
  when('StringEquals', 'lambda:FunctionUrlAuthType', permission.function_url_auth_type);
  when('StringEquals', 'lambda:EventSourceToken', permission.event_source_token);
  const principal = String(permission.principal);
  const functionName = String(permission.function_name);
  return {
    Version: '2012-10-17',
    Statement: [
      {
        ...(permission.statement_id === undefined ? {} : { Sid: permission.statement_id }),
        Effect: 'Allow',
        Principal: principal === '*' ? '*' : /\.amazonaws\.com(\.cn)?$/.test(principal) ? { Service: principal } : { AWS: principal },
        Action: permission.action,
        Resource: permission.qualifier === undefined ? functionName : `${functionName}:${String(permission.qualifier)}`,
        ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
      },
    ],
  };
}
