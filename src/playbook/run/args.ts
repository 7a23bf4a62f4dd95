// The command line of `harbor-kb run <name>`: node:util parseArgs splits it, the playbook's
// flag schemas (flags.ts) convert and check each value. Anything that does not fit is refused
// (exit 2) before a connection is opened.
import { parseArgs } from 'node:util';
import * as z from 'zod/mini';
import { refuse } from '../errors.ts';
import { boolean, describeFlag, describeParameters, enumeration, path, type Flags, type Group, type Values } from '../flags.ts';
import { PLACEMENT_FLAGS, TARGET_FLAGS, TARGET_KINDS } from '../platform/targets.ts';
import type { Parameter } from '../flags.ts';
import type { Playbook } from '../types.ts';

/** Options of the run itself, shared by every playbook that changes Harbor. */
const SAFETY_FLAGS = {
  apply: boolean({ help: 'Make the changes. Without it the playbook only prints its plan (dry-run).' }),
  yes: boolean({ help: 'Do not ask for confirmation before applying (required when not on a terminal).' }),
};
const OUTPUT_FLAGS = {
  'backup-dir': path({ default: './harbor-kb-backups', help: 'Where backups and the audit log (audit.jsonl) are written.' }),
  json: boolean({ help: 'Print one JSON result object on stdout instead of text.' }),
};

/** A whole command line: the options and the groups among them. */
export interface CommandLine {
  flags: Flags;
  groups: readonly Group[];
}

/**
 * A playbook with one target still takes --target, so that naming another is refused with its
 * reason (resolveTarget, targetNote) rather than as an unknown option; every kind parses for that.
 */
function onlyTarget({ targets, targetNote }: Playbook) {
  const why = targetNote ? `: ${targetNote}` : '';
  return { target: enumeration(TARGET_KINDS, { help: `Where Harbor runs: ${targets.join(', ')} only for this playbook${why}.` }) };
}

/** Every option `harbor-kb run <name>` accepts for this playbook, its own first. */
export function commandLine(playbook: Playbook): CommandLine {
  // A k8s target needs --namespace/--release to find the release, even as the only target.
  const placed = playbook.targets.length > 1 || playbook.targets.includes('k8s');
  const placement = playbook.requires.includes('database') ? TARGET_FLAGS : placed ? PLACEMENT_FLAGS : onlyTarget(playbook);
  return { flags: { ...playbook.flags, ...placement, ...(playbook.mutates ? SAFETY_FLAGS : {}), ...OUTPUT_FLAGS }, groups: playbook.groups };
}

export function allParameters(playbook: Playbook): Parameter[] {
  const { flags, groups } = commandLine(playbook);
  return describeParameters(flags, groups);
}

export interface ParsedArguments<F extends Flags> {
  values: Values<F>;
  /** Names the operator passed explicitly (defaults are not in it). */
  given: Set<string>;
  help: boolean;
}

const isBoolean = (flags: Flags, name: string) => describeFlag(name, flags[name]!).type === 'boolean';

/** Splits argv into raw option texts (a bare boolean is ''), refusing what is not an option of this command line. */
function rawValues(flags: Flags, argv: readonly string[]): { raw: Record<string, string>; help: boolean } {
  const options = Object.fromEntries(Object.keys(flags).map((name) => [name, { type: isBoolean(flags, name) ? ('boolean' as const) : ('string' as const) }]));
  const { tokens } = parseArgs({
    args: [...argv],
    options: { ...options, help: { type: 'boolean', short: 'h' } },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const raw: Record<string, string> = {};
  let help = false;
  for (const token of tokens) {
    const unexpected = () => refuse(`unexpected argument ${JSON.stringify(argv[token.index])} (options start with --; see --help)`);
    if (token.kind !== 'option') throw unexpected();
    if (token.name === 'help') {
      help = true;
      continue;
    }
    if (!token.rawName.startsWith('--')) throw unexpected();
    const { name } = token;
    if (!Object.hasOwn(flags, name)) throw refuse(`unknown option --${name} (see --help)`);
    if (Object.hasOwn(raw, name)) throw refuse(`--${name} given twice`);
    const value = token.value ?? (isBoolean(flags, name) ? '' : undefined);
    // parseArgs takes the next word as the value even when it is the next option.
    if (value === undefined || (!token.inlineValue && !isBoolean(flags, name) && value.startsWith('--') && value.length > 2))
      throw refuse(`--${name} needs a value`);
    raw[name] = value;
  }
  return { raw, help };
}

export function parseArguments<F extends Flags>({ flags, groups }: { flags: F; groups: readonly Group[] }, argv: readonly string[]): ParsedArguments<F> {
  const { raw, help } = rawValues(flags, argv);
  const given = new Set(Object.keys(raw));
  const parsed = z.object(flags).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw refuse(`--${String(issue.path[0])} ${issue.message}`);
  }
  const values = parsed.data as Values<F>;
  if (help) return { values, given, help };
  for (const [name, schema] of Object.entries(flags)) {
    const parameter = describeFlag(name, schema);
    if (parameter.required && !given.has(name)) throw refuse(`--${name} is required: ${parameter.help}`);
  }
  for (const group of groups) {
    const passed = group.members.filter((name) => given.has(name));
    const names = group.members.map((name) => `--${name}`).join(' or ');
    if (passed.length > 1) throw refuse(`give only one of ${names}`);
    if (passed.length === 0 && group.required) throw refuse(`give one of ${names}`);
  }
  return { values, given, help };
}
