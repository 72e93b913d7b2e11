/**
 * `npm run bench -- [--reps N] [--skip-tests]`: how long synthesis takes and how much memory
 * it needs, from one account to 5,000, against the floor of loading cdktf and the provider
 * classes; and how long the two test suites take (`npm test`, `npm run test:processes`). Prints a Markdown report and writes it to
 * docs/BENCHMARKS.md, with its chart in docs/benchmarks.svg.
 *
 * Every figure is of a child process, never of this one: wall time around the child, and
 * its peak resident memory from GNU time's %M (the largest process of its tree), or where
 * /usr/bin/time is missing, from process.resourceUsage().maxRSS of every Node process in the
 * tree (terraform's memory then goes unmeasured).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ROLLOUT_END, ROLLOUT_START } from './bench-rollout';
import { ENROLLMENT_END, ENROLLMENT_START } from './bench-enrollment';
import { sectionBetween, withSectionBetween } from './generated-section';
import { type CommandLine, runCommand } from '../commands/cli';
import { duplicateKeys } from '../config/json';
import { generateOrganization } from './generate-organization';

const ROOT = path.resolve(__dirname, '..');
const DOCS = path.join(ROOT, 'docs');
const MEMBERS = [100, 1000, 5000];
const SCRIPTS = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const SYNTH_SCRIPT = SCRIPTS.synth;
const CHECK_SCRIPT = SCRIPTS.check;

const TARGETS = {
  /** Single-account synth, in multiples of the floor. */
  singleVsFloor: 3,
  thousandSeconds: 5,
  thousandBytes: 1.5e9,
  /** Time per account at 5,000 over that at 1,000: linear if at most this. */
  linearRatio: 1.25,
  testSeconds: 60,
  /** `npm run check` of the 5,000-member organization's 5,002 stacks, with its config. */
  checkSeconds: 2,
};

interface Options {
  reps: number;
  tests: boolean;
}

interface Run {
  seconds: number;
  /** Peak resident set in bytes. */
  rss: number;
}

interface Case {
  /** 'floor', 'single', 'members-<N>', 'check', 'tests' or 'processes'. */
  id: string;
  name: string;
  /** Accounts synthesized; undefined for the floor and the tests. */
  accounts?: number;
  runs: Run[];
  /** When the command failed: its exit status and the end of its output. */
  failure?: string;
}

/** Measures commands, each in its own child process. */
class Meter {
  readonly method: string;
  private readonly gnuTime: boolean;
  private readonly rssFile: string;
  private readonly preload: string;

  constructor(tmp: string) {
    this.rssFile = path.join(tmp, 'rss');
    this.gnuTime = this.probeGnuTime();
    this.preload = path.join(tmp, 'max-rss.js');
    if (this.gnuTime) {
      this.method = 'the peak resident memory of the largest process of the measured tree (GNU time %M)';
    } else {
      this.method = 'the largest `process.resourceUsage().maxRSS` of the Node processes of the measured tree (no `/usr/bin/time` here; terraform is not counted)';
      fs.writeFileSync(
        this.preload,
        "process.on('exit', () => require('fs').appendFileSync(process.env.DD_BENCH_RSS_FILE, `${process.resourceUsage().maxRSS}\\n`));\n",
      );
    }
  }

  private probeGnuTime(): boolean {
    const probe = spawnSync('/usr/bin/time', ['-f', '%M', '-o', this.rssFile, 'true']);
    return probe.status === 0 && /^\d+\s*$/.test(readOr(this.rssFile, ''));
  }

