// diagnose-db-connections against its own real PostgreSQL 15 with a small limit
// (max_connections 12, 3 reserved for superusers) and a Harbor 2.15.2 schema: real client
// sessions named like Harbor's processes fill it until PostgreSQL refuses with its own
// "sorry, too many clients already", which must be the text the page's signature matches.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT, runCli } from '../test/support/cli.ts';
import { createHarborDb, type HarborDb } from '../test/support/harbor-db.ts';
import { startPostgres, type PostgresServer } from '../test/support/postgres.ts';
import { createDatabaseShim } from '../test/support/shim.ts';

const MAX_CONNECTIONS = 12;
const RESERVED = 3;
const HARBOR_PASSWORD = 'harbor-role-secret';

let server: PostgresServer;
let db: HarborDb;
let dir: string;
const sessions: pg.Client[] = [];

beforeAll(async () => {
  server = await startPostgres({ max_connections: String(MAX_CONNECTIONS), superuser_reserved_connections: String(RESERVED) });
  dir = mkdtempSync(join(tmpdir(), 'hkb-conns-'));
  db = await createHarborDb('2.15.2', { postgres: server });
  // Harbor on an external database: its own role, without SUPERUSER.
  await db.exec(`CREATE ROLE harbor LOGIN PASSWORD '${HARBOR_PASSWORD}'`);
});

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.end().catch(() => {})));
});

