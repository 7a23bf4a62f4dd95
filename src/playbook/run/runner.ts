// The safety model, enforced in one place for every playbook: parse → reach the target →
// detect Harbor → plan (read-only) → dry-run prints, or confirm → backup → change →
// verify → audit. Playbooks never change anything outside a Step run from here.
import { join } from 'node:path';
import { openApiSource } from '../http/api-source.ts';
import { commandLine, parseArguments } from './args.ts';
import { appendAudit, type AuditRecord } from './audit.ts';
import { backupFileName, ensureWritableDir } from './backup.ts';
import { confirmApply } from './confirm.ts';
import { describeError, EXIT_INCOMPLETE, EXIT_OK, fail, incomplete, IncompleteChangeError, PlaybookError, refuse } from '../errors.ts';
import { withDefaults } from '../flags.ts';
import { HARBOR_API_FLAGS, harborApi } from '../http/harbor-api.ts';
import { describeHarbor, detectHarbor, type HarborDetection } from '../sql/harbor-version.ts';
import { playbookHelp } from './help.ts';
import { watchInterrupts } from './interrupts.ts';
import { kube } from '../platform/kube.ts';
import { createReporter, printable, type Reporter } from './output.ts';
import { REGISTRY_FLAGS, registryClient, type RegistryClient } from '../http/registry-api.ts';
import { registryStorage, STORAGE_FLAGS } from '../storage/registry-storage.ts';
import { redact, redactValue } from '../secrets.ts';
import type { Database } from '../sql/sql.ts';
import { lockedTransactions } from '../sql/transaction.ts';
import { refuseSystemDirectory } from './system-dirs.ts';
import { resolveTarget, type Target } from '../platform/targets.ts';
import type { ApiAccess, CommonValues, Plan, Playbook, RunContext, Step } from '../types.ts';

interface ChangeRecord {
  description: string;
  preview: string[];
  expected?: number;
  changed?: number;
  detail?: string;
  backup?: string;
  verified?: string;
  data?: Record<string, unknown>;
  /** Commands that put back what this step changed (from its backup). */
  restore?: string[];
  /** Set once `execute` returned: the change happened, whatever follows. */
  executed?: boolean;
  readOnly?: boolean;
}

export interface RunResult {
  playbook: string;
  target?: string;
  mode: 'dry-run' | 'apply';
  harbor?: Record<string, unknown> & { description: string };
  findings: Plan['findings'];
  changes: ChangeRecord[];
  facts?: Record<string, unknown>;
  backupPaths: string[];
  auditPath?: string;
  ok: boolean;
  exitCode: number;
  error?: string;
  /** Exit 3 only: what is now different, and the commands that put it back. */
  changedBeforeFailure?: string[];
  restore?: string[];
}

/** The options the API clients read, declared defaults filling those a playbook does not have. */
const API_FLAGS = { ...HARBOR_API_FLAGS, ...REGISTRY_FLAGS };

function apiAccess(values: Record<string, unknown>): ApiAccess {
  const options = withDefaults(API_FLAGS, values);
  let source: ReturnType<typeof openApiSource> | undefined;
  let registry: Promise<RegistryClient> | undefined;
  return {
    source: () => (source ??= openApiSource(options)),
    registry: () => (registry ??= registryClient(options).then((client) => client ?? Promise.reject(refuse('give --registry-url')))),
    harbor: (major) => harborApi(options, major),
  };
}

interface DatabaseHooks {
  /** Called as soon as the connection is open, so it is closed whatever follows. */
  connected(db: Database): void;
  detected(harbor: HarborDetection): void;
}

