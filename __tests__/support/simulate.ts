/**
 * Test-only wrapper around @cloud-copilot/iam-simulate (AGPL-3.0: import it from tests only,
 * never from shipped code), so that a jest test can ask "may this principal do this action on
 * this resource, given these policies and this request context?" in one call.
 *
 *   await simulate({ principal, action, resource, context, identityPolicies, resourcePolicy })
 *     → 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied'
 *
 * It is async because the library loads its IAM data (actions, resource types, condition
 * keys) lazily. It throws SimulationInputError, never returns a decision, when the library
 * rejects the input (invalid policy, unknown action, resource ARN of no resource type of the
 * action) or when the request is ambiguous (see below): a test that expects a denial must
 * not pass because its policy or request was malformed.
 *
 * How the library decides, and what this wrapper adds (read with the gaps at the end):
 *
 * - Principal: an IAM ARN ('arn:aws:iam::111111111111:role/Name', '…:root', '…:user/…') or an
 *   STS session ARN, or a service principal ('cloudtrail.amazonaws.com'; anything not an ARN
 *   that ends in 'amazonaws.com'). A service principal is allowed only by a resource-policy
 *   statement naming it in `Principal: { Service: … }`; it has no identity policies, so this
 *   wrapper refuses `identityPolicies` with one.
 * - Same account vs cross account: the library compares the principal ARN's account with the
 *   resource's account, which it does not read from the ARN. This wrapper passes
 *   `resourceAccount`, or the account field of the resource ARN (IAM role, KMS key, trail
 *   ARNs carry one); S3 ARNs and '*' carry none, so `resourceAccount` is then required.
 *   Same account: an Allow in the identity policies or in the resource policy suffices, except
 *   that a role trust policy (sts:*) and a KMS key policy must allow the caller themselves or
 *   delegate to its account (`Principal: { AWS: 'arn:aws:iam::<account>:root' }`) before the
 *   identity policies count. Cross account: the resource policy must allow the principal (or
 *   its account) and the identity policies must allow the action too.
 * - Resource policy: a bucket policy, key policy, role trust policy or Lambda resource policy;
 *   for sts:AssumeRole the resource is the role ARN and the resource policy its trust policy.
 *   An account principal (`arn:aws:iam::<account>:root`) in it matches every principal of
 *   that account, at account level (the identity side must still allow).
 * - Request context: keys are matched case-insensitively. The library keeps only global keys
 *   and the keys the action/resource type defines (from its IAM data): e.g. 's3:x-amz-acl' for
 *   s3:PutObject, 'sts:ExternalId' for sts:AssumeRole. A key that does not apply to the action
 *   is dropped, as AWS would never send it (reported in `SimulationOutcome.droppedContextKeys`);
 *   a key the IAM data does not know at all (a typo) is an error here. Booleans are strings:
 *   `'aws:SecureTransport': 'false'`. A multi-valued key (e.g. 'aws:PrincipalOrgPaths') takes
 *   an array; an array for a single-valued key is an error here.
 * - Context the wrapper fills in from the principal, unless the caller sets the key: for an IAM
 *   ARN principal 'aws:PrincipalAccount', 'aws:PrincipalArn' (not for STS session ARNs, whose
 *   aws:PrincipalArn is the role ARN with its path, which the session ARN does not carry) and
 *   'aws:PrincipalIsAWSService' = 'false'; for a service principal 'aws:PrincipalServiceName'
 *   and 'aws:PrincipalIsAWSService' = 'true'. AWS always sends these; the library fills none,
 *   so without them a policy variable such as `${aws:PrincipalAccount}` resolves to nothing
 *   and the statement silently never matches. Everything else, e.g. 'aws:PrincipalOrgID',
 *   'aws:SourceArn', 'aws:SourceAccount', 'aws:SecureTransport', must be given by the test.
 * - Policy variables (`${aws:PrincipalAccount}`) in Resource elements and condition values are
 *   resolved from the request context.
 *
 * Gaps of the library (0.1.173), and what this wrapper does about them:
 *
 * 1. Condition keys whose variable part follows a colon, e.g.
 *    'kms:EncryptionContext:aws:cloudtrail:arn' (IAM data: 'kms:EncryptionContext:${EncryptionContextKey}'),
 *    are dropped by `runSimulation` as "not applicable to the action" (its matcher only knows
 *    variables after a '/', as in 'aws:PrincipalTag/Team'). A key policy conditioned on the
 *    CloudTrail encryption context would then always deny. When `runSimulation` drops such a
 *    key and the action does define the key pattern, this wrapper evaluates the request again
 *    with the library's `runUnsafeSimulation` (same core engine, no input filtering), after
 *    `runSimulation` has validated every policy and the action, passing the context that
 *    `runSimulation` kept plus those keys. `SimulationOutcome.evaluatedBy` says which ran.
 *    `runUnsafeSimulation` itself fails on a plain resource policy (it reads the policy's
 *    name from metadata it never sets), so the resource policy is handed to it in
 *    @cloud-copilot/iam-policy's documented ValidatedPolicy shape, with no errors: it has
 *    just passed validation.
 * 2. The root user gets no special treatment: 'arn:aws:iam::464622532012:root' as the
 *    *caller* is evaluated as an ordinary principal of account 464622532012, allowed only as
 *    far as `identityPolicies` allow. Real AWS differs both ways: the root user needs no
 *    identity policy, and it may not call sts:AssumeRole at all. To test a trust policy that
 *    trusts Datadog's account, make the caller a role of that account with an identity policy
 *    allowing sts:AssumeRole (it stands for Datadog's side, which we do not control).
 * 3. Nothing is inferred from the resource: 'aws:ResourceAccount', 'aws:ResourceOrgID' and
 *    the like are not filled in; pass them in `context` when a policy tests them.
 * 4. SCPs, RCPs, permission boundaries, session policies, VPC endpoint policies and S3 Block
 *    Public Access are supported by the library but not exposed here; none of them is set,
 *    i.e. the request is simulated as if there were none. * 5. Web identity: the `aud` and `sub` keys of an OIDC provider are missing from the IAM data,
 *    so trust in GitHub's OIDC tokens is simulated by `simulateWebIdentity` (at the end).
 */
