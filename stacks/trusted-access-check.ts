import type { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';

/** The service principal that must have trusted access for an organization trail. */
const CLOUDTRAIL_PRINCIPAL = 'cloudtrail.amazonaws.com';

/**
 * A Terraform `check` block (https://developer.hashicorp.com/terraform/language/checks) that
 * warns, at every plan and apply of the management stack, when CloudTrail has no trusted
 * access in AWS Organizations: without it, creating an organization trail through the API
 * fails (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-an-organizational-trail-prepare.html).
 * The data source lives inside the check, so a failing read (no Organizations permission, or
 * an offline plan) is a warning too and never blocks the plan. cdktf 0.21 has no construct for
 * `check`, hence the override on the stack.
 */
export function checkCloudTrailTrustedAccess(scope: Construct): void {
  TerraformStack.of(scope).addOverride('check.cloudtrail_trusted_access', {
    data: { aws_organizations_organization: { this: {} } },
    assert: [
      {
        condition: `\${contains(data.aws_organizations_organization.this.aws_service_access_principals, "${CLOUDTRAIL_PRINCIPAL}")}`,
        error_message: `CloudTrail has no trusted access in AWS Organizations, so the organization trail cannot be created. From the management account, run once: aws organizations enable-aws-service-access --service-principal ${CLOUDTRAIL_PRINCIPAL}`,
      },
    ],
  });
}
