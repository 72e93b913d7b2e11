import type { PolicyDocument } from '../policies/types';

/**
 * A policy document as the JSON string a Terraform attribute takes. IAM policy variables
 * (`${aws:PrincipalAccount}`) look like Terraform interpolations, so they are escaped as
 * `$${...}`, which Terraform turns back into `${...}`; cdktf tokens (`${TfToken[...]}`) stay.
 * https://developer.hashicorp.com/terraform/language/expressions/strings#escape-sequences
 */
export function policyJson(document: PolicyDocument): string {
  return JSON.stringify(document).replace(/\$\{(?=[a-z0-9-]+:)/gi, '$$${');
}
