// kubectl helpers for playbooks that read and change Harbor's Kubernetes objects, named by
// the chart's fullname rule: <fullname>-core (configmap and deployment), ...
import { commandError, runProcess, type Command } from './commands.ts';
import { fail, refuse } from '../errors.ts';
import type { KubernetesPlace } from './targets.ts';

export interface Kube extends KubernetesPlace {
  kubectl(argv: readonly string[]): Command;
  /** `kubectl get <kind>/<name> -o json`; a refusal when it does not exist or cannot be read. */
  getJson<T>(kind: string, name: string): Promise<T>;
  /** Runs a kubectl command; a non-zero exit fails (exit 1) with kubectl's message. */
  run(command: Command): Promise<string>;
}

export function kube(place: KubernetesPlace): Kube {
  const { namespace } = place;
  const kubectl = (argv: readonly string[]): Command => ({ argv: ['kubectl', '-n', namespace, ...argv] });
  return {
    ...place,
    kubectl,
    async getJson<T>(kind: string, name: string) {
      const command = kubectl(['get', `${kind}/${name}`, '-o', 'json']);
      const result = await runProcess(command);
      if (result.exitCode !== 0)
        throw refuse(`cannot read ${kind} ${name} in namespace ${namespace}: ${commandError(command, result)} (check --namespace, --release or --fullname)`);
      try {
        return JSON.parse(result.stdout) as T;
      } catch {
        throw refuse(`kubectl get ${kind}/${name} did not answer with JSON; is kubectl pointed at a Kubernetes API server?`);
      }
    },
    async run(command) {
      const result = await runProcess(command);
      if (result.exitCode !== 0) throw fail(commandError(command, result));
      return result.stdout;
    },
  };
}