  run(command: string[], cwd: string, env: NodeJS.ProcessEnv): Run & { status: number | null; output: string } {
    fs.rmSync(this.rssFile, { force: true });
    const [file, args] = this.gnuTime
      ? ['/usr/bin/time', ['-f', '%M', '-o', this.rssFile, ...command]]
      : [command[0], command.slice(1)];
    const childEnv = this.gnuTime
      ? env
      : { ...env, DD_BENCH_RSS_FILE: this.rssFile, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --require ${JSON.stringify(this.preload)}`.trim() };
    const started = performance.now();
    const child = spawnSync(file, args, { cwd, env: childEnv, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const seconds = (performance.now() - started) / 1000;
    // Both report kilobytes (KiB).
    const kib = Math.max(0, ...readOr(this.rssFile, '').split('\n').filter((line) => /^\d+$/.test(line)).map(Number));
    return { seconds, rss: kib * 1024, status: child.status, output: `${child.stdout ?? ''}${child.stderr ?? ''}` };
  }
}

function readOr(file: string, fallback: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

/** The provider modules stacks/*.ts load at run time (type-only imports are erased). */
function providerModules(stacksDir: string): string[] {
  const modules = new Set<string>();
  for (const file of fs.readdirSync(stacksDir).filter((name) => name.endsWith('.ts'))) {
    const source = fs.readFileSync(path.join(stacksDir, file), 'utf8');
    for (const match of source.matchAll(/^import\s+(?!type\s)[^;]*?from\s+'(@cdktf\/provider-aws\/lib\/[^']+)'/gm)) {
      modules.add(match[1]);
    }
  }
  return [...modules].sort();
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const min = (values: number[]): number => Math.min(...values);
const seconds = (value: number): string => `${value.toFixed(2)} s`;
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const megabytes = (bytes: number): string => `${Math.round(bytes / 1e6).toLocaleString('en-US')} MB`;
const count = (value: number): string => value.toLocaleString('en-US');

function stackCount(outdir: string): number {
  const stacksDir = path.join(outdir, 'stacks');
  if (!fs.existsSync(stacksDir)) return 0;
  return fs.readdirSync(stacksDir).filter((name) => fs.existsSync(path.join(stacksDir, name, 'cdk.tf.json'))).length;
}

/** The strict JSON reader against JSON.parse alone, in this process, on the same texts. */
interface ReaderCost {
  files: number;
  bytes: number;
  /** Medians, in seconds, of reading every text. */
  parse: number;
  scan: number;
}

function readerCost(stacksDir: string, reps: number): ReaderCost {
  const texts = fs.readdirSync(stacksDir).map((name) => fs.readFileSync(path.join(stacksDir, name, 'cdk.tf.json'), 'utf8'));
  const time = (fn: (text: string) => unknown): number =>
    median(
      Array.from({ length: Math.max(3, reps) }, () => {
        const started = performance.now();
        for (const text of texts) fn(text);
        return (performance.now() - started) / 1000;
      }),
    );
  return { files: texts.length, bytes: texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0), parse: time((text) => JSON.parse(text)), scan: time(duplicateKeys) };
}

function measure(options: Options, tmp: string): { cases: Case[]; meter: Meter; reader?: ReaderCost } {
  const meter = new Meter(tmp);
  const baseEnv: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '1' };
  delete baseEnv.DD_CLOUDTRAIL_CONFIG;
  delete baseEnv.CDKTF_OUTDIR;
  const cases: Case[] = [];
  let reader: ReaderCost | undefined;
  const progress = (text: string) => process.stderr.write(`${text}\n`);

  const repeat = (
    id: string,
    name: string,
    accounts: number | undefined,
    reps: number,
    once: () => ReturnType<Meter['run']> & { failure?: string },
  ): void => {
    const entry: Case = { id, name, accounts, runs: [] };
    cases.push(entry);
    for (let rep = 1; rep <= reps; rep++) {
      const run = once();
      if (run.failure) {
        entry.failure = run.failure;
        progress(`${name}: FAILED\n${run.failure}`);
        return;
      }
      entry.runs.push({ seconds: run.seconds, rss: run.rss });
      progress(`${name} ${rep}/${reps}: ${seconds(run.seconds)}, ${megabytes(run.rss)}`);
    }
  };
  const failure = (run: ReturnType<Meter['run']>): string | undefined =>
    run.status === 0 ? undefined : `exit status ${run.status}:\n${run.output.trim().split('\n').slice(-20).join('\n')}`;

  const providers = providerModules(path.join(ROOT, 'stacks'));
  const loadFloor = ['cdktf', ...providers].map((module) => `require(${JSON.stringify(module)});`).join('');
  repeat('floor', `Floor: Node loads cdktf and the ${providers.length} provider classes`, undefined, options.reps, () => {
    const run = meter.run([process.execPath, '-e', loadFloor], ROOT, baseEnv);
    return { ...run, failure: failure(run) };
  });

  // The synth script as npm runs it (sh -c, node_modules/.bin first on PATH), without npm's
  // own start-up; into a temporary outdir, leaving the project's cdktf.out alone.
  // Each run writes to a directory of its own, all deleted at the end: deleting a run's
  // thousands of stack directories made the next runs' writes seconds slower (system time).
  let outdirs = 0;
  const synth = (id: string, name: string, accounts: number, config?: string): string => {
    let outdir = '';
    repeat(id, name, accounts, options.reps, () => {
      outdir = path.join(tmp, `synth-${++outdirs}`);
      const env = {
        ...baseEnv,
        PATH: `${path.join(ROOT, 'node_modules', '.bin')}${path.delimiter}${baseEnv.PATH ?? ''}`,
        CDKTF_OUTDIR: outdir,
        ...(config ? { DD_CLOUDTRAIL_CONFIG: config } : {}),
      };
      const run = meter.run(['sh', '-c', SYNTH_SCRIPT], ROOT, env);
      const written = stackCount(outdir);
      const wrongCount = written === accounts ? undefined : `wrote ${written} stacks to ${outdir}, expected ${accounts}`;
      return { ...run, failure: failure(run) ?? wrongCount };
    });
    return outdir;
  };
  // The check script as npm runs it, on stacks a synth above wrote, with their config.
  const check = (stacks: number, outdir: string, config: string): void => {
    repeat('check', `Check: \`npm run check\` of ${count(stacks)} stacks, with \`--config\``, undefined, options.reps, () => {
      const env = { ...baseEnv, PATH: `${path.join(ROOT, 'node_modules', '.bin')}${path.delimiter}${baseEnv.PATH ?? ''}` };
      const run = meter.run(['sh', '-c', `${CHECK_SCRIPT} "$@"`, 'check', path.join(outdir, 'stacks'), '--config', config], ROOT, env);
      return { ...run, failure: failure(run) };
    });
    reader = readerCost(path.join(outdir, 'stacks'), options.reps);
  };
  synth('single', 'Synth: single account (`npm run synth`)', 1);
  for (const members of MEMBERS) {
    const config = path.join(tmp, `organization-${members}.json`);
    const input = generateOrganization(members);
    fs.writeFileSync(config, JSON.stringify(input, null, 2));
    const outdir = synth(`members-${members}`, `Synth: organization of ${count(members)} members`, input.accounts.length, config);
    if (members === MEMBERS[MEMBERS.length - 1] && outdir) check(input.accounts.length, outdir, config);
  }

