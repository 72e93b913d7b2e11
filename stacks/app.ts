import { App } from 'cdktf';
import type { ResolvedConfig } from '../config/resolve';
import { AccountStack } from './account-stack';

export interface BuildAppOptions {
  /** Where `cdk.tf.json` files go. @default 'cdktf.out' (or the cdktf CLI's choice) */
  readonly outdir?: string;
}

/** One stack per account of a validated config. */
export function buildApp(config: ResolvedConfig, options: BuildAppOptions = {}): App {
  const app = new App({ outdir: options.outdir });
  const stacks = new Map(config.accounts.map((account) => [account, new AccountStack(app, { config, account })]));
  const organization = config.organization;
  if (organization && organization.management !== organization.logArchive) {
    // CloudTrail checks the bucket policy when it creates the organization trail.
    stacks.get(organization.management)?.addDependency(stacks.get(organization.logArchive) as AccountStack);
  }
  return app;
}
