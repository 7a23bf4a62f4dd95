// Command-line parsing and validation driven entirely by Parameter metadata. Anything that
// does not fit is refused (exit 2) before a connection is opened.
import { refuse } from './errors.ts';
import { PLACEMENT_PARAMETERS, TARGET_PARAMETERS } from './targets.ts';
import type { Parameter, ParameterValue, ParameterValues, Playbook } from './types.ts';

/** Options of the run itself, shared by every playbook. */
const SAFETY_PARAMETERS: readonly Parameter[] = [
  { name: 'apply', type: 'boolean', default: false, help: 'Make the changes. Without it the playbook only prints its plan (dry-run).' },
  { name: 'yes', type: 'boolean', default: false, help: 'Do not ask for confirmation before applying (required when not on a terminal).' },
];
const OUTPUT_PARAMETERS: readonly Parameter[] = [
  { name: 'backup-dir', type: 'path', default: './harbor-kb-backups', help: 'Where backups and the audit log (audit.jsonl) are written.' },
  { name: 'json', type: 'boolean', default: false, help: 'Print one JSON result object on stdout instead of text.' },
];

/** Every option `harbor-kb run <name>` accepts for this playbook, its own first. */
export function allParameters(playbook: Playbook): Parameter[] {
  return [
    ...playbook.parameters,
    ...(playbook.requires.includes('database') ? TARGET_PARAMETERS : playbook.targets.length > 1 ? PLACEMENT_PARAMETERS : []),
    ...(playbook.mutates ? SAFETY_PARAMETERS : []),
    ...OUTPUT_PARAMETERS,
  ];
}

export interface ParsedArguments {
  values: ParameterValues;
  /** Names the operator passed explicitly (defaults are not in it). */
  given: Set<string>;
  help: boolean;
}

function convert(parameter: Parameter, raw: string): ParameterValue {
  const flag = `--${parameter.name}`;
  const shown = JSON.stringify(raw.length > 80 ? raw.slice(0, 80) + '…' : raw);
  switch (parameter.type) {
    case 'boolean':
      if (raw === 'true' || raw === '') return true;
      if (raw === 'false') return false;
      throw refuse(`${flag} takes no value (or true/false), got ${shown}`);
    case 'integer':
    case 'duration': {
      const match = parameter.type === 'duration' ? /^(\d{1,9})(s|m|h)?$/.exec(raw) : /^(\d{1,15})$/.exec(raw);
      if (!match) throw refuse(`${flag} must be a whole number${parameter.type === 'duration' ? ' of seconds (or 5m, 1h)' : ''}, got ${shown}`);
      const value = Number(match[1]) * ({ s: 1, m: 60, h: 3600 }[match[2] as 's'] ?? 1);
      if (parameter.min !== undefined && value < parameter.min) throw refuse(`${flag} must be at least ${parameter.min}, got ${shown}`);
      if (parameter.max !== undefined && value > parameter.max) throw refuse(`${flag} must be at most ${parameter.max}, got ${shown}`);
      return value;
    }
    case 'enum':
      if (!parameter.choices?.includes(raw)) throw refuse(`${flag} must be one of ${parameter.choices?.join(', ')}, got ${shown}`);
      return raw;
    case 'version': {
      const match = /^v?(\d{1,3})\.(\d{1,3})(?:\.(\d{1,3}))?$/.exec(raw);
      if (!match) throw refuse(`${flag} must be a Harbor release like 1.8.6 or 2.2, got ${shown}`);
      return `${match[1]}.${match[2]}.${match[3] ?? 0}`;
    }
    case 'url':
      if (!/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(raw)) throw refuse(`${flag} must be a URL, got a value that is not one`);
      return raw;
    case 'path':
      if (raw === '' || raw.includes('\0')) throw refuse(`${flag} must be a path`);
      return raw;
    case 'string':
      if (raw === '') throw refuse(`${flag} must not be empty`);
      if (parameter.pattern && !new RegExp(`^(?:${parameter.pattern.source})$`).test(raw)) {
        throw refuse(`${flag} must be ${parameter.patternHelp ?? `of the form ${parameter.pattern.source}`}, got ${shown}`);
      }
      return raw;
  }
}

export function parseArguments(parameters: readonly Parameter[], argv: readonly string[]): ParsedArguments {
  const byName = new Map(parameters.map((parameter) => [parameter.name, parameter]));
  const values: ParameterValues = {};
  const given = new Set<string>();
  let help = false;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    const match = /^--([a-z][a-z0-9-]*)(?:=(.*))?$/s.exec(arg);
    if (!match) throw refuse(`unexpected argument ${JSON.stringify(arg)} (options start with --; see --help)`);
    const name = match[1]!;
    const parameter = byName.get(name);
    if (!parameter) throw refuse(`unknown option --${name} (see --help)`);
    if (given.has(name)) throw refuse(`--${name} given twice`);
    let raw = match[2];
    if (raw === undefined) {
      if (parameter.type === 'boolean') raw = '';
      else {
        raw = argv[++index];
        if (raw === undefined || (raw.startsWith('--') && raw.length > 2)) throw refuse(`--${name} needs a value`);
      }
    }
    values[name] = convert(parameter, raw);
    given.add(name);
  }
  if (help) return { values, given, help };
  for (const parameter of parameters) {
    if (!given.has(parameter.name) && parameter.default !== undefined) values[parameter.name] = parameter.default;
    if (parameter.required && !given.has(parameter.name)) throw refuse(`--${parameter.name} is required: ${parameter.help}`);
  }
  const groups = new Map<string, Parameter[]>();
  for (const parameter of parameters) {
    if (parameter.group) groups.set(parameter.group, [...(groups.get(parameter.group) ?? []), parameter]);
  }
  for (const members of groups.values()) {
    const passed = members.filter((parameter) => given.has(parameter.name));
    const names = members.map((parameter) => `--${parameter.name}`).join(' or ');
    if (passed.length > 1) throw refuse(`give only one of ${names}`);
    if (passed.length === 0 && members.some((parameter) => parameter.groupRequired)) throw refuse(`give one of ${names}`);
  }
  return { values, given, help };
}
