/**
 * GitHub's answers to "Get an environment"
 * (https://docs.github.com/en/rest/deployments/environments#get-an-environment), recorded: its
 * documented example, an environment as GitHub creates it on first use ("will not have any
 * protection rules"), and its 404 and 403 bodies. For the specification of the approval gates
 * (approvals.test.ts) and of `npm run approvals` (processes/approvals.test.ts).
 */

/** The documented example response, reviewer objects shortened to the fields read. */
export const PROTECTED = {
  id: 161088068,
  node_id: 'MDExOkVudmlyb25tZW50MTYxMDg4MDY4',
  name: 'staging',
  url: 'https://api.github.com/repos/github/hello-world/environments/staging',
  html_url: 'https://github.com/github/hello-world/deployments/activity_log?environments_filter=staging',
  created_at: '2020-11-23T22:00:40Z',
  updated_at: '2020-11-23T22:00:40Z',
  protection_rules: [
    { id: 3736, node_id: 'MDQ6R2F0ZTM3MzY=', type: 'wait_timer', wait_timer: 30 },
    {
      id: 3755,
      node_id: 'MDQ6R2F0ZTM3NTU=',
      prevent_self_review: false,
      type: 'required_reviewers',
      reviewers: [
        { type: 'User', reviewer: { login: 'octocat', id: 1, node_id: 'MDQ6VXNlcjE=', type: 'User', site_admin: false } },
        { type: 'Team', reviewer: { id: 1, node_id: 'MDQ6VGVhbTE=', name: 'Justice League', slug: 'justice-league', parent: null } },
      ],
    },
    { id: 3756, node_id: 'MDQ6R2F0ZTM3NTY=', type: 'branch_policy' },
  ],
  deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
};
/** The same, set up as docs/ROLLOUT.md asks: self-review prevented, no bypass for administrators. */
export const LOCKED_DOWN = {
  ...PROTECTED,
  can_admins_bypass: false,
  protection_rules: PROTECTED.protection_rules.map((rule) => (rule.type === 'required_reviewers' ? { ...rule, prevent_self_review: true } : rule)),
};
/** An environment as a workflow creates it on first use: no protection rules. */
export const CREATED_ON_FIRST_USE = { ...PROTECTED, name: 'wave-2', can_admins_bypass: true, protection_rules: [], deployment_branch_policy: null };
export const NOT_FOUND = { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/deployments/environments#get-an-environment', status: '404' };
export const FORBIDDEN = { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest/deployments/environments#get-an-environment', status: '403' };
