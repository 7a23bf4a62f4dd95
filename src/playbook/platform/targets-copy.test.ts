// Target.copyOut / copyIn on each target: docker cp and kubectl cp through the one shim
// (test/support/shim.ts), which copies on this host as the tools copy out of and into a
// container; direct copies locally. Files and directories, the component's own container or
// pod, and the failures a run must stop on.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createShim, type Shim } from '../../../test/support/shim.ts';
import { EXIT_FAILED, EXIT_REFUSED } from '../errors.ts';
import { resolveTarget, type Target, type TargetKind, type TargetOptions } from './targets.ts';

let work: string;
let shim: Shim;
let path: string | undefined;
/** What a container holds: a config file and a directory with a nested file. */
let inside: { file: string; dir: string };

const labels = (release: string, component: string) => ({ release, app: 'harbor', component });

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'hkb-copy-'));
  inside = { file: join(work, 'app.conf'), dir: join(work, 'certs') };
  writeFileSync(inside.file, 'EXT_ENDPOINT=https://harbor.example.com\n');
  mkdirSync(join(inside.dir, 'ca'), { recursive: true });
  writeFileSync(join(inside.dir, 'ca', 'ca.crt'), 'certificate\n');
  writeFileSync(join(work, 'unused.log'), '');
  shim = createShim({
    containers: ['harbor-core', 'my-registry'],
    pods: [
      { namespace: 'hb', name: 'prod-harbor-core-5f7d9', labels: labels('prod', 'core'), containers: ['core'], log: join(work, 'unused.log') },
      { namespace: 'hb', name: 'harbor-core-6d2c1', labels: labels('harbor', 'core'), containers: ['core'], log: join(work, 'unused.log') },
    ],
  });
  path = process.env.PATH;
  process.env.PATH = shim.path;
});

afterAll(() => {
  process.env.PATH = path;
  shim?.cleanup();
  rmSync(work, { recursive: true, force: true });
});

const target = (kind: TargetKind, options: TargetOptions = {}): Promise<Target> =>
  resolveTarget({ target: kind, ...options }, new Set(Object.keys(options)), [kind], false);
const tree = (dir: string) => readdirSync(dir, { recursive: true }).map(String).sort();
const fresh = (name: string) => join(mkdtempSync(join(work, 'out-')), name);
const lastCall = () => shim.calls().at(-1);

describe.each([
  { kind: 'compose' as const, options: {}, copied: (from: string, to: string) => ['docker', 'cp', from, to], place: 'harbor-core' },
  {
    kind: 'k8s' as const,
    options: { namespace: 'hb', release: 'prod' },
    copied: (from: string, to: string) => ['kubectl', '-n', 'hb', 'cp', '-c', 'core', from, to],
    place: 'prod-harbor-core-5f7d9',
  },
  { kind: 'direct' as const, options: {}, copied: undefined, place: undefined },
])('$kind target', ({ kind, options, copied, place }) => {
  const within = (file: string) => (place ? `${place}:${file}` : file);

  it('copyOut copies a file out of the core container to a new path on this host', async () => {
    const dest = fresh('app.conf');
    await (await target(kind, options)).copyOut('core', inside.file, dest);
    expect(readFileSync(dest, 'utf8')).toBe('EXT_ENDPOINT=https://harbor.example.com\n');
    if (copied) expect(lastCall()).toEqual(copied(within(inside.file), dest));
  });

  it('copyOut copies a whole directory: the new path becomes the copy', async () => {
    const dest = fresh('certs');
    await (await target(kind, options)).copyOut('core', inside.dir, dest);
    expect(tree(dest)).toEqual(['ca', join('ca', 'ca.crt')]);
    expect(readFileSync(join(dest, 'ca', 'ca.crt'), 'utf8')).toBe('certificate\n');
  });

  it('copyIn puts a file from this host into the container, replacing the one there', async () => {
    const src = join(mkdtempSync(join(work, 'in-')), 'app.conf');
    writeFileSync(src, 'EXT_ENDPOINT=https://registry.example.com\n');
    const conf = join(mkdtempSync(join(work, 'conf-')), 'app.conf');
    writeFileSync(conf, 'EXT_ENDPOINT=https://harbor.example.com\n');
    await (await target(kind, options)).copyIn('core', src, conf);
    expect(readFileSync(conf, 'utf8')).toBe('EXT_ENDPOINT=https://registry.example.com\n');
    if (copied) expect(lastCall()).toEqual(copied(src, within(conf)));
  });

  it('copyOut refuses (exit 2) a destination that exists, and copies nothing', async () => {
    const dest = fresh('certs');
    mkdirSync(dest);
    const calls = shim.calls().length;
    await expect((await target(kind, options)).copyOut('core', inside.dir, dest)).rejects.toMatchObject({ exitCode: EXIT_REFUSED });
    expect(tree(dest)).toEqual([]);
    expect(shim.calls().length).toBe(calls);
  });

  it('a path that is not there fails the copy (exit 1) with the reason', async () => {
    const dest = fresh('missing.conf');
    const copy = (await target(kind, options)).copyOut('core', join(work, 'missing.conf'), dest);
    await expect(copy).rejects.toMatchObject({ exitCode: EXIT_FAILED, message: expect.stringMatching(/missing\.conf/) });
    expect(() => readFileSync(dest)).toThrow();
  });
});

describe('where the copy goes', () => {
  it('compose: the component container the options name (--registry-container)', async () => {
    const dest = fresh('config.yml');
    await (await target('compose', { 'registry-container': 'my-registry' })).copyOut('registry', inside.file, dest);
    expect(lastCall()).toEqual(['docker', 'cp', `my-registry:${inside.file}`, dest]);
  });

  it("compose: a container that does not exist fails the copy with docker's message", async () => {
    const copy = (await target('compose')).copyOut('jobservice', inside.file, fresh('x'));
    await expect(copy).rejects.toMatchObject({ exitCode: EXIT_FAILED, message: expect.stringContaining('No such container: harbor-jobservice') });
  });

  it('k8s: a running pod of the component in the release --release names (harbor-helm labels)', async () => {
    for (const [release, pod] of [
      ['prod', 'prod-harbor-core-5f7d9'],
      ['harbor', 'harbor-core-6d2c1'],
    ] as const) {
      const dest = fresh('app.conf');
      await (await target('k8s', { namespace: 'hb', release })).copyOut('core', inside.file, dest);
      expect(shim.calls().slice(-2)).toEqual([
        ['kubectl', '-n', 'hb', 'get', 'pods', '-l', `release=${release},app=harbor,component=core`, '--field-selector=status.phase=Running', '-o', 'name'],
        ['kubectl', '-n', 'hb', 'cp', '-c', 'core', `${pod}:${inside.file}`, dest],
      ]);
    }
  });

  it('k8s: no pod of the component in the release is refused (exit 2) with the labels looked for', async () => {
    const copy = (await target('k8s', { namespace: 'hb', release: 'staging' })).copyIn('core', inside.file, '/etc/core/app.conf');
    await expect(copy).rejects.toMatchObject({
      exitCode: EXIT_REFUSED,
      message: 'no running pod with labels release=staging,app=harbor,component=core in namespace hb; check --namespace and --release',
    });
  });
});
