/**
 * What a valid config may still get wrong about its roll-out, said as warnings (synth, stacks
 * and shards print them; nothing is refused): waves that do not run in the order or the
 * numbers the config suggests, and member accounts that deploy before the stacks their
 * logs depend on.
 */
import type { PlannedConfig } from './plan';

/** rollout.yml runs the first to the eighth wave of the config, whatever their numbers (its jobs wave-1 ... wave-8). */
export const ROLLOUT_WAVES = 8;

export function configWarnings(config: PlannedConfig): string[] {
  return [...waveGaps(config), ...membersBeforeTheirLogs(config)];
}

/**
 * Wave numbers are an order, not positions: the roll-out runs the waves there are, in order,
 * so `1, 2, 5` runs 5 third, and wave numbers past eight are not "wave 9" of rollout.yml.
 */
function waveGaps(config: PlannedConfig): string[] {
  const waves = [...new Set(config.accounts.map((account) => account.wave))].sort((a, b) => a - b);
  const missing = waves.length === 0 ? [] : range(1, waves[waves.length - 1]).filter((wave) => !waves.includes(wave));
  if (missing.length === 0) return [];
  const order = waves.map((wave, i) => `${wave} runs ${ordinal(i + 1)}`).slice(0, ROLLOUT_WAVES);
  return [
    `no account is in wave ${joinAnd(runs(missing))}: the roll-out runs the waves there are, in order, whatever their ` +
      `numbers (${order.join(', ')}${waves.length > ROLLOUT_WAVES ? `; rollout.yml runs at most ${ROLLOUT_WAVES}` : ''}). ` +
      'Number the waves 1, 2, 3, ... to say what runs.',
  ];
}

/**
 * In an organization a member's stack holds only its Datadog role, which reads logs of the
 * trail, bucket and forwarder of other stacks: deployed in an earlier wave, a member is a
 * canary with no trail and no forwarder behind it, which proves nothing.
 */
function membersBeforeTheirLogs(config: PlannedConfig): string[] {
  if (!config.organization) return [];
  const hosts = config.plans.filter((plan) => plan.trail || plan.logArchive || plan.forwarder);
  if (hosts.length === 0) return [];
  const ready = Math.max(...hosts.map((plan) => plan.account.wave));
  const early = config.plans.filter((plan) => !hosts.includes(plan) && plan.account.wave < ready).map((plan) => `${plan.account.name} (wave ${plan.account.wave})`);
  if (early.length === 0) return [];
  const shown = early.length > 5 ? `${early.slice(0, 5).join(', ')} and ${early.length - 5} more` : early.join(', ');
  return [
    `${shown} deploy${early.length === 1 ? 's' : ''} before wave ${ready}, where ${joinAnd(hosts.map((plan) => plan.account.name))} ` +
      `create${hosts.length === 1 ? 's' : ''} the trail, bucket and forwarder their logs go through: a canary before then has ` +
      `no logs to prove anything. Put members in wave ${ready} or later.`,
  ];
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}

/** `2, 3, 4, 7` as `2 to 4` and `7`. */
function runs(numbers: number[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < numbers.length; ) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j] + 1) j++;
    out.push(j > i ? `${numbers[i]} to ${numbers[j]}` : String(numbers[i]));
    i = j + 1;
  }
  return out;
}

function ordinal(n: number): string {
  return ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth'][n - 1] ?? `${n}th`;
}

function joinAnd(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