afterAll(async () => {
  await db?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A session as a Harbor process would hold it; resolves to the server's refusal when there is no slot. */
async function connect(application: string, superuser: boolean): Promise<Error | undefined> {
  const session = new pg.Client({
    host: server.host,
    port: server.port,
    database: db.name,
    user: superuser ? 'postgres' : 'harbor',
    password: superuser ? server.password : HARBOR_PASSWORD,
    application_name: application,
  });
  session.on('error', () => {});
  try {
    await session.connect();
    sessions.push(session);
    return undefined;
  } catch (error) {
    return error as Error;
  }
}

/** Opens sessions until the server refuses one, and returns how many it accepted and its error. */
async function fill(application: string, superuser: boolean): Promise<{ opened: number; refusal: Error }> {
  for (let opened = 0; opened <= MAX_CONNECTIONS; opened++) {
    const refusal = await connect(application, superuser);
    if (refusal) return { opened, refusal };
  }
  throw new Error(`the server accepted more than ${MAX_CONNECTIONS} sessions`);
}

const diagnose = (...args: string[]) => runCli(['run', 'diagnose-db-connections', '--db-url', db.url, '--backup-dir', dir, '--json', ...args]);

function findingsOf(stdout: string): { level: string; message: string }[] {
  const result = JSON.parse(stdout);
  expect(result).toMatchObject({ playbook: 'diagnose-db-connections', exitCode: 0, changes: [] });
  return result.findings;
}

const problems = (findings: { level: string; message: string }[]) => findings.filter((finding) => finding.level === 'problem');

/** The page's own signatures for this failure, as the doctor reads them. */
function pageSignatures(): RegExp[] {
  const text = readFileSync(join(REPO_ROOT, 'content/issues/en/postgres-too-many-clients.mdx'), 'utf8');
  const front = parse(text.split('---')[1] ?? '') as { signatures: { pattern: string }[] };
  return front.signatures.map((signature) => new RegExp(signature.pattern));
}

describe('healthy server', () => {
  it('nothing is flagged: usage well below the limit and pools that fit', async () => {
    for (let i = 0; i < 2; i++) expect(await connect('harbor-core', false)).toBeUndefined();
    const result = await diagnose('--max-open-conns', '3', '--pools', '2');
    expect(result.code, result.stderr).toBe(0);
    const findings = findingsOf(result.stdout);
    expect(problems(findings)).toEqual([]);
    expect(findings.filter((finding) => finding.level === 'warn')).toEqual([]);
    expect(findings[0]!.message).toMatch(new RegExp(`^4 of max_connections ${MAX_CONNECTIONS} in use`));
    expect(findings.map((finding) => finding.message).join('\n')).toContain('harbor-core (user harbor, from 127.0.0.1, database');
  });
});

it('compose target: the same reading through psql in harbor-db (shim)', async () => {
  for (let i = 0; i < 3; i++) expect(await connect('harbor-core', false)).toBeUndefined();
  const shim = createDatabaseShim({ engine: 'postgresql', host: server.host, port: server.port, password: server.password });
  try {
    const result = await runCli(['run', 'diagnose-db-connections', '--target', 'compose', '--db-name', db.name, '--backup-dir', dir, '--json'], {
      env: { PATH: shim.path },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(shim.calls().map((call) => call.join(' '))).toContain(`docker exec -i harbor-db psql -U postgres -d ${db.name} -X -A -t -v ON_ERROR_STOP=1 -q`);
    const messages = findingsOf(result.stdout).map((finding) => finding.message);
    expect(messages).toContainEqual(expect.stringMatching(/^max_connections is 12: harbor-db images set 1024 only from 2\.1\.0/));
    expect(messages).toContainEqual(expect.stringMatching(/^harbor-core \(user harbor, from 127\.0\.0\.1, database \S+\): 3 connections \(3 idle\)$/));
  } finally {
    shim.cleanup();
  }
});

describe('exhausted server', () => {
  it('roles without SUPERUSER are refused first; the diagnosis still gets in through a reserved slot and names the holder', async () => {
    const { opened, refusal } = await fill('harbor-core', false);
    // The test's own handle holds one slot; the rest of max_connections − reserved went to harbor-core.
    expect(opened).toBe(MAX_CONNECTIONS - RESERVED - 1);
    expect(refusal.message).toBe('remaining connection slots are reserved for non-replication superuser connections');

    const result = await diagnose('--max-open-conns', '900', '--pools', '2');
    expect(result.code, result.stderr).toBe(0);
    const messages = problems(findingsOf(result.stdout)).map((finding) => finding.message);
    expect(messages[0]).toMatch(/^10 of max_connections 12 in use, this session included \(3 reserved for superusers, so 9 for other roles\)/);
    expect(messages[0]).toContain('see /issues/postgres-too-many-clients/#1-see-who-holds-the-connections');
    expect(messages[1]).toMatch(/^harbor-core holds the most: harbor-core \(user harbor, from 127\.0\.0\.1, database \S+\): 8 connections \(8 idle\)/);
    expect(messages[2]).toBe(
      '2 pools × database.maxOpenConns (chart) or max_open_conns (harbor.yml) 900 = 1800 connections at peak, more than the 9 max_connections leaves for them; lower database.maxOpenConns (chart) or max_open_conns (harbor.yml) to at most 4 (2 pools × 4 fits 9 with room for admin sessions), or raise max_connections (harbor-db: POSTGRES_MAX_CONNECTIONS): see /issues/postgres-too-many-clients/#3-lower-the-pools-or-raise-the-server-limit',
    );
  });

  it('when every slot is taken PostgreSQL answers "sorry, too many clients already" (the page signature); the run says how to get a slot, and with one names the superuser sessions', async () => {
    await fill('harbor-core', false);
    const { opened, refusal } = await fill('harbor-jobservice', true);
    expect(opened).toBe(RESERVED);
    expect(refusal.message).toBe('sorry, too many clients already');
    expect(pageSignatures().some((signature) => signature.test(`FATAL:  ${refusal.message}`))).toBe(true);

    const locked = await diagnose();
    expect(locked.code).toBe(2);
    expect(JSON.parse(locked.stdout).error).toContain(
      'the database has no connection slot left: connect as a superuser while Harbor uses a role without SUPERUSER',
    );

    await sessions.pop()?.end();
    const result = await diagnose();
    expect(result.code, result.stderr).toBe(0);
    const findings = findingsOf(result.stdout);
    expect(problems(findings)[0]!.message).toMatch(/^12 of max_connections 12 in use.*the server is refusing new connections/);
    expect(findings.map((finding) => finding.message)).toContainEqual(
      expect.stringMatching(/^harbor-jobservice connect as a superuser \(postgres\): they can take the 3 reserved slots too/),
    );
  });
});

describe('pool settings from harbor.yml', () => {
  const yml = (text: string) => {
    const file = join(dir, `harbor-${Math.random().toString(36).slice(2)}.yml`);
    writeFileSync(file, text);
    return file;
  };

  it('a harbor.yml without max_open_conns (0 after prepare: no limit) is flagged with the setting to change', async () => {
    const result = await diagnose('--harbor-yml', yml('hostname: harbor.example.com\ndatabase:\n  password: root123\n  max_idle_conns: 50\n'));
    expect(result.code, result.stderr).toBe(0);
    expect(problems(findingsOf(result.stdout)).map((finding) => finding.message)).toEqual([
      expect.stringMatching(
        /^database\.max_open_conns in harbor\.yml is not set, which prepare turns into 0: no limit, so 2 pools can grow past max_connections 12; set database\.max_open_conns in harbor\.yml to at most 4 /,
      ),
    ]);
    expect(result.stdout).not.toContain('root123');
  });

  it.each([['4'], ['"4"']])(
    'external_database.harbor settings that fit are not flagged (max_open_conns: %s; prepare writes a quoted number as the same text)',
    async (value) => {
      const result = await diagnose('--harbor-yml', yml(`external_database:\n  harbor:\n    host: db\n    max_idle_conns: 2\n    max_open_conns: ${value}\n`));
      expect(result.code, result.stderr).toBe(0);
      const findings = findingsOf(result.stdout);
      expect(problems(findings)).toEqual([]);
      expect(findings.map((finding) => finding.message)).toContainEqual(
        '2 pools × max_open_conns 4 = 8, within the 9 the server allows: see /issues/postgres-too-many-clients/#2-compute-the-budget',
      );
    },
  );

  it('--harbor-yml with --max-open-conns is refused (exit 2): one of the two limits would be ignored', async () => {
    const result = await diagnose('--harbor-yml', yml('database:\n  password: root123\n  max_open_conns: 100\n'), '--max-open-conns', '5');
    expect(result.code, result.stderr).toBe(2);
    expect(JSON.parse(result.stdout).error).toMatch(/give only one of --harbor-yml or --max-open-conns/);
  });

  it('an unreadable harbor.yml is refused (exit 2)', async () => {
    const result = await diagnose('--harbor-yml', yml('database: [unclosed\n'));
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout).error).toMatch(/cannot be read as YAML/);
  });
});
