/**
 * An account list as `aws organizations list-accounts` prints it, and a per-account config to
 * import it into, for the import-accounts specifications of rollout-scripts.test.ts (in process)
 * and processes/rollout-scripts.test.ts (the command).
 */
import { validConfig } from './configs';

/** Accounts renamed, new, suspended, named with characters a stack name cannot hold, and one whose name is taken. */
export const LISTED = {
  Accounts: [
    { Id: '111111111111', Name: 'Prod (renamed)', Status: 'ACTIVE' },
    { Id: '222222222222', Name: 'Data Platform — EU', Status: 'ACTIVE', State: 'ACTIVE' },
    { Id: '333333333333', Name: 'Old sandbox', Status: 'SUSPENDED', State: 'SUSPENDED' },
    { Id: '444444444444', Name: '2024 experiments', Status: 'ACTIVE' },
    { Id: '555555555555', Name: 'prod', Status: 'ACTIVE' },
  ],
};

/**
 * A per-account config whose forwarders may read its one API key secret from any account: the
 * secret is under a customer managed key (each stack prints the statements its owner adds).
 */
export const importable = (): ReturnType<typeof validConfig> => {
  const config = validConfig();
  config.datadog.apiKeySecretKmsKeyArn = 'arn:aws:kms:us-east-1:111111111111:key/2a6f3c1e-7b9d-4e8a-9c0f-5d1b3e7a9c2f';
  return config;
};