  if (options.tests) {
    // A fresh TMPDIR gives jest an empty cache, as in CI, and keeps terraform's work there.
    // CI=true makes jest fail on a missing snapshot rather than write one into the project.
    const suite = (id: string, name: string, script: string[]): void => {
      const testTmp = path.join(tmp, id);
      fs.mkdirSync(testTmp);
      repeat(id, name, undefined, 1, () => {
        const run = meter.run(['npm', ...script], ROOT, { ...baseEnv, TMPDIR: testTmp, CI: 'true' });
        return { ...run, failure: failure(run) };
      });
    };
    suite('tests', '`npm test` (once)', ['test']);
    suite('processes', '`npm run test:processes` (once)', ['run', 'test:processes']);
  }
  return { cases, meter, reader };
}

interface Report {
  markdown: string;
  svg: string;
}

function report(cases: Case[], meter: Meter, options: Options, load: number, reader: ReaderCost | undefined): Report {
  const find = (id: string): Case | undefined => cases.find((c) => c.id === id);
  const medianOf = (c: Case | undefined): number | undefined => (c && !c.failure ? median(c.runs.map((r) => r.seconds)) : undefined);
  const peakOf = (c: Case | undefined): number | undefined => (c && !c.failure ? Math.max(...c.runs.map((r) => r.rss)) : undefined);
  const [floor, single, tests, processes, checked] = [find('floor'), find('single'), find('tests'), find('processes'), find('check')];
  /** Synth time per account above the single-account run: what each further account costs. */
  const perAccount = (c: Case | undefined): number | undefined => {
    const [time, base] = [medianOf(c), medianOf(single)];
    return time === undefined || base === undefined || !c?.accounts ? undefined : (time - base) / (c.accounts - 1);
  };
  const ms = (value: number | undefined): string => (value === undefined ? '—' : `${(value * 1000).toFixed(2)} ms`);

  const rows = cases.map((c) => {
    if (c.failure) return `| ${c.name} | ${c.accounts ? count(c.accounts) : ''} | failed | | | |`;
    const times = c.runs.map((r) => r.seconds);
    const extra = c.accounts && c.accounts > 1 ? ms(perAccount(c)) : '';
    return `| ${c.name} | ${c.accounts ? count(c.accounts) : ''} | ${seconds(min(times))} | ${seconds(median(times))} | ${megabytes(Math.max(...c.runs.map((r) => r.rss)))} | ${extra} |`;
  });
  const table = [
    '| Measured | Accounts | Min | Median | Peak memory | Per further account |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');

  const verdict = (ok: boolean | undefined): string => (ok === undefined ? 'not measured' : ok ? '**met**' : '**missed**');
  const [floorTime, singleTime] = [medianOf(floor), medianOf(single)];
  const ratio = floorTime !== undefined && singleTime !== undefined ? singleTime / floorTime : undefined;
  const [thousand, fiveThousand] = [find('members-1000'), find('members-5000')];
  const [perThousand, perFiveThousand] = [perAccount(thousand), perAccount(fiveThousand)];
  const linear = perThousand !== undefined && perFiveThousand !== undefined ? perFiveThousand / perThousand : undefined;
  const [thousandTime, thousandPeak, testTime, checkTime] = [medianOf(thousand), peakOf(thousand), medianOf(tests), medianOf(checked)];
  const targets = [
    '| Target | Measured | |',
    '| --- | --- | --- |',
    `| Single-account synth at most ${TARGETS.singleVsFloor}× the floor | ${ratio === undefined ? '—' : `${ratio.toFixed(1)}× (${seconds(singleTime as number)} against ${seconds(floorTime as number)})`} | ${verdict(ratio === undefined ? undefined : ratio <= TARGETS.singleVsFloor)} |`,
    `| 1,000 accounts under ${TARGETS.thousandSeconds} s and ${TARGETS.thousandBytes / 1e9} GB | ${thousandTime === undefined ? '—' : `${seconds(thousandTime)}, ${megabytes(thousandPeak as number)}`} | ${verdict(thousandTime === undefined ? undefined : thousandTime < TARGETS.thousandSeconds && (thousandPeak as number) < TARGETS.thousandBytes)} |`,
    `| Time linear in accounts up to 5,000 (time per further account at 5,000 at most ${TARGETS.linearRatio}× that at 1,000) | ${linear === undefined ? '—' : `${ms(perThousand)} at 1,000, ${ms(perFiveThousand)} at 5,000: ratio ${linear.toFixed(2)}`} | ${verdict(linear === undefined ? undefined : linear <= TARGETS.linearRatio)} |`,
    `| \`npm run check\` of 5,002 stacks under ${TARGETS.checkSeconds} s | ${checkTime === undefined ? '—' : seconds(checkTime)} | ${verdict(checkTime === undefined ? undefined : checkTime < TARGETS.checkSeconds)} |`,
    `| \`npm test\` under ${TARGETS.testSeconds} s | ${testTime === undefined ? (tests?.failure ? 'failed' : '—') : seconds(testTime)} | ${verdict(testTime === undefined ? undefined : testTime < TARGETS.testSeconds)} |`,
  ].join('\n');

  const date = new Date().toISOString().slice(0, 10);
  const machine = `${os.availableParallelism()} cores (${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB of memory, ${os.type()} ${os.arch()}`;
  const headline = performanceSection({ floorTime, singleTime, thousandTime, thousandPeak, fiveTime: medianOf(fiveThousand), fivePeak: peakOf(fiveThousand), perFiveThousand, linear: linear !== undefined && linear <= TARGETS.linearRatio, testTime, processesTime: medianOf(processes), cores: os.availableParallelism() });
  const failures = cases.filter((c) => c.failure).map((c) => `- ${c.name} failed, ${c.failure?.split('\n')[0]}`);

  const markdown = `# Benchmarks

Written by \`npm run bench\` (tools/bench.ts); run it again to update this page.

## Performance

${headline}

## Measurements

Measured on ${date} with Node ${process.version}, on ${machine}; ${plural(options.reps, 'run')} of each synthesis${options.tests ? ' and one of each test suite' : ''}; 1-minute load average before the runs: ${load.toFixed(2)}. Peak memory is ${meter.method}.

${table}
${failures.length ? `\n${failures.join('\n')}\n` : ''}
${reader ? `The JSON reader (config/json.ts), on the ${count(reader.files)} \`cdk.tf.json\` of that check (${megabytes(reader.bytes)}), in one process: \`JSON.parse\` ${seconds(reader.parse)}, the scan for a repeated key ${seconds(reader.scan)} more (${(reader.scan / reader.parse).toFixed(1)}× \`JSON.parse\`; medians).\n` : ''}
![Synthesis time against accounts](benchmarks.svg)

