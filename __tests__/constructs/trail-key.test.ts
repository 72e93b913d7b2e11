import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { TrailKey } from '../../stacks/trail-key';
import { resourceAt, synthScope } from '../support/construct';
import { addresses, parsePolicy, type TfJson } from '../support/synth';

/** A small fixture: the key takes its policy as it is given. */
const POLICY = {
  Version: '2012-10-17' as const,
  Statement: [{ Sid: 'Fixture', Effect: 'Allow' as const, Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'kms:*', Resource: '*' }],
};
const PROPS = { alias: 'alias/datadog-cloudtrail', policy: POLICY };

const synthKey = (): TfJson => synthScope((scope) => new TrailKey(scope, 'trail-key', PROPS));
const theKey = (stack: TfJson) => resourceAt(stack, 'aws_kms_key.trail-key_key') as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- synthesized Terraform JSON, whose nested attributes the assertions read without a type per resource

describe('TrailKey', () => {
  const stack = synthKey();

  test('rotates the key and waits the longest window, 30 days, before deleting it', () => {
    expect(theKey(stack)).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
  });

  test('is never destroyed by a deploy: without it no log file it encrypted can be read', () => {
    expect(theKey(stack).lifecycle).toEqual({ prevent_destroy: true });
  });

  test('attaches the key policy it is given', () => {
    expect(parsePolicy(theKey(stack).policy)).toEqual(POLICY);
  });

  test('is found by its alias', () => {
    expect(resourceAt(stack, 'aws_kms_alias.trail-key_alias')).toEqual({ name: 'alias/datadog-cloudtrail', target_key_id: '${aws_kms_key.trail-key_key.key_id}' });
  });

  test('depends on nothing unless told to', () => {
    expect(theKey(stack)).not.toHaveProperty('depends_on');
  });

  test('is created after the reader roles its policy names, which KMS requires to exist', () => {
    const ordered = synthScope((scope) => {
      const reader = new IamRole(scope, 'reader', { name: 'reader', assumeRolePolicy: '{}' });
      const forwarder = new IamRole(scope, 'forwarder-role', { name: 'forwarder', assumeRolePolicy: '{}' });
      new TrailKey(scope, 'trail-key', PROPS).createAfter(reader, forwarder);
    });

    expect(theKey(ordered).depends_on).toEqual(['aws_iam_role.reader', 'aws_iam_role.forwarder-role']);
  });

  test('keeps the roles of earlier createAfter calls', () => {
    const ordered = synthScope((scope) => {
      const key = new TrailKey(scope, 'trail-key', PROPS);
      key.createAfter(new IamRole(scope, 'reader', { name: 'reader', assumeRolePolicy: '{}' }));
      key.createAfter(new IamRole(scope, 'forwarder-role', { name: 'forwarder', assumeRolePolicy: '{}' }));
    });

    expect(theKey(ordered).depends_on).toEqual(['aws_iam_role.reader', 'aws_iam_role.forwarder-role']);
  });

  test('keeps its Terraform addresses', () => {
    expect(addresses(stack)).toEqual(['aws_kms_alias.trail-key_alias', 'aws_kms_key.trail-key_key']);
  });
});
