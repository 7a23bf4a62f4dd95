// An environment variable of a container in a Deployment, as Kubernetes gives it to the
// container: an `env` entry (a value, or a Secret or ConfigMap key) wins over `envFrom`, and a
// later `envFrom` source over an earlier one (with its prefix). Secret values are decoded here
// for the caller and never printed; `from` says where a value came from, without the value.
import { PlaybookError, refuse } from '../../src/playbook/errors.ts';
import type { Kube } from '../../src/playbook/platform/kube.ts';

interface KeyRef {
  name: string;
  key: string;
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: KeyRef; configMapKeyRef?: KeyRef };
}
interface EnvSource {
  prefix?: string;
  secretRef?: { name: string };
  configMapRef?: { name: string };
}
interface Container {
  name: string;
  env?: EnvVar[];
  envFrom?: EnvSource[];
  livenessProbe?: { initialDelaySeconds?: number; periodSeconds?: number; failureThreshold?: number };
}
/** A Deployment as `kubectl get -o json` shows it: its containers' environment and liveness probe. */
export interface Deployment {
  name: string;
  containers: Container[];
}

/**
 * The first of `names` that exists as a Deployment in the namespace (the chart's fullname rules
 * give a release more than one possible name); a refusal saying why none could be read.
 */
export async function firstDeployment(kube: Kube, names: readonly string[]): Promise<Deployment> {
  const refusals: string[] = [];
  for (const name of names) {
    try {
      const object = await kube.getJson<{ spec?: { template?: { spec?: { containers?: Container[] } } } }>('deployment', name);
      return { name, containers: object.spec?.template?.spec?.containers ?? [] };
    } catch (error) {
      if (!(error instanceof PlaybookError)) throw error;
      refusals.push(error.message);
    }
  }
  throw refuse(refusals.join('; '));
}

export interface EnvValue {
  value: string;
  /** "secret <name> (key <key>)", "configmap ...", or "env <NAME> of deployment <name>". */
  from: string;
}

type Kind = 'secret' | 'configmap';

/** Reads each Secret or ConfigMap once; Secret data decoded from base64. */
function objectReader(kube: Kube): (kind: Kind, name: string) => Promise<Record<string, string>> {
  const objects = new Map<string, Promise<Record<string, string>>>();
  const load = async (kind: Kind, name: string) => {
    const { data = {} } = await kube.getJson<{ data?: Record<string, string> }>(kind, name);
    if (kind === 'configmap') return data;
    return Object.fromEntries(Object.entries(data).map(([key, value]) => [key, Buffer.from(value, 'base64').toString('utf8')]));
  };
  return (kind, name) => {
    const key = `${kind}/${name}`;
    const known = objects.get(key) ?? load(kind, name);
    objects.set(key, known);
    return known;
  };
}

/** A resolver for the environment of `container` in `deployment`; undefined for a variable it does not get. */
export function containerEnvironment(kube: Kube, deployment: Deployment, container: string): (name: string) => Promise<EnvValue | undefined> {
  const spec = deployment.containers.find((candidate) => candidate.name === container);
  const read = objectReader(kube);
  const fromRef = async (kind: Kind, ref: KeyRef): Promise<EnvValue | undefined> => {
    const value = (await read(kind, ref.name))[ref.key];
    return value === undefined ? undefined : { value, from: `${kind} ${ref.name} (key ${ref.key})` };
  };
  const fromEntry = (entry: EnvVar): Promise<EnvValue | undefined> | EnvValue | undefined => {
    if (entry.value !== undefined) return { value: entry.value, from: `env ${entry.name} of deployment ${deployment.name}` };
    const { secretKeyRef, configMapKeyRef } = entry.valueFrom ?? {};
    if (secretKeyRef) return fromRef('secret', secretKeyRef);
    return configMapKeyRef ? fromRef('configmap', configMapKeyRef) : undefined;
  };
  const fromSources = async (name: string): Promise<EnvValue | undefined> => {
    for (const source of [...(spec?.envFrom ?? [])].reverse()) {
      const prefix = source.prefix ?? '';
      const ref = source.secretRef ?? source.configMapRef;
      if (!ref || !name.startsWith(prefix)) continue;
      const found = await fromRef(source.secretRef ? 'secret' : 'configmap', { name: ref.name, key: name.slice(prefix.length) });
      if (found) return found;
    }
    return undefined;
  };
  return async (name) => {
    const entry = spec?.env?.findLast((candidate) => candidate.name === name);
    return entry ? fromEntry(entry) : fromSources(name);
  };
}