import {
  allowedContextKeysForRequest,
  isConditionKeyArray,
  runSimulation,
  runUnsafeSimulation,
  typeForContextKey,
  type RequestAnalysis,
  type RunSimulationResults,
  type Simulation,
} from '@cloud-copilot/iam-simulate';

type OneOrMany<T> = T | readonly T[];

/** A policy Principal element. policies/types.ts's Principal is assignable to it. */
export type PrincipalElement =
  | '*'
  | {
      AWS?: OneOrMany<string>;
      Service?: OneOrMany<string>;
      Federated?: OneOrMany<string>;
      CanonicalUser?: OneOrMany<string>;
    };

/** Operator → condition key → value(s). */
export type ConditionElement = Readonly<Record<string, Readonly<Record<string, OneOrMany<string | number | boolean>>>>>;

/** A policy statement, the JSON AWS reads. policies/types.ts's PolicyStatement is assignable to it. */
export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: PrincipalElement;
  NotPrincipal?: PrincipalElement;
  Action?: OneOrMany<string>;
  NotAction?: OneOrMany<string>;
  Resource?: OneOrMany<string>;
  NotResource?: OneOrMany<string>;
  Condition?: ConditionElement;
}

/** A policy document. policies/types.ts's PolicyDocument is assignable to it. */
export interface PolicyDocument {
  Version: '2012-10-17';
  Id?: string;
  Statement: readonly Statement[];
}

