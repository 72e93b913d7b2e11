/**
 * The rule table at synth: the freshly synthesized stacks of a config either meet every rule,
 * or the config names the switch that opts out of it; anything else stops the synth.
 */
import type { ResolvedConfig } from '../config/resolve';
import { type CheckReport, checkStacksDir, violationLine } from './engine';

/** A synthesized stack breaks a rule that no switch of its config explains. */
export class SecurityCheckError extends Error {
  override readonly name = 'SecurityCheckError';
}

/** Rules the config opts out of, one line each, naming the switch and the stacks. */
export function optedOutLines(report: CheckReport): string[] {
  return report.rules
    .filter((rule) => rule.status === 'opted out')
    .map((rule) => {
      const stacks = [...new Set(report.violations.filter((v) => v.rule === rule.id && v.optedOut).map((v) => v.stack))];
      const named = stacks.length > 5 ? `${stacks.slice(0, 5).join(', ')}, and ${stacks.length - 5} more` : stacks.join(', ');
      return `Opted out by ${rule.switch}: ${rule.id} [${rule.benchmarks.join(', ')}] in ${stacks.length} stack(s): ${named}`;
    });
}

/**
 * Checks the stacks of `config` in `stacksDir`, prints (through `log`) every rule the config
 * opts out of, and throws SecurityCheckError, naming each rule and address, on a violation no
 * switch explains.
 */
export function verifySynthesizedStacks(stacksDir: string, config: ResolvedConfig, log: (line: string) => void = console.log): CheckReport {
  const report = checkStacksDir(stacksDir, config, { only: config.accounts.map((account) => account.name) });
  optedOutLines(report).forEach((line) => log(line));
  const failures = report.violations.filter((v) => !v.optedOut);
  if (failures.length > 0) {
    throw new SecurityCheckError(`The synthesized stacks break security rules that no config switch explains:\n${failures.map(violationLine).join('\n')}`);
  }
  return report;
}