## Targets

${targets}

## What runs

- **Floor**: \`node -e\` requiring \`cdktf\` and each \`@cdktf/provider-aws/lib/...\` module that stacks/*.ts import, and nothing else.
- **Synth**: the \`synth\` script of package.json (\`${SYNTH_SCRIPT}\`), run as npm runs it (\`sh -c\`, with node_modules/.bin on the PATH) but without npm's own start-up, with CHECKPOINT_DISABLE=1 and CDKTF_OUTDIR in a temporary directory. Each run must write one stack per account.
- **Organizations**: configs from tools/generate-organization.ts (the log-archive and management accounts plus the members), named by DD_CLOUDTRAIL_CONFIG.
- **Per further account**: (median − single-account median) / (accounts − 1).
- **Check**: the \`check\` script of package.json (\`${CHECK_SCRIPT}\`) on the stacks of the last synthesis of the largest organization, with its config: every \`cdk.tf.json\` read through the reader that refuses a repeated key, every rule, every comparison with the config.
- **\`npm test\`**: type-check and every test that runs in process (jest.config.js), with TMPDIR in a fresh directory (so jest starts with an empty cache, as in CI) and CI=true (so jest fails on a missing snapshot instead of writing one).
- **\`npm run test:processes\`**: the tests that start processes (jest.processes.config.js): real \`terraform plan\`s of every example's stacks, the cdktf CLI, the commands and workflow steps as processes; the same TMPDIR and CI=true. It has no target of its own: CI runs it after \`npm test\`.
`;
  return { markdown, svg: chart(cases.filter((c) => c.accounts !== undefined && !c.failure).map((c) => ({ accounts: c.accounts as number, seconds: median(c.runs.map((r) => r.seconds)) }))) };
}

