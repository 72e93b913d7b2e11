/**
 * The rule table at synth: the freshly synthesized stacks of a config either meet every rule,
 * or the config names the switch that opts out of it; anything else stops the synth.
 */
import type { PlannedConfig } from '../config/plan';
import { type CheckReport, checkStacksDir, violationLine } from './engine';
import { type Rule, RULES } from './rules';
import { defaultSwitches } from './switches';

/** A synthesized stack breaks a rule that no switch of its config explains. */
export class SecurityCheckError extends Error {
  override readonly name = 'SecurityCheckError';
}

/**
 * Rules the config opts out of, one line each, naming the switch and the stacks. A rule whose
 * switch is off by default (the schema's default would have it off too: CloudWatch Logs
 * delivery, S3 data events) is not something the user opted out of: said so, and how to turn
 * it on, rather than "Opted out by".
 */
export function optedOutLines(report: CheckReport, rules: readonly Rule[] = RULES): string[] {
  const defaults = defaultSwitches();
  return report.rules
    .filter((rule) => rule.status === 'opted out')
    .map((rule) => {
      const stacks = [...new Set(report.violations.filter((v) => v.rule === rule.id && v.optedOut).map((v) => v.stack))];
      const named = stacks.length > 5 ? `${stacks.slice(0, 5).join(', ')}, and ${stacks.length - 5} more` : stacks.join(', ');
      const offByDefault = rules.find((candidate) => candidate.id === rule.id)?.optOut?.explains(defaults) ?? false;
      const why = offByDefault ? `Off by default (on with ${rule.switch})` : `Opted out by ${rule.switch}`;
      return `${why}: ${rule.id} [${rule.benchmarks.join(', ')}] in ${stacks.length} stack(s): ${named}`;
    });
}

/**
 * Checks the stacks of `config` in `stacksDir`, prints (through `log`) every rule the config
 * opts out of, and throws SecurityCheckError, naming each rule and address, on a violation no
 * switch explains.
 */
export function verifySynthesizedStacks(stacksDir: string, config: PlannedConfig, log: (line: string) => void = console.log): CheckReport {
  const report = checkStacksDir(stacksDir, config, { only: config.accounts.map((account) => account.name) });
  optedOutLines(report).forEach((line) => log(line));
  const failures = report.violations.filter((v) => !v.optedOut);
  if (failures.length > 0) {
    throw new SecurityCheckError(`The synthesized stacks break security rules that no config switch explains:\n${failures.map(violationLine).join('\n')}`);
  }
  return report;
}
