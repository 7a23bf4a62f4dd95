// kubectl helpers for playbooks that read and change Harbor's Kubernetes objects, named by
// the chart's fullname rule: <fullname>-core (configmap and deployment), ...
import { commandError, runCommand, type Command } from './commands.ts';
import { fail, refuse } from './errors.ts';
import { chartFullname } from './targets.ts';
import type { ParameterValues } from './types.ts';

export interface Kube {
  namespace: string;
  fullname: string;
  kubectl(argv: readonly string[]): Command;
  /** `kubectl get <kind>/<name> -o json`; a refusal when it does not exist or cannot be read. */
  getJson<T>(kind: string, name: string): Promise<T>;
  /** Runs a kubectl command; a non-zero exit fails (exit 1) with kubectl's message. */
  run(command: Command): Promise<string>;
}

/** `legacyFullname`: the playbook targets charts before 1.7.0, whose fullname is always <release>-harbor. */
export function kube(values: ParameterValues, options: { legacyFullname?: boolean } = {}): Kube {
  const namespace = String(values.namespace ?? 'default');
  const fullname = chartFullname(String(values.release ?? 'harbor'), values.fullname as string | undefined, options.legacyFullname);
  const kubectl = (argv: readonly string[]): Command => ({ argv: ['kubectl', '-n', namespace, ...argv] });
  return {
    namespace,
    fullname,
    kubectl,
    async getJson<T>(kind: string, name: string) {
      const command = kubectl(['get', `${kind}/${name}`, '-o', 'json']);
      const result = await runCommand(command);
      if (result.exitCode !== 0) throw refuse(`cannot read ${kind} ${name} in namespace ${namespace}: ${commandError(command, result)} (check --namespace, --release or --fullname)`);
      try {
        return JSON.parse(result.stdout) as T;
      } catch {
        throw refuse(`kubectl get ${kind}/${name} did not answer with JSON; is kubectl pointed at a Kubernetes API server?`);
      }
    },
    async run(command) {
      const result = await runCommand(command);
      if (result.exitCode !== 0) throw fail(commandError(command, result));
      return result.stdout;
    },
  };
}