interface Headline {
  floorTime?: number;
  singleTime?: number;
  thousandTime?: number;
  thousandPeak?: number;
  fiveTime?: number;
  fivePeak?: number;
  perFiveThousand?: number;
  linear: boolean;
  testTime?: number;
  processesTime?: number;
  cores: number;
}

/** The Performance section of this page: the headline figures, in prose. */
function performanceSection(h: Headline): string {
  const parts: string[] = [];
  if (h.singleTime !== undefined && h.floorTime !== undefined) {
    parts.push(
      `\`npm run synth\` of one account takes ${seconds(h.singleTime)}, against ${seconds(h.floorTime)} for Node to load cdktf and the AWS provider classes alone.`,
    );
  }
  if (h.thousandTime !== undefined && h.fiveTime !== undefined && h.perFiveThousand !== undefined) {
    parts.push(
      `Synthesis grows ${h.linear ? 'linearly ' : ''}with the accounts, by about ${(h.perFiveThousand * 1000).toFixed(1)} ms each at 5,000: an organization of 1,000 accounts takes ${seconds(h.thousandTime)} and ${megabytes(h.thousandPeak as number)} of memory, one of 5,000 accounts ${seconds(h.fiveTime)} and ${megabytes(h.fivePeak as number)}.`,
    );
  }
  if (h.testTime !== undefined) {
    parts.push(`\`npm test\` (every test that runs in process) takes ${Math.round(h.testTime)} s on ${h.cores} cores.`);
  }
  if (h.processesTime !== undefined) {
    parts.push(
      `\`npm run test:processes\`, the tests that start processes, among them a real offline \`terraform plan\` of every example's stacks, takes ${Math.round(h.processesTime)} s.`,
    );
  }
  parts.push('Figures from `npm run bench` (medians); details and the machine in `docs/BENCHMARKS.md`.');
  return parts.join(' ');
}

