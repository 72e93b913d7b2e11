/**
 * An AWS organization as the AWS CLI lists it, and a config of it, for the import-accounts and
 * enrollment specifications.
 */
import type { Config } from '../../config/types';

/** An organization: Root > Workloads > (Prod, Quarantine), Root > Sandbox. */
export const TREE = {
  Roots: [{ Id: 'r-ab12', Name: 'Root' }],
  Parents: [
    { ParentId: 'r-ab12', OrganizationalUnits: [{ Id: 'ou-ab12-workload', Name: 'Workloads' }, { Id: 'ou-ab12-sandbox0', Name: 'Sandbox' }], Accounts: [{ Id: '111111111111' }, { Id: '222222222222' }] },
    { ParentId: 'ou-ab12-workload', OrganizationalUnits: [{ Id: 'ou-ab12-prodprod', Name: 'Prod' }, { Id: 'ou-ab12-quaranti', Name: 'Quarantine' }], Accounts: [{ Id: '777777777777' }] },
    { ParentId: 'ou-ab12-prodprod', OrganizationalUnits: [], Accounts: [{ Id: '555555555555' }, { Id: '888888888888' }, { Id: '123456789012' }, { Id: '131313131313' }] },
    { ParentId: 'ou-ab12-quaranti', OrganizationalUnits: [], Accounts: [{ Id: '999999999999' }] },
    { ParentId: 'ou-ab12-sandbox0', OrganizationalUnits: [], Accounts: [{ Id: '333333333333' }, { Id: '666666666666' }, { Id: '444444444444' }, { Id: '121212121212' }] },
  ],
};

export const LISTED = {
  Accounts: [
    { Id: '111111111111', Name: 'Management', State: 'ACTIVE', Status: 'ACTIVE' },
    { Id: '222222222222', Name: 'Log archive', State: 'ACTIVE', Status: 'ACTIVE' },
    { Id: '333333333333', Name: 'Sandbox', State: 'ACTIVE', Status: 'ACTIVE' },
    { Id: '444444444444', Name: 'New sandbox', State: 'ACTIVE', Status: 'ACTIVE' },
    { Id: '555555555555', Name: 'Prod', State: 'ACTIVE', Status: 'ACTIVE' },
    { Id: '666666666666', Name: 'Payments', State: 'ACTIVE', Status: 'ACTIVE' },
    { Id: '777777777777', Name: 'Team A', State: 'ACTIVE', Status: 'ACTIVE' },
    { Id: '888888888888', Name: 'Team B prod', State: 'ACTIVE', Status: 'ACTIVE' },
    { Id: '999999999999', Name: 'Quarantined', State: 'ACTIVE', Status: 'ACTIVE' },
    { Id: '123456789012', Name: 'Old analytics', State: 'SUSPENDED', Status: 'SUSPENDED' },
    { Id: '121212121212', Name: 'Closing', State: 'PENDING_CLOSURE', Status: 'PENDING_CLOSURE' },
    { Id: '131313131313', Name: 'Archive', State: 'CLOSED', Status: 'SUSPENDED' },
  ],
};

const member = (name: string, accountId: string, wave: number) => ({ name, accountId, region: 'us-east-1', wave, assumeRoleArn: `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole` });

/** The organization's config: payments (666…) was in Prod and has moved to Sandbox; analytics is suspended, archive closed; legacy is gone. */
export function organizationConfig(): Config {
  return {
    datadog: { site: 'datadoghq.com', manageIntegration: true, apiKeySecretArn: 'arn:aws:secretsmanager:us-east-1:222222222222:secret:datadog-api-key-AbCdEf' },
    trail: { name: 'org-trail', bucketName: 'acme-org-cloudtrail-{accountId}' },
    organization: { id: 'o-a1b2c3d4e5', managementAccount: 'management', logArchiveAccount: 'log-archive' },
    enrollment: { wave: 2, organizationalUnits: ['ou-ab12-workload'], excludeOrganizationalUnits: ['ou-ab12-quaranti'] },
    accounts: [
      member('log-archive', '222222222222', 1),
      { name: 'management', accountId: '111111111111', region: 'us-east-1', wave: 1 },
      member('prod', '555555555555', 2),
      member('payments', '666666666666', 2),
      member('analytics', '123456789012', 3),
      member('archive', '131313131313', 3),
      member('legacy', '101010101010', 3),
    ],
  };
}

