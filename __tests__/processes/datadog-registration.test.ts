/**
 * `datadog.manageIntegration`, planned: the Datadog provider is not on these machines, so the
 * AWS half of a registering stack is planned by the real Terraform (it runs terraform as
 * processes) with the harness's stand-ins for the Datadog resources. The synthesized blocks
 * are asserted in __tests__/datadog-registration.test.ts.
 */
import * as path from 'node:path';
import { checkStackDirs } from '../../commands/terraform';
import { managedSingleAccount } from '../support/managed-integration';
import { synthConfig } from '../support/synth';
import { TERRAFORM_SETUP_TIMEOUT_MS, terraformTest } from '../support/terraform';

const single = synthConfig(managedSingleAccount());

// The organization's managed stacks are planned with the examples (processes/examples.test.ts, organization-managed.json).
terraformTest('single-account.json with manageIntegration still passes terraform validate and an offline plan of its AWS half', async () => {
  const checks = await checkStackDirs(Object.keys(single.stacks).map((name) => path.join(single.stacksDir, name)));

  expect(checks.filter((check) => !check.plan?.ok).map((check) => `${check.stack}:\n${check.validate.output}\n${check.plan?.output ?? ''}`)).toEqual([]);
}, TERRAFORM_SETUP_TIMEOUT_MS);
