/**
 * Whether each wave's GitHub environment (`wave-N`) really gates its apply: the roll-out's
 * approval job names the environment, and "Running a workflow that references an environment
 * that does not exist will create an environment with the referenced name. ... the newly
 * created environment will not have any protection rules"
 * (https://docs.github.com/en/actions/how-tos/deploy/configure-and-manage-deployments/manage-environments).
 * So before any apply, the roll-out reads each environment's protection rules (REST "Get an
 * environment", https://docs.github.com/en/rest/deployments/environments#get-an-environment,
 * which a GITHUB_TOKEN reads with `permissions: actions: read`) and stops unless required
 * reviewers are set, or the repository opted out by name (ROLLOUT_ALLOW_UNREVIEWED_WAVES).
 */

/** The repository variable that lets a roll-out apply without required reviewers: `true`, on purpose. */
export const OPT_OUT_VARIABLE = 'ROLLOUT_ALLOW_UNREVIEWED_WAVES';

/** One wave's environment, as the roll-out relies on it. */
export interface Gate {
  environment: string;
  /** The people (`@login`) and teams (`team slug`) of its required reviewers; one of them approves. */
  reviewers: string[];
  /** Whether the person who started the run is kept from approving it; undefined when unknown. */
  preventSelfReview?: boolean;
  /**
   * Whether administrators may deploy without the approval. `can_admins_bypass` is not in the
   * documented response schema, though GitHub returns it (go-github's Environment.CanAdminsBypass);
   * absent, it is taken as true, GitHub's default for a new environment.
   */
  adminsCanBypass: boolean;
  /** Minutes every deployment waits, if set. */
  waitTimer?: number;
  /** Which branches may deploy: `protected branches`, `selected branches`, or `any branch`. */
  branches?: string;
  /** Why it does not gate the wave: it does not exist, has no reviewers, or could not be read. */
  problem?: string;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The environment of a wave, as the roll-out's approval job names it. */
export const environmentOf = (wave: number): string => `wave-${wave}`;

/** A gate from GitHub's answer to GET /repos/{owner}/{repo}/environments/{environment}. */
export function readGate(environment: string, status: number, body: unknown): Gate {
  const gate: Gate = { environment, reviewers: [], adminsCanBypass: true };
  const message = isObject(body) && typeof body.message === 'string' ? `: ${body.message}` : '';
  if (status === 404) {
    return { ...gate, problem: `${environment} does not exist (or this token cannot see it): GitHub would create it on first use with no reviewers` };
  }
  if (status === 401 || status === 403) {
    return { ...gate, problem: `${environment} cannot be read (HTTP ${status}${message}): the job needs \`permissions: actions: read\`` };
  }
  if (status !== 200 || !isObject(body)) return { ...gate, problem: `${environment} cannot be read (HTTP ${status}${message})` };
  const rules = Array.isArray(body.protection_rules) ? body.protection_rules.filter(isObject) : [];
  const required = rules.find((rule) => rule.type === 'required_reviewers');
  const reviewers = (Array.isArray(required?.reviewers) ? required.reviewers : []).filter(isObject).map((entry) => {
    const reviewer = isObject(entry.reviewer) ? entry.reviewer : {};
    return entry.type === 'Team' ? `team ${String(reviewer.slug ?? reviewer.name ?? '?')}` : `@${String(reviewer.login ?? '?')}`;
  });
  const timer = rules.find((rule) => rule.type === 'wait_timer')?.wait_timer;
  const policy = body.deployment_branch_policy;
  return {
    environment,
    reviewers,
    ...(typeof required?.prevent_self_review === 'boolean' ? { preventSelfReview: required.prevent_self_review } : {}),
    adminsCanBypass: body.can_admins_bypass !== false,
    ...(typeof timer === 'number' && timer > 0 ? { waitTimer: timer } : {}),
    branches: isObject(policy) ? (policy.protected_branches === true ? 'protected branches' : 'selected branches') : 'any branch',
    ...(reviewers.length === 0 ? { problem: `${environment} requires no reviewers` } : {}),
  };
}

export interface GitHubApi {
  /** GITHUB_API_URL, e.g. https://api.github.com. */
  apiUrl: string;
  /** owner/name, GITHUB_REPOSITORY. */
  repository: string;
  token: string;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
}

/** Each environment's gate, read from GitHub; a request that fails is a gate with its problem. */
export async function readGates(environments: string[], api: GitHubApi): Promise<Gate[]> {
  const request = api.fetch ?? fetch;
  return Promise.all(
    environments.map(async (environment) => {
      const url = `${api.apiUrl.replace(/\/+$/, '')}/repos/${api.repository}/environments/${encodeURIComponent(environment)}`;
      try {
        const response = await request(url, {
          headers: {
            accept: 'application/vnd.github+json',
            authorization: `Bearer ${api.token}`,
            'x-github-api-version': '2022-11-28',
            'user-agent': 'datadog-cloudtrail-rollout',
          },
        });
        const text = await response.text();
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        return readGate(environment, response.status, body);
      } catch (error) {
        return { environment, reviewers: [], adminsCanBypass: true, problem: `${environment} cannot be read (${(error as Error).message})` };
      }
    }),
  );
}

const yesNo = (value: boolean | undefined, unknown = 'unknown'): string => (value === undefined ? unknown : value ? 'yes' : 'no');

/** The gates as a Markdown table, for the job summary. */
export function gatesMarkdown(gates: Gate[]): string {
  return [
    '| environment | required reviewers | self-review prevented | admins may bypass | wait timer | deploys from |',
    '| --- | --- | --- | --- | ---: | --- |',
    ...gates.map(
      (gate) =>
        `| ${gate.environment} | ${gate.problem && gate.reviewers.length === 0 ? `❌ ${gate.problem}` : gate.reviewers.join(', ')} | ${yesNo(gate.preventSelfReview)} | ${yesNo(gate.adminsCanBypass)} | ${gate.waitTimer === undefined ? '' : `${gate.waitTimer} min`} | ${gate.branches ?? ''} |`,
    ),
    '',
  ].join('\n');
}

/** What a repository owner does to make a wave's environment a gate. */
export const HOW_TO_PROTECT =
  'In Settings → Environments, create each environment named above and, under Deployment protection rules, add Required reviewers; ' +
  'tick "Prevent self-review" and untick "Allow administrators to bypass configured protection rules". ' +
  'Required reviewers need a public repository, or GitHub Enterprise for a private one. ' +
  `To roll out without approvals, on purpose, set the repository variable ${OPT_OUT_VARIABLE} to true.`;

/** Warnings about gates that hold but can be walked around. */
export function gateWarnings(gates: Gate[]): string[] {
  return gates.flatMap((gate) => [
    ...(gate.problem === undefined && gate.preventSelfReview === false
      ? [`${gate.environment}: the person who started the run may approve it: tick "Prevent self-review"`]
      : []),
    ...(gate.problem === undefined && gate.adminsCanBypass ? [`${gate.environment}: administrators may deploy without an approval: untick "Allow administrators to bypass"`] : []),
  ]);
}
