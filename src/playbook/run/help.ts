// `--help` text, generated from the same metadata as the site's parameter table.
import { allParameters } from './args.ts';
import type { Parameter } from '../flags.ts';
import type { Playbook } from '../types.ts';

export function parameterUsage(parameter: Parameter): string {
  if (parameter.type === 'boolean') return `--${parameter.name}`;
  const placeholder = parameter.type === 'enum' ? parameter.choices?.join('|') : parameter.type === 'integer' ? 'N' : parameter.type.toUpperCase();
  return `--${parameter.name} ${placeholder}`;
}

/** The smallest useful invocation: required options (and one of each required group) with their examples. */
export function exampleArguments(playbook: Playbook): string[] {
  const groupsShown = new Set<string>();
  const args: string[] = [];
  for (const parameter of playbook.parameters) {
    const needed = parameter.required || (parameter.group && parameter.groupRequired && !groupsShown.has(parameter.group));
    if (!needed) continue;
    if (parameter.group) groupsShown.add(parameter.group);
    args.push(`--${parameter.name}`, parameter.example ?? `<${parameter.name}>`);
  }
  return args;
}

export function playbookHelp(playbook: Playbook): string {
  const rows = allParameters(playbook).map((parameter) => {
    const notes = [
      parameter.required ? 'required' : '',
      parameter.default !== undefined && parameter.type !== 'boolean' ? `default ${parameter.default}` : '',
      parameter.group ? (parameter.groupRequired ? `one of the ${parameter.group} options is required` : '') : '',
    ]
      .filter(Boolean)
      .join('; ');
    return `  ${parameterUsage(parameter).padEnd(34)} ${parameter.help}${notes ? ` (${notes})` : ''}`;
  });
  return [
    `harbor-kb run ${playbook.name} [options]`,
    '',
    `${playbook.title}`,
    `${playbook.summary}`,
    '',
    `Targets: ${playbook.targets.join(', ')}. ${playbook.mutates ? 'Dry-run unless --apply; backs up what it changes first.' : 'Changes nothing in Harbor.'}`,
    `Fixes: ${playbook.remediates.join(', ')}`,
    '',
    `Example: harbor-kb run ${playbook.name} ${exampleArguments(playbook).join(' ')}${playbook.mutates ? '   (then add --apply)' : ''}`.trimEnd(),
    '',
    'Options:',
    ...rows,
    '',
    'Exit codes: 0 done, nothing to do, or dry-run plan printed; 1 failed, nothing changed; 2 refused (bad input, a failed',
    'preflight, or a selected object found healthy when re-checked; nothing changed); 3 changed something but could not finish',
    'or verify: stderr (and --json: changedBeforeFailure, restore) says what changed and how to put it back.',
    '',
  ].join('\n');
}
