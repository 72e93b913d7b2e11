/**
 * The offline Terraform harness's rules, in process: how it rewrites a stack so that plan needs
 * neither credentials nor network, what environment and provider installation it gives
 * terraform, and how it compares versions. Its runs of the real terraform are in
 * __tests__/processes/terraform-harness.test.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cliConfig, makeOffline, providerMirror, terraformEnv } from '../commands/terraform';
import { compareVersions } from '../commands/provider-stand-in';

const DEPLOY_ROLE = 'arn:aws:iam::111111111111:role/Deploy';

describe('makeOffline', () => {
  const synthesized = {
    provider: {
      aws: [
        { region: 'us-east-1', assume_role: [{ role_arn: DEPLOY_ROLE }], allowed_account_ids: ['111111111111'] },
        { alias: 'audit', region: 'eu-west-1', assume_role: [{ role_arn: DEPLOY_ROLE }], profile: 'audit' },
      ],
    },
    terraform: {
      backend: { s3: { bucket: 'acme-terraform-state', key: 'prod.tfstate', region: 'us-east-1' } },
      required_providers: { aws: { source: 'aws', version: '5.100.0' } },
    },
  };
  const awsBlocks = (config: Record<string, unknown>) =>
    (config.provider as { aws: Array<Record<string, unknown>> }).aws;

  test('gives every aws provider block, aliased or not, fake keys and every skip_* flag', () => {
    for (const block of awsBlocks(makeOffline(synthesized))) {
      expect(block).toMatchObject({
        access_key: expect.any(String),
        secret_key: expect.any(String),
        skip_credentials_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: true,
        skip_region_validation: true,
      });
    }
  });

  test('drops assume_role and profile, which would reach STS or the developer\'s AWS files', () => {
    for (const block of awsBlocks(makeOffline(synthesized))) {
      expect(block).not.toHaveProperty('assume_role');
      expect(block).not.toHaveProperty('profile');
    }
  });

  test('drops allowed_account_ids, which fails without a real caller account ID', () => {
    expect(awsBlocks(makeOffline(synthesized))[0]).not.toHaveProperty('allowed_account_ids');
  });

  test('keeps each block\'s region and alias', () => {
    const blocks = awsBlocks(makeOffline(synthesized));
    expect(blocks.map((b) => [b.alias, b.region])).toEqual([
      [undefined, 'us-east-1'],
      ['audit', 'eu-west-1'],
    ]);
  });

  test('removes the remote backend and keeps the provider requirements', () => {
    expect(makeOffline(synthesized).terraform).toEqual({
      required_providers: { aws: { source: 'aws', version: '5.100.0' } },
    });
  });

  test('leaves its argument untouched', () => {
    const before = JSON.stringify(synthesized);
    makeOffline(synthesized);
    expect(JSON.stringify(synthesized)).toBe(before);
  });
});

describe('terraformEnv', () => {
  const developer = {
    PATH: '/usr/bin',
    AWS_PROFILE: 'admin',
    AWS_ACCESS_KEY_ID: 'AKIAREALREALREALREAL',
    AWS_SECRET_ACCESS_KEY: 'real-secret',
    AWS_SESSION_TOKEN: 'real-token',
    TF_CLI_ARGS_plan: '-target=aws_s3_bucket.x',
    TF_VAR_owner: 'me',
  };

  test('passes no AWS credentials or profile down', () => {
    const env = terraformEnv(developer, '/tmp/work/terraform.tfrc');
    for (const secret of ['admin', 'AKIAREALREALREALREAL', 'real-secret', 'real-token']) {
      expect(Object.values(env)).not.toContain(secret);
    }
    expect(Object.keys(env).filter((key) => key.startsWith('AWS_')).sort()).toEqual([
      'AWS_CONFIG_FILE',
      'AWS_EC2_METADATA_DISABLED',
      'AWS_SHARED_CREDENTIALS_FILE',
    ]);
  });

  test('uses the harness\'s CLI config, no EC2 metadata and no update check', () => {
    expect(terraformEnv(developer, '/tmp/work/terraform.tfrc')).toMatchObject({
      TF_CLI_CONFIG_FILE: '/tmp/work/terraform.tfrc',
      AWS_EC2_METADATA_DISABLED: 'true',
      CHECKPOINT_DISABLE: '1',
      TF_IN_AUTOMATION: '1',
    });
  });

  test('drops TF_CLI_ARGS_* but keeps variables and PATH', () => {
    const env = terraformEnv(developer, '/tmp/work/terraform.tfrc');
    expect(env).not.toHaveProperty('TF_CLI_ARGS_plan');
    expect(env).toMatchObject({ TF_VAR_owner: 'me', PATH: '/usr/bin' });
  });
});

describe('provider installation', () => {
  test('installs hashicorp providers only from the mirror named by DD_CLOUDTRAIL_PROVIDER_MIRROR', () => {
    const config = cliConfig('/srv/mirror');
    expect(config).toContain('filesystem_mirror {\n    path    = "/srv/mirror"');
    expect(config).toMatch(/direct \{\s+exclude = \["registry.terraform.io\/hashicorp\/\*"\]/);
  });

  test('lists every local provider directory, whose versions Terraform combines, before refusing the network', () => {
    const config = cliConfig(['/srv/mirror', '/srv/plugin-cache']);
    expect(config.match(/filesystem_mirror \{\n {4}path {4}= "([^"]+)"/g)?.map((block) => block.split('"')[1])).toEqual(['/srv/mirror', '/srv/plugin-cache']);
    expect(config).toMatch(/\}\n {2}direct \{\s+exclude = \["registry.terraform.io\/hashicorp\/\*"\]/);
  });

  test("leaves Terraform's normal installation (no provider_installation) without a mirror", () => {
    expect(providerMirror({})).toBeUndefined();
    expect(cliConfig(undefined)).toBe('');
  });

  test('refuses a mirror variable that names no directory, naming the variable', () => {
    expect(() => providerMirror({ DD_CLOUDTRAIL_PROVIDER_MIRROR: '/nonexistent/tf-mirror' })).toThrow(
      /DD_CLOUDTRAIL_PROVIDER_MIRROR=\/nonexistent\/tf-mirror is not a directory/,
    );
  });

  test('names no directory of any one machine in the shipped code', () => {
    const shipped = ['commands/terraform.ts', 'commands/validate.ts', 'README.md', 'docs/DEPLOYING.md', 'docs/REVIEWING.md'];
    for (const file of shipped) expect(fs.readFileSync(path.join(__dirname, '..', file), 'utf8')).not.toMatch(/\/opt\/|\/work\//);
  });
});

describe('compareVersions', () => {
  test.each([
    ['1.9.8', '1.10.0', -1],
    ['1.10.0', '1.10.0', 0],
    ['1.11.4', '1.10.0', 1],
    ['1.10.0-beta1', '1.10.0', 0],
  ])('compares %s with %s', (a, b, sign) => {
    expect(Math.sign(compareVersions(a, b))).toBe(sign);
  });
});