/** What the run builds before `plan`: what the playbook `requires`, reached through the target. */
async function buildContext(
  playbook: Playbook,
  values: CommonValues & Record<string, unknown>,
  target: Target,
  report: Reporter,
  hooks: DatabaseHooks,
): Promise<RunContext> {
  const backupDir = values['backup-dir'];
  const context = {
    playbook,
    values,
    apply: values.apply === true,
    target,
    backupDir,
    backupPath: (what: string, extension: string) => join(backupDir, backupFileName(playbook.name, what, extension)),
    report,
  } as Partial<RunContext> & Pick<RunContext, 'target' | 'report'>;
  if (playbook.requires.includes('database')) {
    const engine = await target.detectEngine();
    // Two applies of one playbook on one database must not interleave their transactions.
    context.db = lockedTransactions(await report.spin('connecting to the database', () => target.connect(engine)), playbook.name);
    hooks.connected(context.db);
    context.harbor = await detectHarbor(context.db);
    hooks.detected(context.harbor);
  }
  if (playbook.requires.includes('harbor-api')) context.api = apiAccess(values);
  if (playbook.requires.includes('registry-storage')) context.storage = registryStorage(target, withDefaults(STORAGE_FLAGS, values));
  if (playbook.requires.includes('kubernetes')) context.kube = target.kubernetes && kube(target.kubernetes);
  // Every field of RunContext is set above for what this playbook requires.
  return context as RunContext;
}

function printPlan(context: RunContext, plan: Plan): void {
  const { report } = context;
  const marks = { info: '-', warn: '!', problem: 'x' } as const;
  for (const finding of plan.findings) report.info(`${marks[finding.level]} ${finding.message}`);
  const steps = plan.steps;
  if (steps.length === 0) return;
  const dryRun = !context.apply && steps.some((step) => !step.readOnly);
  report.info(dryRun ? '\nPlan (dry-run, nothing will change):' : '\nSteps:');
  steps.forEach((step, index) => {
    const expected = step.expected !== undefined ? ` — would change ${step.expected}` : '';
    report.info(`${index + 1}. ${step.description}${step.readOnly ? ' (read-only)' : expected}`);
    for (const line of step.preview) report.info(`     ${line.split('\n').join('\n     ')}`);
  });
}

async function runStep(context: RunContext, step: Step, record: ChangeRecord, backupPaths: string[]): Promise<void> {
  context.report.info(`\n→ ${step.description}`);
  if (step.backup) {
    const backup = await context.report.spin(`backing up: ${step.description}`, step.backup);
    if (backup) {
      record.backup = backup.path;
      record.restore = backup.restore;
      backupPaths.push(backup.path);
      context.report.info(`   backup: ${backup.path} (${backup.description})`);
    }
  }
  const outcome = await context.report.spin(step.description, step.execute);
  record.executed = true;
  record.changed = outcome.changed;
  record.detail = outcome.detail;
  record.data = outcome.data;
  context.report.info(`   done: ${outcome.detail ?? `${outcome.changed} changed`}`);
  if (step.verify) {
    record.verified = await step.verify();
    context.report.info(`   verified: ${record.verified}`);
  }
}

/**
 * What a failed apply left changed, or undefined when nothing did (exit 1). A step counts once
 * its `execute` returned (a later verify failure leaves the change in place), and so does a
 * step that threw an IncompleteChangeError saying what it did before failing.
 */
function partialChange(changes: readonly ChangeRecord[], error: unknown): { changed: string[]; restore: string[] } | undefined {
  const done = changes.filter((change) => change.executed && !change.readOnly && (change.changed ?? 0) > 0);
  const changed = done.map((change) => `${change.description}: ${change.detail ?? `${change.changed} changed`}${change.verified ? '' : ' (not verified)'}`);
  const restore = done.flatMap((change) => change.restore ?? (change.backup ? [`restore from ${change.backup}`] : []));
  if (error instanceof IncompleteChangeError) {
    changed.push(...error.changed);
    restore.push(...error.restore);
    // An error that names no restore of its own (a COMMIT the database did not confirm): the step
    // that raised it was backed up before it changed anything, and that backup puts it back.
    const failing = changes.find((change) => !change.executed && !change.readOnly && change.backup !== undefined);
    if (error.restore.length === 0 && failing) restore.push(...(failing.restore ?? [`restore from ${failing.backup}`]));
  }
  return changed.length > 0 ? { changed, restore } : undefined;
}

/** The stderr lines of an exit 3: what changed and the commands that put it back. */
function partialText(partial: { changed: string[]; restore: string[] }): string {
  const restore = partial.restore.length ? `to restore:\n${partial.restore.map((line) => `  ${line}`).join('\n')}\n` : '';
  return printable(redact(`changed:\n${partial.changed.map((line) => `  - ${line}`).join('\n')}\n${restore}`));
}

