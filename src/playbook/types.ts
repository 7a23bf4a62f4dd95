// The one shape every playbook has. The CLI, the site's Playbook section and the
// downloadable bundle all read this metadata; nothing about parameters is written twice.
import type { Database } from './sql.ts';
import type { HarborDetection } from './harbor-version.ts';
import type { Target, TargetKind } from './targets.ts';
import type { Reporter } from './output.ts';

export type ParameterType = 'string' | 'integer' | 'boolean' | 'enum' | 'path' | 'url' | 'version' | 'duration';
export type ParameterValue = string | number | boolean;

export interface Parameter {
  /** Long flag without dashes, e.g. `policy` for `--policy`. */
  name: string;
  type: ParameterType;
  help: string;
  default?: ParameterValue;
  required?: boolean;
  /** Allowed values for `enum`. */
  choices?: readonly string[];
  /** Inclusive bounds for `integer` and `duration` (seconds). */
  min?: number;
  max?: number;
  /** Allowed shape for `string`, checked whole; `patternHelp` says it in words. */
  pattern?: RegExp;
  patternHelp?: string;
  /** At most one parameter of a group may be given; with `groupRequired`, exactly one. */
  group?: string;
  groupRequired?: boolean;
  /** Shown in examples on the site and in `--help`. */
  example?: string;
}

export type ParameterValues = Record<string, ParameterValue | undefined>;

/** What a playbook needs from the platform before its plan runs. */
export type Requirement = 'database' | 'harbor-api' | 'registry-storage' | 'kubernetes';

export interface Finding {
  level: 'info' | 'warn' | 'problem';
  message: string;
  data?: Record<string, unknown>;
}

/** Where a step saved what it is about to change, so it can be put back. */
export interface BackupRecord {
  path: string;
  description: string;
  sha256?: string;
  /** Commands that put back what this backup holds, printed when a run ends incomplete (exit 3). */
  restore?: string[];
}

export interface StepOutcome {
  /** Rows, files, objects or resources the step changed (or wrote, for read-only steps). */
  changed: number;
  detail?: string;
  data?: Record<string, unknown>;
}

/**
 * One change, run by the platform. In a dry-run only `description`, `preview` and
 * `expected` are shown. With `--apply` the platform confirms, then runs
 * `backup` → `execute` → `verify` and writes the audit record. `readOnly` steps change
 * nothing in Harbor (a dump, a scan) and run in both modes without confirmation.
 */
export interface Step {
  description: string;
  /** The exact SQL, commands or requests the step runs, as text for the operator. */
  preview: string[];
  /** What it would change (row counts etc.), measured by the plan. */
  expected?: number;
  readOnly?: boolean;
  backup?: () => Promise<BackupRecord | undefined>;
  execute: () => Promise<StepOutcome>;
  /**
   * Re-reads the live system and throws when the change did not take. It must be able to
   * fail: a check of something the step itself just wrote proves nothing. A failure here
   * ends the run with exit 3 (changed, unverified).
   */
  verify?: () => Promise<string>;
}

export interface Plan {
  findings: Finding[];
  steps: Step[];
  /** Extra facts for `--json` (e.g. the releases a schema fits). */
  facts?: Record<string, unknown>;
}

export interface RunContext {
  playbook: Playbook;
  values: ParameterValues;
  apply: boolean;
  target: Target;
  /** Present when the playbook requires `database`. */
  db?: Database;
  harbor?: HarborDetection;
  backupDir: string;
  report: Reporter;
}

export interface Playbook {
  name: string;
  title: string;
  /** One or two sentences: what it does, for `list`, `--help` and the site. */
  summary: string;
  /** Page ids (content/issues/<lang>/<id>.mdx) whose fix this playbook runs. */
  remediates: readonly string[];
  parameters: readonly Parameter[];
  targets: readonly TargetKind[];
  /** Whether `--apply` can change Harbor (and so whether dry-run/backup/confirm apply). */
  mutates: boolean;
  requires: readonly Requirement[];
  /** Read-only: inspect, decide, and return findings plus the steps that would fix them. */
  plan(context: RunContext): Promise<Plan>;
}
