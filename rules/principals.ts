/**
 * Who a bucket or key policy lets in, as the rules judge it. Known callers are the principals
 * of the stack's own account and of its organization: the config's, or, checked without one,
 * the organization whose trail the stack's bucket receives (`AWSLogs/o-.../`). Anything else is
 * foreign, in whatever form it is written: another account's root, role or bare ID, a
 * `CanonicalUser` (S3's ID for an account), a federated identity, or `"*"` narrowed only to
 * another account or organization.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid
 */
import type { ResolvedConfig } from '../config/resolve';
import type { StackView } from './stack';
import { principalAccount, type Statement } from './statements';

export interface KnownCallers {
  /** The stack's account (its provider's allowed_account_ids); undefined when it names none. */
  accountId?: string;
  organizations: string[];
}

export function knownCallers(stack: StackView, config: ResolvedConfig | undefined): KnownCallers {
  return { accountId: stack.accountId, organizations: config ? (config.organization ? [config.organization.id] : []) : stack.organizationIds() };
}

const own = (principal: string, known: KnownCallers) => known.accountId !== undefined && principalAccount(principal) === known.accountId;

/** The statement's principals outside the known callers, `*` aside, each as written with its kind. */
export function foreignPrincipals(s: Statement, known: KnownCallers): string[] {
  return [
    ...s.awsPrincipals.filter((p) => !own(p, known)),
    ...s.canonicalUsers.map((id) => `CanonicalUser ${id}`),
    ...s.federated.map((id) => `Federated ${id}`),
  ];
}

/**
 * How a condition narrows `Principal: "*"`: to known callers (every value of
 * `aws:PrincipalOrgID`, `aws:PrincipalAccount` or `aws:PrincipalArn` names the stack's
 * organization or account), only to others (`foreign`, with the values), or not at all. A
 * condition on the transport, the source IP or a tag does not say who calls.
 */
export function narrowing(s: Statement, known: KnownCallers): { to: 'known' | 'foreign' | 'nobody in particular'; values: string[] } {
  const equals = (key: string) => s.condition('StringEquals', key) ?? [];
  const organizations = equals('aws:PrincipalOrgID');
  const accounts = equals('aws:PrincipalAccount');
  const arns = ['ArnEquals', 'ArnLike', 'StringEquals', 'StringLike'].flatMap((operator) => s.condition(operator, 'aws:PrincipalArn') ?? []);
  const all = (values: string[], test: (value: string) => boolean) => values.length > 0 && values.every(test);
  if (
    all(organizations, (id) => known.organizations.includes(id)) ||
    all(accounts, (id) => id === known.accountId) ||
    all(arns, (arn) => own(arn, known))
  ) {
    return { to: 'known', values: [] };
  }
  const values = [...organizations, ...accounts, ...arns];
  return { to: values.length > 0 ? 'foreign' : 'nobody in particular', values };
}

/** What is wrong with a statement's grant to `"*"`, if anything. */
export function everyoneProblem(s: Statement, known: KnownCallers): string | undefined {
  if (!s.everyone) return undefined;
  const { to, values } = narrowing(s, known);
  if (to === 'known') return undefined;
  return to === 'foreign'
    ? `${s.label} allows everyone of ${values.join(', ')}: Principal "*" narrowed only to callers outside the account ${known.accountId ?? '(unknown)'}${known.organizations.length > 0 ? ` and its organization ${known.organizations.join(', ')}` : ' (which belongs to no organization the stack knows)'}`
    : `${s.label} allows everyone: Principal "*" without a condition on the caller's organization, account or ARN`;
}
