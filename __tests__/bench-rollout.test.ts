import { readFileSync } from 'node:fs';
import { BENCHMARKS, ROLLOUT_END, ROLLOUT_START, rolloutSection, withRolloutSection } from '../tools/bench-rollout';

const section = `${ROLLOUT_START}\n## Roll-out\n\nnew figures\n${ROLLOUT_END}\n`;

describe('the roll-out section of docs/BENCHMARKS.md', () => {
  test('replaces the previous section, keeping what surrounds it', () => {
    const page = `# Benchmarks\n\nsynth\n\n${ROLLOUT_START}\nold figures\n${ROLLOUT_END}\n\nafter\n`;

    expect(withRolloutSection(page, section)).toBe(`# Benchmarks\n\nsynth\n\n${section.trimEnd()}\n\nafter\n`);
  });

  test('is appended to a page without one', () => {
    expect(withRolloutSection('# Benchmarks\n\nsynth\n', section)).toBe(`# Benchmarks\n\nsynth\n\n${section}`);
  });

  test('is found again, so that npm run bench keeps it', () => {
    expect(rolloutSection(withRolloutSection('# Benchmarks\n', section))).toBe(section.trimEnd());
    expect(rolloutSection('# Benchmarks\n')).toBe('');
  });

  test('is in the committed page', () => {
    expect(rolloutSection(readFileSync(BENCHMARKS, 'utf8'))).toContain('## Roll-out');
  });
});
