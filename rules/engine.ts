/**
 * Runs the rule table over synthesized stacks: every `<stack>/cdk.tf.json` of a directory,
 * each read and parsed once, checked, then dropped (5,000 stacks never sit in memory at once).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { readJsonFile } from '../config/json';
import type { PlannedConfig } from '../config/plan';
import { CheckInputError } from './errors';
import { type Rule, type RuleContext, RULES } from './rules';
import { StackView } from './stack';
import { accountSwitches, defaultSwitches, type Switches } from './switches';

export interface Violation {
  rule: string;
  benchmarks: string[];
  stack: string;
  /** Terraform address of the resource. */
  address: string;
  problem: string;
  /** The config switch that can turn the rule off, if any. */
  switch?: string;
  /** The stack's config (or, without one, the schema defaults) turns the rule off. */
  optedOut: boolean;
}

export type RuleStatus = 'holds' | 'failed' | 'opted out' | 'not applicable';

export interface RuleResult {
  id: string;
  benchmarks: string[];
  description: string;
  status: RuleStatus;
  /** How many resources the rule looked at, over all stacks. */
  resources: number;
  switch?: string;
}

export interface CheckReport {
  stacks: string[];
  rules: RuleResult[];
  violations: Violation[];
  /** Whether every applicable rule holds or is opted out. */
  ok: boolean;
}

/** Checks one parsed stack in its context (with the config: its account and plan); `switches` decide what the config opts out of. */
function checkStack(context: RuleContext, switches: Switches, rules: readonly Rule[]): { violations: Violation[]; resources: number[] } {
  const { stack } = context;
  const violations: Violation[] = [];
  const resources = rules.map((rule) => {
    const targets = rule.targets(stack, context);
    for (const target of targets) {
      for (const problem of rule.check(target, context)) {
        violations.push({
          rule: rule.id,
          benchmarks: rule.benchmarks,
          stack: stack.name,
          address: target.address,
          problem,
          switch: rule.optOut?.switch,
          optedOut: rule.optOut?.explains(switches) ?? false,
        });
      }
    }
    return targets.length;
  });
  return { violations, resources };
}

/** Stack name → parsed `cdk.tf.json`, for checks of stacks already in memory (tests, synth). */
export function checkParsedStacks(stacks: Record<string, unknown>, config?: PlannedConfig, rules: readonly Rule[] = RULES): CheckReport {
  return report(Object.entries(stacks).map(([name, json]) => () => new StackView(name, json)), config, rules);
}

/**
 * Every `<stack>/cdk.tf.json` directly under `dir` (or only the stacks named in `only`); other
 * files and directories are ignored.
 */
export function checkStacksDir(dir: string, config?: PlannedConfig, options: { only?: string[]; rules?: readonly Rule[] } = {}): CheckReport {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CheckInputError(`${dir} is not a directory`);
  const files = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, 'cdk.tf.json')))
    .map((entry) => entry.name)
    .filter((name) => options.only === undefined || options.only.includes(name))
    .sort();
  if (files.length === 0) throw new CheckInputError(`${dir} holds no <stack>/cdk.tf.json: synthesize first (npm run synth)`);
  return report(files.map((name) => () => new StackView(name, readJson(path.join(dir, name, 'cdk.tf.json')))), config, options.rules ?? RULES);
}

/** The stack's `cdk.tf.json`, refused when it is not JSON or repeats a key (config/json.ts). */
function readJson(file: string): unknown {
  try {
    return readJsonFile(file);
  } catch (error) {
    throw new CheckInputError(`${file} cannot be checked: ${(error as Error).message}`);
  }
}

function report(loaders: Array<() => StackView>, config: PlannedConfig | undefined, rules: readonly Rule[]): CheckReport {
  const defaults = defaultSwitches();
  const plans = new Map(config?.plans.map((plan) => [plan.account.name, plan]));
  const violations: Violation[] = [];
  const resources = rules.map(() => 0);
  const stacks: string[] = [];
  for (const load of loaders) {
    const stack = load();
    stacks.push(stack.name);
    const plan = plans.get(stack.name);
    if (config && !plan) throw new CheckInputError(`stack ${stack.name} is not an account of the config`);
    const switches = config && plan ? accountSwitches(config, plan.account) : defaults;
    const result = checkStack({ stack, config, account: plan?.account, plan }, switches, rules);
    violations.push(...result.violations);
    result.resources.forEach((count, i) => (resources[i] += count));
  }
  const results = rules.map((rule, i): RuleResult => {
    const own = violations.filter((v) => v.rule === rule.id);
    const status: RuleStatus = own.some((v) => !v.optedOut) ? 'failed' : own.length > 0 ? 'opted out' : resources[i] > 0 ? 'holds' : 'not applicable';
    return { id: rule.id, benchmarks: rule.benchmarks, description: rule.description, status, resources: resources[i], switch: rule.optOut?.switch };
  });
  return { stacks, rules: results, violations, ok: results.every((r) => r.status !== 'failed') };
}

/** One line per violation: rule, benchmarks, stack, address, what is wrong, and the switch. */
export function violationLine(v: Violation): string {
  const verdict = v.optedOut ? 'OPTED OUT' : 'FAIL';
  const toggle = v.switch ? (v.optedOut ? ` (opted out by ${v.switch})` : ` (switch: ${v.switch})`) : '';
  return `${verdict} ${v.rule} [${v.benchmarks.join(', ')}] ${v.stack} ${v.address}: ${v.problem}${toggle}`;
}

export function summaryLine(report: CheckReport): string {
  const count = (status: RuleStatus) => report.rules.filter((r) => r.status === status).length;
  return `${report.stacks.length} stack(s), ${report.rules.length} rules: ${count('holds')} hold, ${count('opted out')} opted out, ${count('not applicable')} not applicable, ${count('failed')} failed`;
}
