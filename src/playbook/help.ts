// `--help` text, generated from the same metadata as the site's parameter table.
import { allParameters } from './args.ts';
import type { Parameter, Playbook } from './types.ts';

export function parameterUsage(parameter: Parameter): string {
  if (parameter.type === 'boolean') return `--${parameter.name}`;
  const placeholder = parameter.type === 'enum' ? parameter.choices?.join('|') : parameter.type === 'integer' ? 'N' : parameter.type.toUpperCase();
  return `--${parameter.name} ${placeholder}`;
}

export function playbookHelp(playbook: Playbook): string {
  const rows = allParameters(playbook).map((parameter) => {
    const notes = [parameter.required ? 'required' : '', parameter.default !== undefined && parameter.type !== 'boolean' ? `default ${parameter.default}` : '', parameter.group ? (parameter.groupRequired ? `one of the ${parameter.group} options is required` : '') : '']
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
    'Options:',
    ...rows,
    '',
    'Exit codes: 0 done, nothing to do, or dry-run plan printed; 1 failed, nothing changed; 2 refused (bad input or preflight).',
    '',
  ].join('\n');
}
