// Passwords come from PGPASSWORD / MYSQL_PWD, a prompt, or (discouraged: `ps` shows it) the
// URL; they are never required on the command line. Output is redacted by structure, where a
// secret can stand: URL userinfo, fields and environment entries with a secret's name, the
// password field of Harbor 1.x's _REDIS_URL, PostgreSQL role verifiers and MariaDB password
// hashes, the literal of a PASSWORD or IDENTIFIED BY clause in SQL that a client or the server
// echo back. Never by replacing a password's
// text wherever it occurs: a password "1" would corrupt every number, "x" would mangle "une***pected".
import { createInterface } from 'node:readline';
import type { Engine } from './sql/sql.ts';

const MASK = '***';

/** A word of a name that makes it a secret's (see isSecretName). */
const SECRET_WORD =
  /^(PASSWORD|PASSWD|PASS|PWD|SECRET|SECRETS|TOKEN|TOKENS|CREDENTIAL|CREDENTIALS|KEY|APIKEY|AUTHORIZATION|COOKIE|SECRETKEY|SESSIONTOKEN|ACCOUNTKEY|ACCESSKEYSECRET)$/;

/**
 * Names whose values are secrets: PASSWORD, PWD, TOKEN, SECRET, CREDENTIAL(S), KEY, ... as a
 * word of an environment variable or a field name (EMAIL_PWD, GITHUB_TOKEN, clientSecret).
 * Addresses and file locations (TOKEN_SERVICE_URL, KEY_PATH) are not secrets themselves;
 * their URL userinfo is still masked as text. The registry's storage drivers name theirs as one
 * word (distribution v2.8 registry/storage/driver: s3 and swift `secretkey`, s3 `sessiontoken`,
 * azure `accountkey`, oss `accesskeysecret`; REGISTRY_STORAGE_S3_SECRETKEY in the environment).
 */
export function isSecretName(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);
  const last = words.at(-1);
  if (last && ['URL', 'URI', 'HOST', 'PORT', 'PATH', 'FILE', 'DIR', 'ENDPOINT', 'TYPE'].includes(last)) return false;
  return words.some((word) => SECRET_WORD.test(word));
}

/** scheme://userinfo@ where userinfo runs to the authority's last @ (an unencoded @ in a password). */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#]*)@/gi;
/** NAME=value as in an environment listing or a shell line. */
const ENV_ENTRY = /(^|[\s"'[,])([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|[^\s"',\]]*)/g;
/** "name": "value" inside JSON carried as text (an API answer in an error message). */
const JSON_FIELD = /"([^"\\]+)"(\s*:\s*)"(?:[^"\\]|\\.)*"/g;
/** Harbor 1.x core env: _REDIS_URL=host:port,pool_size,password (make/photon/prepare/templates/core/env.jinja). */
const REDIS_POOL_URL = /^([^,\s]+:\d+,\d*,)(.+)$/;
/**
 * PostgreSQL role verifiers as pg_authid stores them (src/common/scram-common.c, md5 in
 * src/backend/libpq/crypt.c). An md5 verifier is enough to log in (the md5 handshake only
 * needs it), so it is a password in its own right; a SCRAM one can be attacked offline.
 * SCRAM is masked from the iteration count on, so a verifier psql cut short is masked too.
 */
const SCRAM_VERIFIER = /\bSCRAM-SHA-256\$[A-Za-z0-9+/=:$]+/g;
const MD5_VERIFIER = /\bmd5[0-9a-f]{32}\b/g;
/**
 * The literal of a password in SQL a client echoes (psql's `LINE 1:` context, MariaDB's "near
 * '…'" of a syntax error, a statement log line), up to its closing quote or, where the client
 * cut the line short, its end: PostgreSQL's `[ENCRYPTED] PASSWORD '…'`, MariaDB's
 * `IDENTIFIED [WITH plugin] BY [PASSWORD] '…'`, `IDENTIFIED … AS '…'` and `PASSWORD('…')`.
 * A `'<placeholder>'`, as previews show, is no secret.
 */
const SQL_PASSWORD_LITERAL =
  /\b((?:PASSWORD|IDENTIFIED\s+(?:(?:WITH|VIA)\s+\w+\s+)?(?:BY|AS)(?:\s+PASSWORD)?)(?:\s+|\s*\(\s*))'(?!<[^'\n>]*>')(?:''|[^'\n])*'?/gi;
/**
 * A MariaDB/MySQL mysql_native_password hash (`*` and 40 hex digits, as mysql.user and SHOW
 * GRANTS print it): not enough to log in, but open to an offline attack, like a SCRAM verifier.
 */
