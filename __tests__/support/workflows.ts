/**
 * The shipped GitHub workflows and their composite action, as YAML reads them: for the tests
 * that read them in process and for those that run their steps through bash.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';

export interface Step {
  name?: string;
  id?: string;
  if?: string;
  run?: string;
  uses?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  'continue-on-error'?: boolean;
}
export interface Job {
  name?: string;
  needs?: string | string[];
  if?: string;
  uses?: string;
  with?: Record<string, unknown>;
  environment?: string;
  permissions?: Record<string, string>;
  'timeout-minutes'?: number;
  strategy?: { 'fail-fast'?: boolean; 'max-parallel'?: unknown; matrix?: unknown };
  env?: Record<string, unknown>;
  steps?: Step[];
}
export interface Workflow {
  on: Record<string, unknown>;
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  jobs: Record<string, Job>;
}

export const WORKFLOWS_DIR = path.join(__dirname, '..', '..', '.github', 'workflows');
/** The workflow files, sorted. */
export const workflowFiles = readdirSync(WORKFLOWS_DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
export const loadWorkflow = (file: string) => yaml.load(readFileSync(path.join(WORKFLOWS_DIR, file), 'utf8')) as Workflow;
/** The composite action every Terraform job of the workflows uses. */
export const ACTION = path.join(__dirname, '..', '..', '.github', 'actions', 'terraform-job', 'action.yml');
export const action = yaml.load(readFileSync(ACTION, 'utf8')) as { runs: { steps: Step[] } };
