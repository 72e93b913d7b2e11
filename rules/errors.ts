/** The input cannot be checked: not a stack directory, not Terraform JSON, a policy that is not JSON. */
export class CheckInputError extends Error {
  override readonly name = 'CheckInputError';
}
