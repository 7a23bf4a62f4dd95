// The API a registry playbook talks to: Harbor's own (--harbor-url; 1.x or 2.x, told apart by
// which ping answers) or the registry API (--registry-url). Unreachable or not Harbor: refused.
import { refuse } from '../errors.ts';
import { harborApi, type HarborApi, type HarborApiValues } from './harbor-api.ts';
import { harborMajor, ping } from './harbor-ping.ts';
import { httpUrl, registryClient, type RegistryClient, type RegistryValues } from './registry-api.ts';

export type ApiSource = { kind: 'harbor'; api: HarborApi; major: 1 | 2 } | { kind: 'registry'; client: RegistryClient };

export async function openApiSource(values: HarborApiValues & RegistryValues): Promise<ApiSource> {
  if (typeof values['harbor-url'] === 'string') {
    const url = httpUrl(values['harbor-url'], '--harbor-url');
    const origin = url.origin + url.pathname.replace(/\/+$/, '');
    const major = await harborMajor(origin);
    if (!major) {
      const answer = await ping(origin, 1);
      throw refuse(`no Harbor answers /api/ping or /api/v2.0/ping at ${origin} (${'error' in answer ? answer.error : `HTTP ${answer.status}`})`);
    }
    return { kind: 'harbor', api: (await harborApi(values, major))!, major };
  }
  const client = await registryClient(values);
  if (!client) throw refuse('give --harbor-url or --registry-url');
  await client.check();
  return { kind: 'registry', client };
}

export type RegistryUrlKind = { kind: 'harbor'; major: 1 | 2 } | { kind: 'harbor-registry'; major: 1 | 2 } | { kind: 'registry' };

/**
 * What answers at --registry-url: Harbor itself (its ping answers), Harbor's own registry
 * reached directly (the auth Harbor configures for it names Harbor: 1.x token auth with
 * service "harbor-registry", 2.x htpasswd with realm "harbor-registry-basic-realm"; see
 * make/photon/prepare/templates/registry/config.yml.jinja at v1.10.0 and v2.0.0), or a
 * registry that says nothing about Harbor.
 */
export async function registryUrlKind(client: RegistryClient): Promise<RegistryUrlKind> {
  const major = await harborMajor(new URL(client.baseUrl).origin);
  if (major) return { kind: 'harbor', major };
  const asked = await client.anonymousChallenge();
  if (/^basic\s.*realm="harbor-registry-basic-realm"/i.test(asked)) return { kind: 'harbor-registry', major: 2 };
  if (/^bearer\s.*service="harbor-registry"/i.test(asked)) return { kind: 'harbor-registry', major: 1 };
  return { kind: 'registry' };
}
