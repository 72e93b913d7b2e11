import { App } from 'cdktf';
import type { PlannedConfig } from '../config/plan';
import { AccountStack } from './account-stack';

export interface BuildAppOptions {
  /** Where `cdk.tf.json` files go. @default 'cdktf.out' (or the cdktf CLI's choice) */
  readonly outdir?: string;
}

/** One stack per account of a validated config. */
export function buildApp(config: PlannedConfig, options: BuildAppOptions = {}): App {
  const app = new App({ outdir: options.outdir });
  const stacks = new Map(config.plans.map((plan) => [plan.account, new AccountStack(app, { config, plan })]));
  // CloudTrail checks the bucket policy when it creates the organization trail.
  for (const plan of config.plans) if (plan.deployAfter) stacks.get(plan.account)?.addDependency(stacks.get(plan.deployAfter) as AccountStack);
  return app;
}