export interface SimulationRequest {
  /** IAM/STS ARN of the caller, or a service principal such as 'cloudtrail.amazonaws.com'. */
  principal: string;
  /** 'service:Action', e.g. 's3:GetObject'. */
  action: string;
  /** The resource ARN ('*' for actions without resource-level permissions). */
  resource: string;
  /** Account that owns the resource; required when the ARN has no account (S3, '*'). */
  resourceAccount?: string;
  /** Request context, e.g. { 'aws:SourceArn': '…', 's3:x-amz-acl': 'bucket-owner-full-control' }. */
  context?: Readonly<Record<string, string | readonly string[]>>;
  /** Policies attached to the principal (not allowed for a service principal). */
  identityPolicies?: readonly PolicyDocument[];
  /** Bucket policy, key policy, role trust policy or Lambda resource policy. */
  resourcePolicy?: PolicyDocument;
}

export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

export interface SimulationOutcome {
  decision: Decision;
  /** The context the library was given: the caller's, plus the keys filled in from the principal. */
  context: Record<string, string | string[]>;
  /** Known context keys dropped because they do not apply to the action/resource type. */
  droppedContextKeys: string[];
  /** 'runUnsafeSimulation' only to work around gap 1 (see the file comment). */
  evaluatedBy: 'runSimulation' | 'runUnsafeSimulation';
  /** The library's per-policy explanation; empty when evaluated by runUnsafeSimulation. */
  analyses: RequestAnalysis[];
}

/** The request or a policy cannot be simulated as given; never a decision. */
export class SimulationInputError extends Error {
  override readonly name = 'SimulationInputError';
}

/** The decision AWS would reach for the request, as modelled by iam-simulate. */
export async function simulate(req: SimulationRequest): Promise<Decision> {
  return (await simulateDetailed(req)).decision;
}

