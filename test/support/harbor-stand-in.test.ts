// The Harbor stand-in follows Harbor's swagger: every route it serves exists there with the
// status codes it answers, paged lists carry X-Total-Count and Link as declared.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from './cli.ts';
import { ROUTES, startHarborStandIn, UNDOCUMENTED_IN_1X, type HarborStandIn } from './harbor-stand-in.ts';

type Spec = { paths: Record<string, Record<string, { responses: Record<string, { headers?: Record<string, unknown>; $ref?: string }> }>> };
// Only the paths: 1.9's definitions hold a quoted scalar that Go's YAML parser accepts and a
// strict one does not.
const load = (file: string) => {
  const text = readFileSync(`${REPO_ROOT}test/fixtures/harbor-api/${file}`, 'utf8');
  return parse(text.slice(0, text.indexOf('\ndefinitions:'))) as Spec;
};
const specs = { 1: [load('swagger-v1.7.8.yaml'), load('swagger-v1.9.4.yaml')], 2: [load('swagger-v2.15.2.yaml')] };
/** 2.0-2.2: the oldest 2.x routes the stand-in serves must exist there too, unless they came later. */
const early2x = [load('swagger-v2.2.4.yaml')];
const auth = { authorization: 'Basic ' + Buffer.from('admin:stand-in-secret').toString('base64') };

describe('Harbor API stand-in', () => {
  it("serves only routes, statuses and headers that Harbor's swagger declares", () => {
    for (const route of ROUTES) {
      for (const spec of [...specs[route.major], ...(route.major === 2 && !route.since ? early2x : [])]) {
        if (route.major === 1 && UNDOCUMENTED_IN_1X.includes(route.swaggerPath)) continue;
        const operation = spec.paths[route.swaggerPath]?.[route.method.toLowerCase()];
        expect(operation, `${route.major}.x ${route.method} ${route.swaggerPath}`).toBeDefined();
        for (const status of route.statuses)
          expect(Object.keys(operation!.responses), `${route.method} ${route.swaggerPath} ${status}`).toContain(String(status));
        if (route.paged) expect(Object.keys(operation!.responses['200']!.headers ?? {})).toEqual(expect.arrayContaining(['X-Total-Count', 'Link']));
      }
    }
  });

  let v1: HarborStandIn;
  let v2: HarborStandIn;
  beforeAll(async () => {
    const repositories = { 'library/app': Array.from({ length: 25 }, (_, i) => `t${i}`), 'library/big': Array.from({ length: 60 }, (_, i) => `b${i}`) };
    v1 = await startHarborStandIn({ major: 1, repositories, password: 'stand-in-secret', failTagsAbove: 50 });
    v2 = await startHarborStandIn({ major: 2, repositories, password: 'stand-in-secret' });
  });
  afterAll(async () => {
    await v1?.stop();
    await v2?.stop();
  });

  it('pages 2.x lists with X-Total-Count and Link, and answers the 1.x tags route with 500 above its limit', async () => {
    const first = await fetch(`${v2.url}/api/v2.0/projects/library/repositories/app/artifacts?page=1&page_size=10`, { headers: auth });
    expect(first.headers.get('x-total-count')).toBe('25');
    expect(first.headers.get('link')).toBe('</api/v2.0/projects/library/repositories/app/artifacts?page=2&page_size=10>; rel="next"');
    expect(((await first.json()) as unknown[]).length).toBe(10);
    expect((await fetch(`${v2.url}/api/v2.0/projects/library/repositories/app/artifacts`)).status).toBe(401);
    expect(await (await fetch(`${v1.url}/api/ping`)).text()).toBe('Pong');
    expect((await fetch(`${v1.url}/api/repositories/library/big/tags?detail=false`, { headers: auth })).status).toBe(500);
    expect(((await (await fetch(`${v1.url}/api/repositories/library/app/tags?detail=false`, { headers: auth })).json()) as unknown[]).length).toBe(25);
  });
});
