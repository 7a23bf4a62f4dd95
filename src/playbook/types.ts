// The one shape every playbook has. The CLI, the site's Playbook section and the
// downloadable bundle all read this metadata; parameters are declared once, as flag schemas
// (flags.ts), and `parameters` is the view of them that help and the site print.
import type { ApiSource } from './http/api-source.ts';
import type { Flags, Group, Parameter, Values } from './flags.ts';
import type { HarborApi } from './http/harbor-api.ts';
import type { HarborDetection } from './sql/harbor-version.ts';
import type { Kube } from './platform/kube.ts';
import type { Reporter } from './run/output.ts';
import type { RegistryClient } from './http/registry-api.ts';
import type { RegistryStorage } from './storage/registry-storage.ts';
import type { Database } from './sql/sql.ts';
import type { Target, TargetKind, TargetOptions } from './platform/targets.ts';

/** Re-exported for readers of playbook metadata (the site's Playbook section). */
export type { Parameter } from './flags.ts';

/** What a playbook needs from the platform before its plan runs. */
export type Requirement = 'database' | 'harbor-api' | 'registry-storage' | 'kubernetes';

export interface PlanFinding {
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
  findings: PlanFinding[];
  steps: Step[];
  /** Extra facts for `--json` (e.g. the releases a schema fits). */
  facts?: Record<string, unknown>;
  /**
   * What the plan could not read, for example a walk cut at a bound. With no change planned the
   * run cannot say there is nothing to do, so it fails (exit 1) with this message.
   */
  notChecked?: string;
}

/** Harbor's APIs, opened on first use: which one a playbook talks to depends on what it finds. */
export interface ApiAccess {
  /** Harbor's API (--harbor-url) or else the registry API (--registry-url), checked to answer. */
  source(): Promise<ApiSource>;
  /** The registry API client (--registry-url; refused without it). */
  registry(): Promise<RegistryClient>;
  /** Harbor's REST API for a release line, undefined without --harbor-url. */
  harbor(major: number): Promise<HarborApi | undefined>;
}

/** What the runner builds for each requirement before `plan` runs. */
interface Provided {
  database: { db: Database; harbor: HarborDetection };
  'harbor-api': { api: ApiAccess };
  'registry-storage': { storage: RegistryStorage };
  /** Undefined unless the target is k8s. */
  kubernetes: { kube: Kube | undefined };
}
type Intersection<U> = (U extends unknown ? (value: U) => void : never) extends (value: infer I) => void ? I : never;
export type Resources<R extends Requirement> = Intersection<Provided[R]>;

/** Options every playbook's command line has besides its own (target, safety, output). */
export type CommonValues = TargetOptions & { apply?: boolean; yes?: boolean; json: boolean; 'backup-dir': string };

export type RunContext<F extends Flags = Flags, R extends Requirement = Requirement> = {
  playbook: Playbook;
  values: Values<F> & CommonValues;
  apply: boolean;
  target: Target;
  backupDir: string;
  /** <backup-dir>/<time>-<playbook>-<what>.<ext>: where a step writes what it saves. */
  backupPath(what: string, extension: string): string;
  report: Reporter;
} & Resources<R>;

/** A playbook as declared: its context is typed by its own flags and requirements. */
export interface TypedPlaybook<F extends Flags = Flags, R extends Requirement = Requirement> {
  name: string;
  title: string;
  /** One or two sentences: what it does, for `list`, `--help` and the site. */
  summary: string;
  /** Page ids (content/issues/<lang>/<id>.mdx) whose fix this playbook runs. */
  remediates: readonly string[];
  /** The playbook's own options, declared once (flags.ts builders). */
  flags: F;
  groups: readonly Group<Extract<keyof F, string>>[];
  /** `flags` as help and the site show them. */
  parameters: readonly Parameter[];
  targets: readonly TargetKind[];
  /** Why the targets not in `targets` do not apply: the refusal of `--target <another>` says it. */
  targetNote?: string;
  /** Whether `--apply` can change Harbor (and so whether dry-run/backup/confirm apply). */
  mutates: boolean;
  requires: readonly R[];
  /** Read-only: inspect, decide, and return findings plus the steps that would fix them. */
  plan(context: RunContext<F, R>): Promise<Plan>;
}

/** The declaration a playbook file exports through `definePlaybook`. */
export type PlaybookDeclaration<F extends Flags, R extends Requirement> = Omit<TypedPlaybook<F, R>, 'parameters' | 'groups'> & {
  groups?: TypedPlaybook<F, R>['groups'];
};

/**
 * Any playbook, as the list, the CLI, the site and the runner hold it. Its `plan` takes the
 * context the runner builds from `requires`, which no static type can tie to one playbook.
 */
export type Playbook = Omit<TypedPlaybook, 'plan'> & { plan(context: never): Promise<Plan> };
