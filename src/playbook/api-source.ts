// The API a registry playbook talks to: Harbor's own (--harbor-url; 1.x or 2.x, told apart by
// which ping answers) or the registry API (--registry-url). Unreachable or not Harbor: refused.
import { refuse } from './errors.ts';
import { harborApi, type HarborApi } from './harbor-api.ts';
import { harborMajor, ping } from './harbor-ping.ts';
import { httpUrl, registryClient, type RegistryClient } from './registry-client.ts';
import type { ParameterValues } from './types.ts';

export type ApiSource = { kind: 'harbor'; api: HarborApi; major: 1 | 2 } | { kind: 'registry'; client: RegistryClient };

export async function openApiSource(values: ParameterValues): Promise<ApiSource> {
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
