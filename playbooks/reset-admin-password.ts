// Sets a lost admin password in harbor_user (content/issues/en/admin-password-lost-or-not-applied.mdx):
// harbor_admin_password applies only on core's first start, so once it is lost the row is the
// only place to change it. The hash is the one core itself checks (src/common/utils/encrypt.go
// and the user DAO at each tag): PBKDF2, 4096 iterations, 16 bytes as hex, over a salt of 32
// characters [a-z0-9]; HMAC-SHA1 before 0011_1.9.1 added password_version, HMAC-SHA256
// (password_version 'sha256') from then on. 2.15.2 writes 'pbkdf2_sha256' (600000 iterations)
// for new passwords but still verifies 'sha256', which 2.15.0 and 2.15.1 (same schema) can
// read too, so 'sha256' is what this writes on every release with the column.
import { pbkdf2Sync, randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { definePlaybook } from '../src/playbook/define.ts';
import { fail, incomplete, refuse } from '../src/playbook/errors.ts';
import { exactlyOne, path, text, url } from '../src/playbook/flags.ts';
import { apiBasePath } from '../src/playbook/http/harbor-api.ts';
import { fetchFailure } from '../src/playbook/http/harbor-ping.ts';
import { httpUrl } from '../src/playbook/http/registry-api.ts';
import { backupRows } from '../src/playbook/run/backup.ts';
import { promptSecret, registerSecret } from '../src/playbook/secrets.ts';
import { requireKnownClean, type HarborDetection } from '../src/playbook/sql/harbor-version.ts';
import { sql, type Database, type Row } from '../src/playbook/sql/sql.ts';
import type { PlanFinding, RunContext } from '../src/playbook/types.ts';
import { writeRestoreScript } from './shared/restore-script.ts';

const PAGE = '/issues/admin-password-lost-or-not-applied/';

/** password_version values core reads; a row without the column (before 1.9.1) is sha1. */
type Scheme = 'sha1' | 'sha256' | 'pbkdf2_sha256';
const ITERATIONS: Record<Scheme, number> = { sha1: 4096, sha256: 4096, pbkdf2_sha256: 600_000 };

/** utils.Encrypt: PBKDF2 over the salt's text, 16 bytes, hex. */
function harborPasswordHash(password: string, salt: string, scheme: Scheme): string {
  return pbkdf2Sync(password, salt, ITERATIONS[scheme], 16, scheme === 'sha1' ? 'sha1' : 'sha256').toString('hex');
}

/** utils.GenerateRandomString: 32 characters of [a-z0-9]. */
function harborSalt(): string {
  const chars = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from({ length: 32 }, () => chars[randomInt(chars.length)]).join('');
}

/** Harbor's own rule for a password set through its API (validateSecret in src/core/api/user.go, 1.x; handler/user.go, 2.x). */
function passwordProblem(password: string, major: number): string | undefined {
  const max = major >= 2 ? 128 : Number.POSITIVE_INFINITY;
  if (password.length >= 8 && password.length <= max && /[a-z]/.test(password) && /[A-Z]/.test(password) && /[0-9]/.test(password)) return undefined;
  return `the new password does not meet Harbor's own rule (at least 8${major >= 2 ? ' and at most 128' : ''} characters with an uppercase letter, a lowercase letter and a digit), so Harbor would not accept it through its UI or API either`;
}

const FLAGS = {
  'password-file': path({
    help: 'A file holding the new password (one line; a trailing newline is dropped), or - for stdin (a prompt on a terminal).',
    example: '-',
  }),
  'password-env': text({
    pattern: /[A-Za-z_][A-Za-z0-9_]*/,
    patternHelp: 'an environment variable name',
    help: 'The name of an environment variable holding the new password.',
    example: 'NEW_ADMIN_PASSWORD',
  }),
  username: text({
    pattern: /[^\s]{1,255}/,
    patternHelp: 'a Harbor user name',
    help: 'Reset this local user instead of the admin (user_id 1). Refused when that user logs in through LDAP, UAA, OIDC or an HTTP authproxy.',
  }),
  'harbor-url': url({
    help: "Harbor's URL: after the change the run logs in there with the new password (GET /api/users/current, 2.x /api/v2.0/users/current). Without it the login is not checked and the run ends with exit 3.",
    example: 'https://harbor.example.com',
  }),
};
type Context = RunContext<typeof FLAGS, 'database'>;

const harborMajor = (harbor: HarborDetection) => ((harbor.schemaVersion ?? 0) >= 30 ? 2 : 1);

async function readNewPassword(values: Context['values']): Promise<string> {
  let raw: string | undefined;
  const file = values['password-file'];
  const variable = values['password-env'];
  if (variable !== undefined) {
    raw = process.env[variable];
    if (raw === undefined) throw refuse(`--password-env ${variable}: that environment variable is not set`);
  } else if (file === '-' && process.stdin.isTTY) {
    raw = await promptSecret('New password: ');
    if (raw !== undefined && raw !== (await promptSecret('Again: '))) throw refuse('the two passwords typed differ');
  } else if (file !== undefined) {
    try {
      raw = readFileSync(file === '-' ? 0 : file, 'utf8');
    } catch (error) {
      throw refuse(`cannot read the new password from ${file === '-' ? 'stdin' : file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  }
  const password = raw?.replace(/\r?\n$/, '');
  if (!password) throw refuse('no new password given: use --password-file <file>, --password-file - (stdin) or --password-env <NAME>');
  if (/[\r\n]/.test(password)) throw refuse('the new password holds a line break: give exactly one line');
  registerSecret(password);
  return password;
}

interface UserRow {
  userId: number;
  username: string;
  /** As stored: 0001_initial_schema leaves the admin's salt NULL until core's first start, so the guard and the restore must keep NULL apart from ''. */
  password: string | null;
  salt: string | null;
  version: Scheme;
  /** password_version as stored (null or absent before 1.9.1), for the guard and the restore. */
  storedVersion: string | null;
}

async function hasPasswordVersion(db: Database): Promise<boolean> {
  const rows = await db.query(
    sql`SELECT 1 AS present FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'harbor_user' AND column_name = 'password_version'`,
  );
  return rows.length > 0;
}

function userQuery(username: string | undefined, withVersion: boolean) {
  const columns = sql.raw(`user_id, username, password, salt${withVersion ? ', password_version' : ''}`);
  return username === undefined
    ? sql`SELECT ${columns} FROM harbor_user WHERE user_id = 1`
    : sql`SELECT ${columns} FROM harbor_user WHERE username = ${username} AND deleted = false`;
}

function toUser(row: Row, withVersion: boolean): UserRow {
  const storedVersion = withVersion && row.password_version !== null && row.password_version !== undefined ? String(row.password_version) : null;
  const version = withVersion ? storedVersion : 'sha1';
  if (version !== 'sha1' && version !== 'sha256' && version !== 'pbkdf2_sha256')
    throw refuse(`the user's password_version is ${JSON.stringify(version)}, which no Harbor release writes`);
  return {
    userId: Number(row.user_id),
    username: String(row.username),
    password: row.password === null || row.password === undefined ? null : String(row.password),
    salt: row.salt === null || row.salt === undefined ? null : String(row.salt),
    version,
    storedVersion,
  };
}

/** The route the login check uses: GET /api/users/current (2.x /api/v2.0/users/current). */
const currentUserUrl = (base: URL, major: number) => `${base.origin}${base.pathname.replace(/\/+$/, '')}${apiBasePath(major)}/users/current`;

/**
 * Before anything changes: the login check's route must answer as Harbor does without credentials,
 * 401 (UserAPI.Prepare at v1.10.18; the 2.x swagger), so a URL that is unreachable or is not
 * Harbor's API is refused in the plan instead of being found after the new hash is written.
 */
async function requireHarborAnswers(base: URL, major: number): Promise<void> {
  const target = currentUserUrl(base, major);
  let status: number;
  try {
    const response = await fetch(target, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(15_000) });
    await response.body?.cancel();
    status = response.status;
  } catch (error) {
    throw refuse(`cannot reach Harbor at --harbor-url (GET ${target}: ${fetchFailure(error)}); nothing changed`);
  }
  if (status !== 401)
    throw refuse(
      `GET ${target} without credentials answered HTTP ${status}, where Harbor's API answers 401: check that --harbor-url is Harbor's address; nothing changed`,
    );
}

/** Logs in with the new password; core refuses any login for 1.5 s after a failed one (src/core/auth/authenticator.go), so a 401 is tried once more after 2 s. */
async function loginWorks(base: URL, major: number, username: string, password: string): Promise<{ ok: boolean; answer: string }> {
  const target = currentUserUrl(base, major);
  const authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  let answer = '';
  for (const pause of [0, 2000]) {
    await new Promise((resolve) => setTimeout(resolve, pause));
    try {
      const response = await fetch(target, { headers: { authorization, accept: 'application/json' }, signal: AbortSignal.timeout(15_000) });
      const body = await response.text();
      answer = `HTTP ${response.status}`;
      if (response.status === 200) {
        const name = (JSON.parse(body) as { username?: string }).username;
        return { ok: name === username, answer: `${answer} as ${name}` };
      }
      if (response.status !== 401) break;
    } catch (error) {
      answer = fetchFailure(error);
      break;
    }
  }
  return { ok: false, answer: `${answer} from ${target}` };
}

export const resetAdminPassword = definePlaybook({
  name: 'reset-admin-password',
  title: "Reset Harbor's admin password in the database",
  summary:
    "Writes a new password for the admin (user_id 1) or --username into harbor_user, hashed as the detected release's core checks it (PBKDF2-SHA1 before 1.9.1, PBKDF2-SHA256 with password_version sha256 after). The new password comes from a file, stdin or an environment variable, never from the command line. The row is saved first (restore script), changed only if it still holds the hash the plan read, and the change is checked by logging in through Harbor's API (--harbor-url).",
  remediates: ['admin-password-lost-or-not-applied'],
  flags: FLAGS,
  groups: [exactlyOne('new password', 'password-file', 'password-env')],
  targets: ['compose', 'k8s', 'direct'],
  mutates: true,
  requires: ['database'],
  async plan(context) {
    const { db, harbor, values } = context;
    if (harbor.engine === 'mariadb')
      throw refuse('Harbor 1.5 and older (MariaDB) keep users in the `user` table; this playbook handles Harbor 1.6 and later (PostgreSQL)');
    requireKnownClean(harbor);
    const major = harborMajor(harbor);
    const harborUrl = values['harbor-url'] === undefined ? undefined : httpUrl(values['harbor-url'], '--harbor-url');
    const password = await readNewPassword(values);
    const problem = passwordProblem(password, major);
    if (problem) throw refuse(problem);
    if (harborUrl) await requireHarborAnswers(harborUrl, major);
    const withVersion = await hasPasswordVersion(db);
    const rows = await db.query(userQuery(values.username, withVersion));
    const [row] = rows;
    if (!row || rows.length !== 1)
      throw refuse(values.username === undefined ? 'harbor_user has no row with user_id 1 (the admin)' : `no local user named ${values.username}`);
    const user = toUser(row, withVersion);
    const authMode = String((await db.query(sql`SELECT v FROM properties WHERE k = 'auth_mode'`))[0]?.v ?? 'db_auth');
    const findings: PlanFinding[] = [];
    if (authMode !== 'db_auth') {
      // Login() sends the superuser to the database whatever auth_mode says (src/core/auth/authenticator.go).
      if (user.userId !== 1)
        throw refuse(`auth_mode is ${authMode}: ${user.username} logs in through that service, which never reads harbor_user's password. Reset it there.`);
      findings.push({ level: 'info', message: `auth_mode is ${authMode}, but the admin (user_id 1) always logs in against the database.` });
    }
    const scheme: Scheme = withVersion ? 'sha256' : 'sha1';
    if (user.salt && user.password === harborPasswordHash(password, user.salt, user.version)) {
      findings.push({ level: 'info', message: `${user.username} (user_id ${user.userId}) already has this password: nothing to do.` });
      return { findings, steps: [], facts: { userId: user.userId, scheme: user.version } };
    }
    if (!user.salt)
      findings.push({
        level: 'warn',
        message: `${user.username} has no salt yet: core would set HARBOR_ADMIN_PASSWORD at its next start (first-start rule). This writes the new password instead.`,
      });
    findings.push({
      level: 'problem',
      message: `${user.username} (user_id ${user.userId}) does not have the given password; it will get it as PBKDF2-HMAC-${scheme.toUpperCase()}, 4096 iterations${withVersion ? ", password_version 'sha256'" : ' (no password_version column before 1.9.1)'}. See ${PAGE}#fix`,
    });
    const salt = harborSalt();
    const hash = harborPasswordHash(password, salt, scheme);
    const versionSet = withVersion ? sql`, password_version = ${scheme}` : sql``;
    const versionWas = withVersion ? sql` AND password_version IS NOT DISTINCT FROM ${user.storedVersion}` : sql``;
    // The row must still hold what the plan read: the condition is the confirmation, checked by the UPDATE itself.
    const update = sql`UPDATE harbor_user SET password = ${hash}, salt = ${salt}${versionSet} WHERE user_id = ${user.userId} AND password IS NOT DISTINCT FROM ${user.password} AND salt IS NOT DISTINCT FROM ${user.salt}${versionWas}`;
    const previousVersion = withVersion ? sql`, password_version = ${user.storedVersion}` : sql``;
    const restore = sql`UPDATE harbor_user SET password = ${user.password}, salt = ${user.salt}${previousVersion} WHERE user_id = ${user.userId}`;
    const reread = async () => toUser((await db.query(userQuery(values.username, withVersion)))[0] ?? {}, withVersion);
    return {
      findings,
      facts: { userId: user.userId, scheme, authMode },
      steps: [
        {
          description: `set the password of ${user.username} (user_id ${user.userId}) in harbor_user, if the row still holds the hash read now (one transaction)`,
          preview: [
            `UPDATE harbor_user SET password = '<new hash>', salt = '<new salt>'${withVersion ? `, password_version = '${scheme}'` : ''} WHERE user_id = ${user.userId} AND password IS NOT DISTINCT FROM '<current hash>' AND salt IS NOT DISTINCT FROM '<current salt>';`,
          ],
          expected: 1,
          async backup() {
            const row = await backupRows(db, context.backupPath('harbor_user', 'json'), { harbor_user: userQuery(values.username, withVersion) });
            return writeRestoreScript(
              context.target,
              context.backupPath('harbor_user-restore', 'sql'),
              [restore],
              `the old hash and salt of ${user.username}, as a script that puts them back; the whole row is in ${row.path}`,
            );
          },
          async execute() {
            const [changed] = await db.transaction([update]);
            if (changed !== 1)
              throw refuse(
                `${user.username}'s password, salt or password_version changed since the plan read it (someone set a password meanwhile); nothing changed. Rerun to plan again.`,
              );
            return { changed: 1, detail: `new ${scheme} hash written for ${user.username}` };
          },
          async verify() {
            const now = await reread();
            if (now.version !== scheme || now.salt === null || now.password !== harborPasswordHash(password, now.salt, scheme))
              throw fail(`harbor_user no longer holds the new hash of ${user.username} (changed by someone else right after)`);
            if (!harborUrl)
              throw incomplete(
                `the row holds the new ${scheme} hash (re-read), but the login was not checked: pass --harbor-url to log in through Harbor's API, or log in yourself`,
                [],
              );
            const login = await loginWorks(harborUrl, major, user.username, password);
            if (!login.ok) throw fail(`logging in as ${user.username} with the new password failed (${login.answer})`);
            return `logged in as ${user.username} with the new password (${login.answer})`;
          },
        },
      ],
    };
  },
});
