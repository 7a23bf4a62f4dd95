// Command-line options declared once, as zod schemas built by the small builders below. Each
// schema turns the raw text of one option into its typed value (or refuses it); the builder
// records beside it what `--help`, the site's parameter table and the bundles show. A
// playbook's `context.values` is typed from the same schemas, so no value is cast.
// zod/mini: the single-file playbooks inline only the parts used here (the full zod API
// added about 750 KB to every bundle).
import * as z from 'zod/mini';
import { parseDuration } from '../lib/duration.ts';
import { parseHarborVersion, releaseOf } from '../lib/harbor/version.ts';

export type ParameterType = 'string' | 'integer' | 'boolean' | 'enum' | 'path' | 'url' | 'version' | 'duration';
export type ParameterValue = string | number | boolean;

/** One option as `--help` and the site show it: the view of its flag schema. */
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

/** What an option schema receives: the text after the flag, '' for a bare boolean, undefined when absent. */
type Raw = string | undefined;

export type Flag<T> = z.ZodMiniType<T, Raw>;
export type Flags = Readonly<Record<string, Flag<ParameterValue | undefined>>>;
export type Values<F extends Flags> = { -readonly [K in keyof F]: z.output<F[K]> };

/** Options among which at most one may be given; with `required`, exactly one. */
export interface Group<Name extends string = string> {
  name: string;
  members: readonly Name[];
  required: boolean;
}

export const exactlyOne = <const Name extends string>(name: string, ...members: Name[]): Group<Name> => ({ name, members, required: true });
export const exclusive = <const Name extends string>(name: string, ...members: Name[]): Group<Name> => ({ name, members, required: false });

/** The metadata a builder stores on its schema: a Parameter without its name and group. */
type Description = Omit<Parameter, 'name' | 'group' | 'groupRequired'>;

/** Each flag schema's Description, stored by the builder that made it. */
const DESCRIPTIONS = new WeakMap<Flag<unknown>, Description>();

interface Common<T> {
  help: string;
  /** Shown in examples on the site and in `--help`. */
  example?: string;
  default?: T;
  required?: boolean;
}

/** The value type: always present with a default or when required, else possibly undefined. */
type Present<T, O> = O extends { default: unknown } ? T : O extends { required: true } ? T : T | undefined;

/** Thrown by a converter; the parser prefixes the flag (`--policy must be …`). */
class Rejected extends Error {}

const shown = (raw: string) => JSON.stringify(raw.length > 80 ? raw.slice(0, 80) + '…' : raw);

function flag<T extends ParameterValue, O extends Common<T>>(
  type: ParameterType,
  options: O,
  extra: Partial<Description>,
  convert: (raw: string) => T,
): Flag<Present<T, O>> {
  const { help, example, required } = options;
  const schema = z.pipe(
    z.optional(z.custom<Raw>()),
    z.transform((raw: Raw, context) => {
      if (raw === undefined) return options.default;
      try {
        return convert(raw);
      } catch (error) {
        if (!(error instanceof Rejected)) throw error;
        context.issues.push({ code: 'custom', message: error.message, input: raw });
        return z.NEVER;
      }
    }),
  );
  const given = Object.entries({ example, default: options.default, required, ...extra }).filter(([, value]) => value !== undefined);
  const description: Description = { type, help, ...Object.fromEntries(given) };
  DESCRIPTIONS.set(schema, description);
  return schema as unknown as Flag<Present<T, O>>;
}

/** The Parameter view of one option schema, for `--help` and the site. */
export function describeFlag(name: string, schema: Flag<unknown>): Parameter {
  const description = DESCRIPTIONS.get(schema);
  if (!description) throw new Error(`option --${name} was not declared with a flag builder`);
  return { name, ...description };
}

/**
 * The Parameter view of a set of options, for `--help` and the site. A group's members carry its
 * name; its first member alone carries `groupRequired`, so "one of these is required" is said once.
 */
export function describeParameters(flags: Flags, groups: readonly Group[]): Parameter[] {
  return Object.entries(flags).map(([name, schema]) => {
    const group = groups.find((candidate) => (candidate.members as readonly string[]).includes(name));
    return { ...describeFlag(name, schema), ...(group && { group: group.name, ...(group.required && group.members[0] === name && { groupRequired: true }) }) };
  });
}

export function boolean(options: { help: string }): Flag<boolean> {
  return flag('boolean', { ...options, default: false }, {}, (raw) => {
    if (raw === 'true' || raw === '') return true;
    if (raw === 'false') return false;
    throw new Rejected(`takes no value (or true/false), got ${shown(raw)}`);
  });
}

