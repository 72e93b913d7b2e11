import type { Node } from 'constructs';
import { TerraformElement, TerraformStack } from 'cdktf';

/**
 * A stack whose Terraform addresses are the construct path joined with `_`
 * (`datadog-role_role`), not cdktf's hashed default: reviewers read them in plans, and they
 * never change unless a construct is renamed (which the address-listing test makes visible).
 */
export class ReadableAddressStack extends TerraformStack {
  protected override allocateLogicalId(element: TerraformElement | Node): string {
    const node = TerraformElement.isTerraformElement(element) ? element.node : element;
    return node.scopes
      .slice(node.scopes.indexOf(this) + 1)
      .map((scope) => scope.node.id)
      .join('_');
  }
}
