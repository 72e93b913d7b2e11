import type { Construct } from 'constructs';
import { Testing } from 'cdktf';
import { ReadableAddressStack } from '../../stacks/readable-stack';
import { tempDir } from './configs';
import type { TfJson } from './synth';

/**
 * `Testing.synthScope` for the construct specs: builds constructs alone in a stack and returns
 * the stack's Terraform JSON (`Testing.synth`), parsed. Two differences from synthScope, which
 * takes no app: the stack gives the readable addresses the account stacks give
 * (`<construct id>_<resource id>`, stacks/readable-stack.ts), which are a public contract the
 * specs assert; and its app writes under the test file's own temporary directory, where
 * `Testing.app()` would leave an empty `cdktf.outdir.*` in the system's.
 */
export function synthScope(build: (scope: Construct) => void): TfJson {
  const stack = new ReadableAddressStack(Testing.app({ outdir: tempDir() }), 'test');
  build(stack);
  return JSON.parse(Testing.synth(stack)) as TfJson;
}

/** The resource at `type.name` in a synthesized stack (undefined when there is none). */
export function resourceAt(stack: TfJson, address: string): Record<string, any> | undefined { // eslint-disable-line @typescript-eslint/no-explicit-any -- synthesized Terraform JSON, whose nested attributes the assertions read without a type per resource
  const dot = address.indexOf('.');
  return stack.resource?.[address.slice(0, dot)]?.[address.slice(dot + 1)];
}