interface Bounds {
  min?: number;
  max?: number;
}

function bounded(value: number, raw: string, { min, max }: Bounds, unit: (bound: number) => string = String): number {
  if (min !== undefined && value < min) throw new Rejected(`must be at least ${unit(min)}, got ${shown(raw)}`);
  if (max !== undefined && value > max) throw new Rejected(`must be at most ${unit(max)}, got ${shown(raw)}`);
  return value;
}

/** A bound of seconds in the largest unit that writes it whole (3600 -> 1h), as the operator may type it. */
function inDurationUnit(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

export function integer<const O extends Common<number> & Bounds>(options: O): Flag<Present<number, O>> {
  return flag<number, O>('integer', options, { min: options.min, max: options.max }, (raw) => {
    const match = /^(-?\d{1,15})$/.exec(raw);
    if (!match) throw new Rejected(`must be a whole number, got ${shown(raw)}`);
    const value = Number(match[1]);
    // -1 is a whole number: what it misses is the lower bound.
    if (value < 0 && value < (options.min ?? 0)) throw new Rejected(`must be a whole number of at least ${options.min ?? 0}, got ${shown(raw)}`);
    return bounded(value, raw, options);
  });
}

/** Seconds, written as 90, 90s, 5m or 1h. */
export function duration<const O extends Common<number> & Bounds>(options: O): Flag<Present<number, O>> {
  return flag<number, O>('duration', options, { min: options.min, max: options.max }, (raw) => {
    const ms = parseDuration(raw, { units: ['s', 'm', 'h'], bareUnit: 's' });
    if (ms === undefined || !Number.isSafeInteger(ms)) throw new Rejected(`must be a whole number of seconds (or 5m, 1h), got ${shown(raw)}`);
    return bounded(ms / 1000, raw, options, inDurationUnit);
  });
}

export function enumeration<const Choice extends string, const O extends Common<Choice>>(choices: readonly Choice[], options: O): Flag<Present<Choice, O>> {
  return flag<Choice, O>('enum', options, { choices }, (raw) => {
    if (!(choices as readonly string[]).includes(raw)) throw new Rejected(`must be one of ${choices.join(', ')}, got ${shown(raw)}`);
    return raw as Choice;
  });
}

/** A Harbor release, normalised to major.minor.patch. */
export function version<const O extends Common<string>>(options: O): Flag<Present<string, O>> {
  return flag<string, O>('version', options, {}, (raw) => {
    const parsed = parseHarborVersion(raw);
    if (!parsed) throw new Rejected(`must be a Harbor release like 1.8.6 or 2.2, got ${shown(raw)}`);
    return releaseOf(parsed);
  });
}

export function url<const O extends Common<string>>(options: O): Flag<Present<string, O>> {
  return flag<string, O>('url', options, {}, (raw) => {
    // The shape alone lets through what URL cannot parse (http://[::1), which would fail later with only "Invalid URL".
    if (!/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(raw) || !URL.canParse(raw)) throw new Rejected('must be a URL, got a value that is not one');
    return raw;
  });
}

export function path<const O extends Common<string>>(options: O): Flag<Present<string, O>> {
  return flag<string, O>('path', options, {}, (raw) => {
    if (raw === '' || raw.includes('\0')) throw new Rejected('must be a path');
    return raw;
  });
}

/** Text, checked whole against `pattern` when given; `patternHelp` says the shape in words. */
export function text<const O extends Common<string> & { pattern?: RegExp; patternHelp?: string }>(options: O): Flag<Present<string, O>> {
  const whole = options.pattern && new RegExp(`^(?:${options.pattern.source})$`);
  return flag<string, O>('string', options, { pattern: options.pattern, patternHelp: options.patternHelp }, (raw) => {
    if (raw === '') throw new Rejected('must not be empty');
    if (whole && !whole.test(raw)) throw new Rejected(`must be ${options.patternHelp ?? `of the form ${options.pattern?.source}`}, got ${shown(raw)}`);
    return raw;
  });
}

/** The declared defaults of a set of options (what the parser gives when none is passed). */
export function defaults<F extends Flags>(flags: F): Values<F> {
  return z.object(flags).parse({}) as Values<F>;
}

/** `values` (parsed options, possibly of a wider command line) with each of `flags` it lacks set to its declared default. */
export function withDefaults<F extends Flags>(flags: F, values: Readonly<Record<string, unknown>>): Values<F> {
  const present = Object.entries(values).filter(([, value]) => value !== undefined);
  return { ...defaults(flags), ...Object.fromEntries(present) } as Values<F>;
}