/** `ps` shows every process's argv to every user of the host, for as long as the run lasts. */
function warnAboutPasswordInArgv(values: CommonValues): void {
  const url = values['db-url'];
  if (typeof url !== 'string' || !URL.canParse(url) || !new URL(url).password) return;
  process.stderr.write(
    'warning: --db-url carries a password, which other users of this host can read with ps while the run lasts; leave it out and set PGPASSWORD / MYSQL_PWD, or answer the prompt.\n',
  );
}

/**
 * Appends the run to the audit log in the backup directory. The change stands even when its record
 * cannot be written: say so, and end with exit 3 if anything changed.
 */
function writeAudit(result: RunResult, auditDir: string, playbook: string, parameters: Record<string, unknown>): void {
  const record: AuditRecord = {
    time: new Date().toISOString(),
    playbook,
    target: result.target ?? '',
    mode: result.mode,
    harbor: result.harbor?.description,
    parameters,
    changes: result.changes.filter((change) => change.changed !== undefined || result.mode === 'apply'),
    ok: result.ok,
    exitCode: result.exitCode,
    error: result.error,
    changedBeforeFailure: result.changedBeforeFailure,
    restore: result.restore,
  };
  try {
    result.auditPath = appendAudit(auditDir, record);
  } catch (error) {
    const why = `could not write the audit record in ${auditDir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
    const partial = result.exitCode === EXIT_INCOMPLETE ? undefined : partialChange(result.changes, undefined);
    result.error = result.error ? `${result.error}; ${why}` : why;
    process.stderr.write(`${printable(redact(`error: ${why}`))}\n`);
    if (partial) {
      Object.assign(result, { ok: false, exitCode: EXIT_INCOMPLETE, changedBeforeFailure: partial.changed, restore: partial.restore });
      process.stderr.write(partialText(partial));
    }
  }
}

/**
 * How a run that threw ends, said on stderr: exit 3 with what changed and how to restore it when a
 * change had been made, else the error's own exit (a refusal before any change, a failure after).
 */
function recordFailure(result: RunResult, error: unknown, phase: 'preflight' | 'change'): void {
  const message = describeError(error, redact);
  const partial = phase === 'change' ? partialChange(result.changes, error) : undefined;
  if (partial) {
    result.exitCode = EXIT_INCOMPLETE;
    result.changedBeforeFailure = partial.changed;
    result.restore = partial.restore;
    result.error = `${message}. The run changed something and did not finish: see what changed and how to restore it.`;
    process.stderr.write(`${printable(redact(`error: ${result.error}`))}\n${partialText(partial)}`);
    return;
  }
  const known = error instanceof PlaybookError ? error : phase === 'preflight' ? refuse(message) : fail(message);
  result.exitCode = known.exitCode;
  result.error =
    phase === 'change' && !(error instanceof PlaybookError)
      ? `${message}. The failed step was rolled back (each step is one transaction); nothing changed. Fix the cause and rerun.`
      : message;
  process.stderr.write(printable(`error: ${redact(result.error)}\n`));
}

/** The end of every run: its audit record, then the JSON result (always last on stdout). */
function finishRun(result: RunResult, json: boolean, audit: { dir?: string; playbook: string; parameters: Record<string, unknown> }): void {
  if (audit.dir) writeAudit(result, audit.dir, audit.playbook, audit.parameters);
  if (json) process.stdout.write(JSON.stringify(redactValue(result), null, 2) + '\n');
}

/**
 * Runs the steps, stopping between two of them when an interrupt came (watchInterrupts). A second
 * interrupt ends the run at once as `endNow` says, with a changing step in progress counted as
 * possibly changed (its backup's restore goes with it); a read-only one changed nothing.
 */
async function runSteps(
  context: RunContext,
  steps: readonly { step: Step; record: ChangeRecord }[],
  backupPaths: string[],
  endNow: (error: PlaybookError) => never,
): Promise<void> {
  let current: { step: Step; record: ChangeRecord } | undefined;
  let signalName = '';
  const interrupts = watchInterrupts(
    (signal) => {
      signalName = signal;
      process.stderr.write(`\n${signal}: stopping after the step in progress; send it again to stop at once.\n`);
    },
    (signal) => {
      const stopped = `${signal} received twice: stopped during "${current?.step.description ?? 'the last step'}"`;
      const cutOff = current && !current.record.executed && !current.step.readOnly ? current.step.description : undefined;
      // Steps done before it still count: recordFailure adds them, and ends with exit 3 if any changed.
      endNow(
        cutOff
          ? incomplete(stopped, [`${cutOff}: interrupted while it ran; it may have changed something`])
          : fail(`${stopped}; it changes nothing in Harbor (a file it was writing may be left incomplete)`),
      );
    },
  );
  try {
    for (const entry of steps) {
      if (interrupts.requested()) throw fail(`${signalName} received: stopped before "${entry.step.description}"; the steps before it completed`);
      current = entry;
      await runStep(context, entry.step, entry.record, backupPaths);
    }
  } finally {
    interrupts.release();
  }
}

export async function runPlaybook(playbook: Playbook, argv: readonly string[]): Promise<number> {
  const json = argv.includes('--json');
  const report = createReporter(json);
  const result: RunResult = { playbook: playbook.name, mode: 'dry-run', findings: [], changes: [], backupPaths: [], ok: false, exitCode: EXIT_OK };
  let context: RunContext | undefined;
  let db: Database | undefined;
  let phase: 'preflight' | 'change' = 'preflight';
  let auditDir: string | undefined;
  let parameters: Record<string, unknown> = {};
  try {
    const parsed = parseArguments(commandLine(playbook), argv);
    if (parsed.help) {
      process.stdout.write(playbookHelp(playbook));
      return EXIT_OK;
    }
    // The common options are declared by commandLine for every playbook (OUTPUT always, the rest by kind).
    const values = parsed.values as CommonValues & Record<string, unknown>;
    parameters = Object.fromEntries(Object.entries(values).filter(([name]) => parsed.given.has(name)));
    const apply = values.apply === true;
    result.mode = apply ? 'apply' : 'dry-run';
    warnAboutPasswordInArgv(values);
    const target = await resolveTarget(values, parsed.given, playbook.targets, playbook.requires.includes('database'), playbook.targetNote);
    result.target = target.description;
    report.info(`${playbook.title} — ${result.mode}, target ${target.description}`);
    context = await buildContext(playbook, values, target, report, {
      connected: (connected) => (db = connected),
      detected: (harbor) => {
        result.harbor = { ...harbor, description: describeHarbor(harbor) };
        report.info(`Detected: ${describeHarbor(harbor)}`);
      },
    });
    // buildContext made what `requires` asks for, which is what this playbook's plan is typed to receive.
    const plan = await playbook.plan(context as never);
    result.findings = plan.findings;
    result.facts = plan.facts;
    printPlan(context, plan);
    if (plan.steps.length === 0 && plan.notChecked) throw fail(plan.notChecked);
    const changing = plan.steps.filter((step) => !step.readOnly);
    const runnable = plan.steps.filter((step) => apply || step.readOnly);
    result.changes = plan.steps.map((step) => ({ description: step.description, preview: step.preview, expected: step.expected, readOnly: step.readOnly }));
    if (runnable.length > 0) {
      refuseSystemDirectory(context.backupDir);
      auditDir = ensureWritableDir(context.backupDir);
    }
    if (apply && changing.length > 0) {
      await confirmApply(`${changing.length} change(s) on ${target.description}.`, values.yes === true);
    }
    phase = 'change';
    const steps = runnable.map((step) => ({ step, record: result.changes[plan.steps.indexOf(step)]! }));
    await runSteps(context, steps, result.backupPaths, (error) => {
      recordFailure(result, error, 'change');
      finishRun(result, json, { dir: auditDir, playbook: playbook.name, parameters });
      process.exit(result.exitCode);
    });
    if (plan.steps.length === 0) report.info('\nNothing to do.');
    else if (!apply && changing.length > 0) report.info('\nDry-run: nothing changed. Rerun with --apply to make these changes.');
    result.ok = true;
  } catch (error) {
    recordFailure(result, error, phase);
  } finally {
    await db?.close();
  }
  finishRun(result, json, { dir: context ? auditDir : undefined, playbook: playbook.name, parameters });
  return result.exitCode;
}
