/**
 * A config whose strings are Terraform expressions and directives, for the tests that config
 * values reach Terraform as the literal text they are: synthesized in process, planned with
 * real Terraform.
 */
import { validConfig } from './configs';
import { INJECTED } from './planted-violations';
import { type Synthesized, synthConfig } from './synth';

export const DIRECTIVE = '%{ if true }yes%{ endif }';

/**
 * The default config, with the injected expression in a tag, in ddTags and in a second tag as
 * a directive. No failed-event store in the plan: its queue URL, known only after apply, would
 * make the whole environment unknown to the plan, hiding DD_TAGS.
 */
export function hostile({ storeFailedEvents = true } = {}): Synthesized {
  const config = validConfig();
  config.tags = { Owner: INJECTED, Directive: DIRECTIVE };
  config.forwarder = { ddTags: `team:${INJECTED}`, storeFailedEvents };
  return synthConfig(config);
}