/** Like simulate(), with what was evaluated and how, for debugging a surprising decision. */
export async function simulateDetailed(req: SimulationRequest): Promise<SimulationOutcome> {
  const principalKind = classifyPrincipal(req.principal);
  if (principalKind === 'service' && req.identityPolicies && req.identityPolicies.length > 0) {
    throw new SimulationInputError(
      `${req.principal} is a service principal: it has no identity policies; grant it in the resource policy`,
    );
  }
  const resourceAccount = resolveResourceAccount(req);
  const context = await normalizeContext({ ...principalContext(req.principal, principalKind), ...req.context });

  const simulation: Simulation = {
    request: {
      principal: req.principal,
      action: req.action,
      resource: { resource: req.resource, accountId: resourceAccount },
      contextVariables: context,
    },
    identityPolicies: (req.identityPolicies ?? []).map((policy, i) => ({ name: `IdentityPolicy${i + 1}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(req.resourcePolicy ? { resourcePolicy: req.resourcePolicy } : {}),
  };

  const results = await runSimulation(simulation, {});
  if (results.resultType === 'error') {
    throw new SimulationInputError(`iam-simulate rejected the request: ${JSON.stringify(results.errors)}`);
  }
  const ignored = ignoredContextKeys(results);
  const colonVariableKeys = await colonVariableKeysOfAction(req, ignored);
  const droppedContextKeys = ignored.filter((key) => !colonVariableKeys.includes(key));
  if (colonVariableKeys.length === 0) {
    return {
      decision: results.overallResult,
      context,
      droppedContextKeys,
      evaluatedBy: 'runSimulation',
      analyses: results.resultType === 'single' ? [results.result.analysis] : results.results.map((r) => r.analysis),
    };
  }

  // Gap 1: evaluate again with the keys runSimulation dropped by mistake.
  if (req.resource.includes('*')) {
    throw new SimulationInputError(
      `cannot work around the dropped context keys ${colonVariableKeys.join(', ')} for a wildcard resource`,
    );
  }
  const keptContext = Object.fromEntries(
    Object.entries(context).filter(([key]) => !droppedContextKeys.includes(key)),
  );
  const decision = runUnsafeSimulation(
    {
      ...simulation,
      request: { ...simulation.request, contextVariables: keptContext },
      ...(req.resourcePolicy
        ? {
            resourcePolicy: {
              __validated: true,
              policyDocument: req.resourcePolicy,
              metadata: { name: 'ResourcePolicy' },
              errors: [],
            },
          }
        : {}),
    },
    {},
  );
  return { decision, context, droppedContextKeys, evaluatedBy: 'runUnsafeSimulation', analyses: [] };
}

type PrincipalKind = 'iam' | 'sts' | 'service';

const IAM_ARN = /^arn:[a-z-]+:iam::(\d{12}):\S+$/;
const STS_ARN = /^arn:[a-z-]+:sts::(\d{12}):\S+$/;

function classifyPrincipal(principal: string): PrincipalKind {
  if (IAM_ARN.test(principal)) return 'iam';
  if (STS_ARN.test(principal)) return 'sts';
  // The library's own test (iam-utils isServicePrincipal): not an ARN, ends with amazonaws.com.
  if (!principal.startsWith('arn:') && /^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com$/.test(principal)) {
    return 'service';
  }
  throw new SimulationInputError(
    `principal must be an IAM or STS ARN or a service principal such as cloudtrail.amazonaws.com, got "${principal}"`,
  );
}

function resolveResourceAccount(req: SimulationRequest): string {
  const arnAccount = req.resource.startsWith('arn:') ? req.resource.split(':')[4] || undefined : undefined;
  if (req.resourceAccount !== undefined && arnAccount !== undefined && req.resourceAccount !== arnAccount) {
    throw new SimulationInputError(
      `resourceAccount ${req.resourceAccount} contradicts the account of ${req.resource}`,
    );
  }
  const account = req.resourceAccount ?? arnAccount;
  if (account === undefined) {
    throw new SimulationInputError(
      `resourceAccount is required: ${req.resource} does not name the account that owns it`,
    );
  }
  if (!/^\d{12}$/.test(account)) {
    throw new SimulationInputError(`resourceAccount must be a 12-digit account ID, got "${account}"`);
  }
  return account;
}

/** Global keys AWS always sends and that follow from the principal alone. */
function principalContext(principal: string, kind: PrincipalKind): Record<string, string> {
  switch (kind) {
    case 'service':
      return { 'aws:PrincipalServiceName': principal, 'aws:PrincipalIsAWSService': 'true' };
    case 'iam':
      return {
        'aws:PrincipalArn': principal,
        'aws:PrincipalAccount': principal.split(':')[4],
        'aws:PrincipalIsAWSService': 'false',
      };
    case 'sts':
      return { 'aws:PrincipalAccount': principal.split(':')[4], 'aws:PrincipalIsAWSService': 'false' };
  }
}

/**
 * Merges keys case-insensitively (a later spelling wins: the caller's over the filled-in ones),
 * rejects keys unknown to the IAM data, and gives multi-valued keys arrays.
 */
async function normalizeContext(
  raw: Readonly<Record<string, string | readonly string[]>>,
): Promise<Record<string, string | string[]>> {
  const byLowerCase = new Map<string, [string, string | readonly string[]]>();
  for (const [key, value] of Object.entries(raw)) byLowerCase.set(key.toLowerCase(), [key, value]);

  const context: Record<string, string | string[]> = {};
  for (const [key, value] of byLowerCase.values()) {
    const type = await typeForContextKey(key).catch(() => {
      throw new SimulationInputError(`unknown condition key "${key}" in the request context`);
    });
    if (isConditionKeyArray(type)) {
      context[key] = typeof value === 'string' ? [value] : [...value];
    } else if (typeof value === 'string') {
      context[key] = value;
    } else {
      throw new SimulationInputError(`condition key "${key}" is single-valued (${type}) but was given an array`);
    }
  }
  return context;
}

function ignoredContextKeys(results: Exclude<RunSimulationResults, { resultType: 'error' }>): string[] {
  const perResult = results.resultType === 'single' ? [results.result] : results.results;
  return [...new Set(perResult.flatMap((r) => r.ignoredContextKeys ?? []))];
}

/**
 * Of the context keys runSimulation dropped, those that instantiate a key pattern of the action
 * whose variable follows a colon, e.g. 'kms:EncryptionContext:${EncryptionContextKey}' (gap 1).
 */
async function colonVariableKeysOfAction(req: SimulationRequest, ignored: string[]): Promise<string[]> {
  if (ignored.length === 0) return [];
  const [service, action] = req.action.split(':') as [string, string];
  const allowed = await allowedContextKeysForRequest(service, action, req.resource, false, undefined);
  const prefixes = allowed
    .filter((key) => key.includes('${'))
    .map((key) => key.slice(0, key.indexOf('${')))
    .filter((prefix) => prefix.endsWith(':'));
  return ignored.filter((key) => prefixes.some((prefix) => key.toLowerCase().startsWith(prefix)));
}

export interface WebIdentityRequest {
  /** The IAM OIDC identity provider the token comes through, e.g. 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com'. */
  provider: string;
  /** The role assumed. */
  role: string;
  /** The token's claims as IAM reads them: '<provider host>:<claim>' → value, e.g. 'token.actions.githubusercontent.com:sub'. */
  claims: Readonly<Record<string, string>>;
  /** The role's trust policy. */
  trustPolicy: PolicyDocument;
}

const OIDC_PROVIDER_ARN = /^arn:[a-z-]+:iam::(\d{12}):oidc-provider\/([^/\s]+)(\/\S*)?$/;

/**
 * sts:AssumeRoleWithWebIdentity through an OIDC identity provider: may a token with these
 * claims assume the role? The caller is the provider itself (a `Principal: { Federated }`
 * statement names it).
 *
 * Gap 5 (0.1.173): the IAM data lists, for this action, the claims AWS STS validates for some
 * providers ('token.actions.githubusercontent.com:repository', ...) but not the `aud` and `sub`
 * keys IAM provides for every OIDC provider
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif),
 * so `runSimulation` drops them and every trust conditioned on them denies. Here
 * `runSimulation` validates the trust policy and the request, every claim must be a key of the
 * provider's host, the role must be in the provider's account (a role can trust only an
 * identity provider of its own account), and `runUnsafeSimulation` then decides with the claims.
 */
export async function simulateWebIdentity(req: WebIdentityRequest): Promise<Decision> {
  const [, providerAccount, host] = OIDC_PROVIDER_ARN.exec(req.provider) ?? [];
  if (providerAccount === undefined) throw new SimulationInputError(`provider must be an IAM OIDC provider ARN, got "${req.provider}"`);
  const roleAccount = IAM_ARN.exec(req.role)?.[1];
  if (roleAccount !== providerAccount) {
    throw new SimulationInputError(`${req.role} cannot trust ${req.provider}: a role trusts identity providers of its own account only`);
  }
  const foreign = Object.keys(req.claims).filter((key) => !key.startsWith(`${host}:`));
  if (foreign.length > 0) throw new SimulationInputError(`claims must be keys of ${host}, got ${foreign.join(', ')}`);

  const simulation: Simulation = {
    request: {
      principal: req.provider,
      action: 'sts:AssumeRoleWithWebIdentity',
      resource: { resource: req.role, accountId: roleAccount },
      contextVariables: { ...req.claims },
    },
    identityPolicies: [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: req.trustPolicy,
  };
  const validated = await runSimulation(simulation, {});
  if (validated.resultType === 'error') {
    throw new SimulationInputError(`iam-simulate rejected the request: ${JSON.stringify(validated.errors)}`);
  }
  return runUnsafeSimulation(
    { ...simulation, resourcePolicy: { __validated: true, policyDocument: req.trustPolicy, metadata: { name: 'TrustPolicy' }, errors: [] } },
    {},
  );
}
