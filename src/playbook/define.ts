// What a playbook file exports: its declaration, completed with the Parameter view of its
// flags. The type parameters are inferred from the declaration, so `plan` sees
// `context.values` typed by the flags and `context.db` etc. by `requires`.
import { describeParameters, type Flags } from './flags.ts';
import type { PlaybookDeclaration, Requirement, TypedPlaybook } from './types.ts';

export function definePlaybook<const F extends Flags, const R extends Requirement = never>(declaration: PlaybookDeclaration<F, R>): TypedPlaybook<F, R> {
  const groups = declaration.groups ?? [];
  return { ...declaration, groups, parameters: describeParameters(declaration.flags, groups) };
}