const MYSQL_NATIVE_HASH = /(?<![\w*])\*[0-9A-F]{40}\b/g;

function maskUserinfo(_: string, scheme: string, userinfo: string): string {
  const colon = userinfo.indexOf(':');
  return colon < 0 ? `${scheme}${userinfo}@` : `${scheme}${userinfo.slice(0, colon)}:${MASK}@`;
}

/** An environment entry's value as it may be shown. */
export function redactEnvValue(name: string, value: string): string {
  if (value === '') return value;
  if (isSecretName(name)) return MASK;
  const pooled = /REDIS_URL/i.test(name) ? REDIS_POOL_URL.exec(value) : null;
  if (pooled) return `${pooled[1]}${MASK}`;
  return value.replace(URL_USERINFO, maskUserinfo);
}

/** `NAME=value` as it may be shown. */
export function redactEnvEntry(entry: string): string {
  const equals = entry.indexOf('=');
  if (equals < 0) return redact(entry);
  const name = entry.slice(0, equals);
  return `${name}=${redactEnvValue(name, entry.slice(equals + 1))}`;
}

// Defence in depth for secrets the run holds (a prompted password, a bearer token) that
// reach text some other way: only long ones, and only as a whole word, so they cannot hit
// numbers or ordinary words.
const knownSecrets = new Set<string>();
const MIN_KNOWN_SECRET = 8;

/** Remember a secret the run holds; see knownSecrets. */
export function registerSecret(secret: string | undefined): void {
  if (secret && secret.length >= MIN_KNOWN_SECRET) knownSecrets.add(secret);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Text meant for output with every secret in a known place masked. */
export function redact(text: string): string {
  let result = text
    .replace(URL_USERINFO, maskUserinfo)
    .replace(ENV_ENTRY, (whole, before: string, name: string, value: string) =>
      isSecretName(name) || /REDIS_URL/i.test(name) ? `${before}${name}=${redactEnvValue(name, value.replace(/^["']|["']$/g, ''))}` : whole,
    )
    .replace(JSON_FIELD, (whole, name: string, colon: string) => (isSecretName(name) ? `"${name}"${colon}"${MASK}"` : whole))
    .replace(SQL_PASSWORD_LITERAL, `$1'${MASK}'`)
    .replace(SCRAM_VERIFIER, () => `SCRAM-SHA-256$${MASK}`)
    .replace(MD5_VERIFIER, () => `md5${MASK}`)
    .replace(MYSQL_NATIVE_HASH, MASK);
  for (const secret of knownSecrets) {
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      result = result.replace(new RegExp(`(?<![\\w%])${escapeRegExp(form)}(?![\\w%])`, 'g'), MASK);
    }
  }
  return result;
}

/** A value about to be serialised (JSON result, audit record): fields with a secret's name masked, every string redacted. */
export function redactValue<T>(value: T): T {
  const walk = (item: unknown, name?: string): unknown => {
    if (name !== undefined && isSecretName(name) && (typeof item === 'string' || typeof item === 'number')) return MASK;
    if (typeof item === 'string') return redact(item);
    if (Array.isArray(item)) return item.map((entry) => walk(entry));
    if (item && typeof item === 'object' && Object.getPrototypeOf(item) === Object.prototype) {
      return Object.fromEntries(Object.entries(item).map(([key, entry]) => [key, walk(entry, key)]));
    }
    return item;
  };
  return walk(value) as T;
}

export function passwordEnvName(engine: Engine): 'PGPASSWORD' | 'MYSQL_PWD' {
  return engine === 'postgresql' ? 'PGPASSWORD' : 'MYSQL_PWD';
}

/** Asks on the terminal without echo; undefined when there is no terminal to ask on. */
export async function promptSecret(question: string): Promise<string | undefined> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return undefined;
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const output = rl as unknown as { _writeToOutput: (text: string) => void };
  process.stderr.write(question);
  output._writeToOutput = () => {};
  try {
    return await new Promise<string>((resolve) => rl.question('', resolve));
  } finally {
    rl.close();
    process.stderr.write('\n');
  }
}

/** URL password, else the engine's environment variable, else a prompt (if interactive). */
export async function resolvePassword(engine: Engine, fromUrl: string | undefined, who: string): Promise<string | undefined> {
  const password = fromUrl || process.env[passwordEnvName(engine)] || (await promptSecret(`Password for ${who}: `));
  registerSecret(password);
  return password;
}
