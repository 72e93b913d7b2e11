/**
 * commands/diff/forces-replacement.json, the diff's knowledge of which attribute changes replace
 * a resource, is generated from the AWS provider's own plans (tools/forces-replacement.ts).
 * These tests catch a stale file; regenerate it with
 * `npx ts-node --transpile-only tools/forces-replacement.ts`.
 */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import data from '../commands/diff/forces-replacement.json';
import { synthFile } from './support/synth';

const EXAMPLES = path.join(__dirname, '..', 'examples');

describe('the replacement data of the diff', () => {
  test('covers every AWS resource type of the example stacks', () => {
    const types = new Set(
      readdirSync(EXAMPLES)
        .filter((file) => file.endsWith('.json'))
        .flatMap((file) => Object.values(synthFile(path.join(EXAMPLES, file)).stacks).flatMap((stack) => Object.keys(stack.resource ?? {}))),
    );

    expect([...types].filter((type) => type.startsWith('aws_') && !(type in data.forcesReplacement)).sort()).toEqual([]);
  });

  test('was generated with the AWS provider the stacks pin, or says which older one stood in for it', () => {
    const pinned = (require('@cdktf/provider-aws/package.json') as { cdktf: { provider: { version: string } } }).cdktf.provider.version; // eslint-disable-line @typescript-eslint/no-require-imports
    const { provider, standInFor } = data as { provider: string; standInFor?: string };

    expect(standInFor ?? provider).toBe(`registry.terraform.io/hashicorp/aws ${pinned}`);
  });
});
