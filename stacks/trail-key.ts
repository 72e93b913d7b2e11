import { Construct } from 'constructs';
import type { TerraformResource } from 'cdktf';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import type { PolicyDocument } from '../policies/types';
import { policyJson } from './policy-json';

export interface TrailKeyProps {
  /** The key policy (policies/trail-key.ts). */
  readonly policy: PolicyDocument;
  /** The alias readers find the key by (`alias/<trail name>`). */
  readonly alias: string;
  /**
   * What the key encrypts, for its description.
   * @default 'CloudTrail log files'
   */
  readonly encrypts?: string;
}

/**
 * The customer managed key that encrypts the trail's log files (CIS 3.5/3.7, CloudTrail.2), or
 * the trail's CloudWatch Logs log group when that cannot share the trail key.
 */
export class TrailKey extends Construct {
  readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: TrailKeyProps) {
    super(scope, id);
    this.key = new KmsKey(this, 'key', {
      description: `Encrypts ${props.encrypts ?? 'CloudTrail log files'} (${props.alias}, datadog-cloudtrail)`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: policyJson(props.policy),
      // Without the key everything it encrypted is unreadable: never delete it by a deploy.
      lifecycle: { preventDestroy: true },
    });
    new KmsAlias(this, 'alias', { name: props.alias, targetKeyId: this.key.keyId });
  }

  /**
   * KMS rejects a key policy that names a role which does not exist yet; roles created in the
   * same stack must come first, even those whose own policies then refer to the key.
   */
  createAfter(...principals: TerraformResource[]): void {
    const addresses = principals.map((principal) => `${principal.terraformResourceType}.${principal.friendlyUniqueId}`);
    this.key.dependsOn = [...(this.key.dependsOn ?? []), ...addresses];
  }
}
