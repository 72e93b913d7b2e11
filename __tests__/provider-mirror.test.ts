/** DD_CLOUDTRAIL_PROVIDER_MIRROR names a Terraform filesystem mirror's root (commands/terraform.ts). */
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { providerMirror } from '../commands/terraform';
import { tempDir } from './support/configs';

describe('DD_CLOUDTRAIL_PROVIDER_MIRROR', () => {
  const mirror = tempDir('mirror-');
  const provider = path.join(mirror, 'registry.terraform.io', 'hashicorp', 'aws');
  mkdirSync(path.join(provider, '5.100.0', 'linux_amd64'), { recursive: true });

  test('names the root of a filesystem mirror', () => {
    expect(providerMirror({ DD_CLOUDTRAIL_PROVIDER_MIRROR: mirror })).toBe(mirror);
  });

  test.each([[provider], [path.join(provider, '5.100.0')]])('pointing into the mirror (%s) is refused with the root to use', (inside) => {
    expect(() => providerMirror({ DD_CLOUDTRAIL_PROVIDER_MIRROR: inside })).toThrow(
      `DD_CLOUDTRAIL_PROVIDER_MIRROR=${inside} holds no registry.terraform.io/hashicorp/aws/: it must name the mirror's root, the folder that holds registry.terraform.io/. Set DD_CLOUDTRAIL_PROVIDER_MIRROR=${mirror}`,
    );
  });
});
