/**
 * `npm run validate -- [STACKS_DIR]`: real `terraform validate` and an offline `terraform plan`
 * for every synthesized stack (default cdktf.out/stacks). Exits 1 if any stack fails.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CommandError, runCommand, userPath } from './cli';
import { describeStandIn } from './provider-stand-in';
import { checkStacks, datadogStandIns, KEEP_WORK_ENV, listStacks, planSummary, registryProblem, type StackCheck, terraformProblem } from './terraform';

function describe(check: StackCheck): { ok: boolean; text: string } {
  const { ok, text } = outcome(check);
  return { ok, text: check.standIn ? `${text}\n    ${describeStandIn(check.standIn)}` : text };
}

function outcome(check: StackCheck): { ok: boolean; text: string } {
  if (!check.validate.ok) return { ok: false, text: `FAIL  ${check.stack}  validate\n${indent(check.validate.output)}` };
  if (!check.plan) return { ok: true, text: `ok  ${check.stack}  validate` };
  if (!check.plan.ok) return { ok: false, text: `FAIL  ${check.stack}  plan (offline)\n${indent(check.plan.output)}` };
  const { add, change, destroy } = planSummary(check.plan.json);
  // A fresh, empty state: anything but additions means the plan is not what we think it is.
  const extra = change || destroy ? `, ${change} to change, ${destroy} to destroy` : '';
  // Counted in add: the Datadog provider is not installed here, so its resources are stood in for.
  const standIns = datadogStandIns(check.plan.json);
  const note = standIns ? `, ${standIns} of them stand-ins for Datadog resources, not checked against the Datadog provider` : '';
  return { ok: true, text: `ok  ${check.stack}  validate+plan (${add} resources to add${extra}${note})` };
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

/** What the harness refuses up front (no terraform, a mirror that is no mirror) is the user's to fix: its message, no stack trace. */
async function asCommandError<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw new CommandError(error instanceof Error ? error.message : String(error));
  }
}

const USAGE = `Usage: npm run validate -- [STACKS_DIR]

Runs an offline terraform plan (fake credentials, no AWS calls; terraform validate too where
the plan fails) of every synthesized stack in STACKS_DIR (default cdktf.out/stacks) with the
real AWS provider. Needs terraform 1.10 or newer on PATH; the provider comes from
$DD_CLOUDTRAIL_PROVIDER_MIRROR when set, else terraform init downloads it (docs/DEPLOYING.md,
"Checking the stacks with real Terraform"). A mirror holding only an older AWS provider than
the stacks pin plans on it as a stand-in, and says so under each stack. Exits 1 if any stack
fails.

Options:
  -h, --help      show this help
`;

async function main(argument: string | undefined): Promise<number> {
  const stacksDir = argument === undefined ? path.resolve('cdktf.out', 'stacks') : userPath(argument);
  if (!fs.existsSync(stacksDir)) throw new CommandError(argument ? `${stacksDir} does not exist.` : `${stacksDir} does not exist: run npm run synth first.`);
  if (!fs.statSync(stacksDir).isDirectory()) throw new CommandError(`${stacksDir} is a file: name the folder of the stacks (cdktf.out/stacks).`);
  const stacks = listStacks(stacksDir);
  if (stacks.length === 0) throw new CommandError(`No synthesized stacks (*/cdk.tf.json) in ${stacksDir}: run npm run synth first.`);
  const problem = terraformProblem() ?? (await asCommandError(registryProblem()));
  if (problem) throw new CommandError(problem);

  const started = Date.now();
  const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
  // Each stack takes seconds (40 stacks: minutes): say what runs, then each result as it comes.
  console.log(`Checking ${stacks.length} stack(s) of ${stacksDir} with terraform: one init, then a plan of each...`);
  let done = 0;
  let failures = 0;
  const checks = await asCommandError(checkStacks(stacksDir, {
    stacks,
    planJson: true,
    onResult: (check) => {
      const { ok, text } = describe(check);
      done++;
      if (!ok) failures++;
      (ok ? console.log : console.error)(`[${done}/${stacks.length}, ${seconds()} s] ${text}`);
    },
  }));
  if (process.env[KEEP_WORK_ENV] === '1' && checks.length > 0) {
    console.log(`Kept the Terraform work directory: ${path.dirname(path.dirname(checks[0].dir))}`);
  }
  console.log(`${checks.length - failures}/${checks.length} stack(s) passed in ${seconds()} s.`);
  return failures ? 1 : 0;
}

runCommand({ name: 'validate', usage: USAGE, options: {}, positionals: { min: 0, max: 1 } }, (args) => main(args.positionals[0]));
