// The shim's fake compose host and cluster answer as docker and kubectl do, in the texts and
// exit codes the playbooks read: the CLI names only the containers that failed, the API server
// names a resource with its group, and a stale resourceVersion is a Conflict.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeLoopbackPort } from './net.ts';
import { createShim, putClusterObject, type ComposeState, type Shim } from './shim.ts';

let dir: string;
let shim: Shim;
let state: string;
let cluster: string;

/** The tool through the shim: its exit code, stdout and stderr. */
function tool(argv: string[], input?: string): { code: number; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync(argv[0]!, argv.slice(1), { env: { ...process.env, PATH: shim.path }, encoding: 'utf8', stdio: 'pipe', input });
    return { code: 0, stdout, stderr: '' };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { code: failed.status, stdout: failed.stdout, stderr: failed.stderr };
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hkb-shim-test-'));
  state = join(dir, 'compose.json');
  const refused = `tcp://127.0.0.1:${await freeLoopbackPort()}`;
  writeFileSync(
    state,
    JSON.stringify({
      containers: {
        redis: { image: 'goharbor/redis-photon:v2.10.0', status: 'exited' },
        'harbor-core': { image: 'goharbor/harbor-core:v2.10.0', status: 'created', syslogAddress: refused },
        nginx: { image: 'goharbor/nginx-photon:v2.10.0', status: 'restarting', syslogAddress: refused },
      },
    } satisfies ComposeState),
  );
  cluster = mkdtempSync(join(dir, 'cluster-'));
  putClusterObject(cluster, 'harbor', 'secrets', { metadata: { name: 'hk-harbor-core' } });
  shim = createShim({ compose: state, cluster });
});
afterAll(() => {
  shim.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('the shim as docker on a compose host', () => {
  it('docker start names each daemon error, then only the containers that failed', () => {
    const result = tool(['docker', 'start', 'redis', 'harbor-core']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('redis\n');
    expect(result.stderr).toMatch(
      /^Error response from daemon: failed to create task for container: failed to initialize logging driver: dial tcp 127\.0\.0\.1:\d+: connect: connection refused\n/,
    );
    expect(result.stderr).toMatch(/\nError: failed to start containers: harbor-core\n$/);
    const containers = (JSON.parse(readFileSync(state, 'utf8')) as ComposeState).containers;
    expect([containers.redis!.status, containers['harbor-core']!.status]).toEqual(['running', 'created']);
    const [core] = JSON.parse(tool(['docker', 'inspect', '--type', 'container', 'harbor-core']).stdout) as { State: { ExitCode: number; Error: string } }[];
    expect(core!.State).toMatchObject({
      ExitCode: 128,
      Error: expect.stringMatching(/^failed to create task for container: failed to initialize logging driver/),
    });
  });

  it('docker start of a running container names it and succeeds; docker restart says it cannot restart the one that fails', () => {
    expect(tool(['docker', 'start', 'redis'])).toEqual({ code: 0, stdout: 'redis\n', stderr: '' });
    const restart = tool(['docker', 'restart', 'nginx']);
    expect(restart.code).toBe(1);
    expect(restart.stderr).toMatch(
      /^Error response from daemon: Cannot restart container nginx: failed to create task for container: failed to initialize logging driver: /,
    );
  });
  it('docker inspect prints what it found and names the missing as a container when asked for containers', () => {
    for (const [type, kind] of [
      [['--type', 'container'], 'container'],
      [[], 'object'],
    ] as const) {
      const result = tool(['docker', 'inspect', ...type, 'redis', 'harbor-gone']);
      expect(result.code).toBe(1);
      expect((JSON.parse(result.stdout) as { Name: string }[]).map((entry) => entry.Name)).toEqual(['/redis']);
      expect(result.stderr).toBe(`Error: No such ${kind}: harbor-gone\n`);
    }
  });
});

describe('the shim as kubectl on a cluster', () => {
  it('names a missing resource with its API group, as the API server does', () => {
    expect(tool(['kubectl', '-n', 'harbor', 'rollout', 'restart', 'deployment/hk-harbor-core']).stderr).toBe(
      'Error from server (NotFound): deployments.apps "hk-harbor-core" not found\n',
    );
    expect(tool(['kubectl', '-n', 'harbor', 'get', 'secret', 'nope', '-o', 'json']).stderr).toBe('Error from server (NotFound): secrets "nope" not found\n');
  });

  it('refuses a replace at a stale resourceVersion with the Conflict kubectl prints', () => {
    const stale = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'hk-harbor-core', resourceVersion: '0' }, data: {} });
    const result = tool(['kubectl', '-n', 'harbor', 'replace', '-f', '-'], stale);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'Error from server (Conflict): error when replacing "STDIN": Operation cannot be fulfilled on secrets "hk-harbor-core": the object has been modified; please apply your changes to the latest version and try again\n',
    );
  });
});