/** A line chart of synthesis time against accounts, as a standalone SVG. */
function chart(points: Array<{ accounts: number; seconds: number }>): string {
  const [width, height] = [640, 400];
  const margin = { left: 70, right: 30, top: 40, bottom: 60 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  // The axis ends at the largest config (5,002 accounts), its ticks at round numbers.
  const xMax = Math.max(1000, ...points.map((p) => p.accounts));
  const xStep = xMax <= 6000 ? 1000 : 2000;
  const maxY = Math.max(1, ...points.map((p) => p.seconds));
  const yStep = maxY <= 5 ? 1 : maxY <= 10 ? 2 : maxY <= 25 ? 5 : 10;
  const yMax = Math.ceil(maxY / yStep) * yStep;
  const x = (accounts: number) => margin.left + (accounts / xMax) * plotWidth;
  const y = (value: number) => margin.top + plotHeight - (value / yMax) * plotHeight;
  const fixed = (value: number) => value.toFixed(1);

  const elements: string[] = [];
  for (let tick = 0; tick <= xMax; tick += xStep) {
    elements.push(
      `<line x1="${fixed(x(tick))}" y1="${margin.top}" x2="${fixed(x(tick))}" y2="${margin.top + plotHeight}" stroke="#e5e5e5"/>`,
      `<text x="${fixed(x(tick))}" y="${margin.top + plotHeight + 18}" text-anchor="middle">${count(tick)}</text>`,
    );
  }
  for (let tick = 0; tick <= yMax; tick += yStep) {
    elements.push(
      `<line x1="${margin.left}" y1="${fixed(y(tick))}" x2="${margin.left + plotWidth}" y2="${fixed(y(tick))}" stroke="#e5e5e5"/>`,
      `<text x="${margin.left - 8}" y="${fixed(y(tick) + 4)}" text-anchor="end">${tick}</text>`,
    );
  }
  const sorted = [...points].sort((a, b) => a.accounts - b.accounts);
  elements.push(
    `<line x1="${margin.left}" y1="${margin.top + plotHeight}" x2="${margin.left + plotWidth}" y2="${margin.top + plotHeight}" stroke="#333"/>`,
    `<line x1="${margin.left}" y1="${margin.top}" x2="${margin.left}" y2="${margin.top + plotHeight}" stroke="#333"/>`,
    `<polyline fill="none" stroke="#632ca6" stroke-width="2" points="${sorted.map((p) => `${fixed(x(p.accounts))},${fixed(y(p.seconds))}`).join(' ')}"/>`,
    ...sorted.flatMap((p, i) => {
      // A point close to the previous one has its label below, clear of the previous label;
      // near the right edge, the label ends at the point instead of starting there.
      const below = i > 0 && x(p.accounts) - x(sorted[i - 1].accounts) < 60;
      const nearEdge = x(p.accounts) > width - margin.right - 100;
      const label = `x="${fixed(x(p.accounts) + (nearEdge ? -6 : 6))}" y="${fixed(y(p.seconds) + (below ? 18 : -8))}"${nearEdge ? ' text-anchor="end"' : ''}`;
      return [
        `<circle cx="${fixed(x(p.accounts))}" cy="${fixed(y(p.seconds))}" r="4" fill="#632ca6"/>`,
        `<text ${label}>${count(p.accounts)}: ${p.seconds.toFixed(2)} s</text>`,
      ];
    }),
    `<text x="${margin.left + plotWidth / 2}" y="${height - 15}" text-anchor="middle">Accounts in the config</text>`,
    `<text transform="translate(20 ${margin.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">Synthesis time, median (s)</text>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">npm run synth: time against accounts</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">
<rect width="${width}" height="${height}" fill="#fff"/>
${elements.join('\n')}
</svg>
`;
}

const USAGE = `Usage: npm run bench -- [--reps N] [--skip-tests]

Measures synthesis (one account to 5,000) against the floor of loading cdktf and the
provider classes, and both test suites; writes docs/BENCHMARKS.md and docs/benchmarks.svg.

Options:
  --reps N        runs per case (default 5)
  --skip-tests    do not measure the test suites
  -h, --help      show this help
`;

function main(args: CommandLine): number {
  const options: Options = { reps: args.positiveInteger('reps') ?? 5, tests: !args.flag('skip-tests') };
  const load = os.loadavg()[0];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-cloudtrail-bench-'));
  try {
    const { cases, meter, reader } = measure(options, tmp);
    const { markdown, svg } = report(cases, meter, options, load, reader);
    fs.mkdirSync(DOCS, { recursive: true });
    // The roll-out and enrollment sections are npm run bench-rollout's and bench-enrollment's,
    // measured apart: kept as they are.
    const file = path.join(DOCS, 'BENCHMARKS.md');
    const previous = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    let page = markdown;
    for (const [start, end] of [[ROLLOUT_START, ROLLOUT_END], [ENROLLMENT_START, ENROLLMENT_END]]) {
      const kept = sectionBetween(previous, start, end);
      if (kept) page = withSectionBetween(page, start, end, kept);
    }
    fs.writeFileSync(file, page);
    fs.writeFileSync(path.join(DOCS, 'benchmarks.svg'), svg);
    console.log(markdown);
    return cases.some((c) => c.failure) ? 1 : 0;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

runCommand({ name: 'bench', usage: USAGE, options: { reps: { type: 'string' }, 'skip-tests': { type: 'boolean' } } }, main);
