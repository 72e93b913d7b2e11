import type { PolicyDocument, PolicyStatement } from '../policies/types';

/**
 * A policy document (or a list of statements) as the JSON string a Terraform attribute takes.
 * IAM policy variables (`${aws:PrincipalAccount}`) look like Terraform interpolations, so they
 * are escaped as `$${...}`, which Terraform turns back into `${...}`; cdktf tokens
 * (`${TfToken[...]}`) stay as they are, and so does a `${` already escaped (a config value,
 * escaped once in config/resolve.ts): escaping it again would read `$${`.
 * https://developer.hashicorp.com/terraform/language/expressions/strings#escape-sequences
 */
export function policyJson(policy: PolicyDocument | PolicyStatement[], indent?: number): string {
  return JSON.stringify(policy, null, indent).replace(/(?<!\$)\$\{(?=[a-z0-9-]+:)/gi, '$$${');
}

/** The attribute of each resource type the stacks use that holds an IAM policy document. */
export const POLICY_ATTRIBUTES: Readonly<Record<string, string>> = {
  aws_iam_role: 'assume_role_policy',
  aws_iam_role_policy: 'policy',
  aws_iam_policy: 'policy',
  aws_s3_bucket_policy: 'policy',
  aws_kms_key: 'policy',
  aws_sns_topic_policy: 'policy',
};
