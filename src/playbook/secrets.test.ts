import { expect, it } from 'vitest';
import { isSecretName, redact, redactEnvEntry, redactValue, registerSecret } from './secrets.ts';
import { chartFullname } from './platform/targets.ts';

it('redacts URL userinfo up to the last @ of the authority (an unencoded @ in the password)', () => {
  expect(redact('postgres://postgres:hunter2@db:5432/registry')).toBe('postgres://postgres:***@db:5432/registry');
  expect(redact('postgres://ops:p@ss@word@db:5432/registry and more')).toBe('postgres://ops:***@db:5432/registry and more');
  expect(redact('redis://:secret@redis:6379/1')).toBe('redis://:***@redis:6379/1');
  expect(redact('postgres://postgres@db/registry')).toBe('postgres://postgres@db/registry');
});

it('redacts by structure, never a short password wherever its text occurs', () => {
  registerSecret('1');
  registerSecret('x');
  const json = JSON.stringify(redactValue({ exitCode: 1, error: 'unexpected answer', changes: [{ changed: 11 }] }));
  expect(JSON.parse(json)).toEqual({ exitCode: 1, error: 'unexpected answer', changes: [{ changed: 11 }] });
  expect(redact('unexpected: 1 of 11 rows')).toBe('unexpected: 1 of 11 rows');
});

it('masks long secrets the run holds as whole words, raw or URL-encoded', () => {
  registerSecret('p@ss word/1234');
  expect(redact('auth failed for p@ss word/1234 and p%40ss%20word%2F1234')).toBe('auth failed for *** and ***');
});

it('masks fields and environment entries with a secret name, and the password field of _REDIS_URL', () => {
  expect(
    [
      'EMAIL_PWD',
      'LDAP_SEARCH_PWD',
      'GITHUB_TOKEN',
      'CORE_SECRET',
      'REGISTRY_CREDENTIAL_PASSWORD',
      'harborPassword',
      'api_key',
      'KEY',
      'secretkey',
      'REGISTRY_STORAGE_AZURE_ACCOUNTKEY',
    ].every(isSecretName),
  ).toBe(true);
  expect(['TOKEN_SERVICE_URL', 'KEY_PATH', 'LOG_LEVEL', 'keyspace', 'monkey'].some(isSecretName)).toBe(false);
  expect(redactEnvEntry('_REDIS_URL=redis:6379,100,s3cret')).toBe('_REDIS_URL=redis:6379,100,***');
  expect(redactEnvEntry('_REDIS_URL=redis:6379,100,')).toBe('_REDIS_URL=redis:6379,100,');
  expect(redactEnvEntry('EMAIL_PWD=a b c')).toBe('EMAIL_PWD=***');
  expect(redact('env: GITHUB_TOKEN=ghp_abc LOG_LEVEL=info')).toBe('env: GITHUB_TOKEN=*** LOG_LEVEL=info');
  expect(redact('{"username":"admin","password":"Harbor12345"}')).toBe('{"username":"admin","password":"***"}');
  expect(redactValue({ parameters: { token: 'abc', policy: 1 } })).toEqual({ parameters: { token: '***', policy: 1 } });
});

it('names chart objects the way harbor-helm does, before and from chart 1.7.0, truncated to 63 characters', () => {
  expect(chartFullname('prod')).toBe('prod-harbor');
  expect(chartFullname('my-harbor')).toBe('my-harbor');
  expect(chartFullname('harbor', undefined, true)).toBe('harbor-harbor');
  expect(chartFullname('harbor', 'harbor-harbor')).toBe('harbor-harbor');
  expect(chartFullname('a'.repeat(56) + '-x')).toBe('a'.repeat(56) + '-x-harb');
  expect(chartFullname('a'.repeat(62) + '-')).toBe('a'.repeat(62));
});

it('masks the password literals and hashes of MariaDB statements that the client, the server or SHOW GRANTS echo back', () => {
  const hash = '*A4B6157319038724E3560894F7F932C8886EBFCF';
  expect(
    redact(
      "ERROR 1064 (42000) at line 1: You have an error in your SQL syntax; check the manual that corresponds to your MariaDB server version for the right syntax to use near 'IDENTIFIED BY 'S3cret!'' at line 1",
    ),
  ).toBe(
    "ERROR 1064 (42000) at line 1: You have an error in your SQL syntax; check the manual that corresponds to your MariaDB server version for the right syntax to use near 'IDENTIFIED BY '***'",
  );
  expect(redact("CREATE USER 'harbor'@'%' IDENTIFIED WITH mysql_native_password BY 'it''s secret';")).toBe(
    "CREATE USER 'harbor'@'%' IDENTIFIED WITH mysql_native_password BY '***';",
  );
  expect(redact(`GRANT USAGE ON *.* TO \`harbor\`@\`%\` IDENTIFIED BY PASSWORD '${hash}'`)).toBe(
    "GRANT USAGE ON *.* TO `harbor`@`%` IDENTIFIED BY PASSWORD '***'",
  );
  expect(redact("ALTER USER root@localhost IDENTIFIED VIA mysql_native_password USING PASSWORD('hunter22')")).toBe(
    "ALTER USER root@localhost IDENTIFIED VIA mysql_native_password USING PASSWORD('***')",
  );
  expect(redact("SET PASSWORD FOR 'harbor'@'%' = PASSWORD('hunter22');")).toBe("SET PASSWORD FOR 'harbor'@'%' = PASSWORD('***');");
  expect(redact(`| harbor | % | ${hash} |`)).toBe('| harbor | % | *** |');
  // Not a hash: too short, lower case, or part of a longer word.
  expect(redact('*A4B61573 and a*A4B6157319038724E3560894F7F932C8886EBFCF, identified by name')).toBe(
    '*A4B61573 and a*A4B6157319038724E3560894F7F932C8886EBFCF, identified by name',
  );
});

it('masks PostgreSQL role verifiers and the PASSWORD literal of SQL that psql echoes, but not a preview placeholder', () => {
  const md5 = `md5${'0123456789abcdef'.repeat(2)}`;
  const scram = 'SCRAM-SHA-256$4096:c2FsdHNhbHRzYWx0c2FsdA==$U3RvcmVkS2V5U3RvcmVkS2V5U3RvcmVkS2V5MTIzNDU=:U2VydmVyS2V5U2VydmVyS2V5U2VydmVyS2V5MTIzNDU=';
  expect(redact(`psql:<stdin>:4: ERROR:  cannot execute ALTER ROLE in a read-only transaction LINE 1: ALTER ROLE "harbor" PASSWORD '${md5}'`)).toBe(
    `psql:<stdin>:4: ERROR:  cannot execute ALTER ROLE in a read-only transaction LINE 1: ALTER ROLE "harbor" PASSWORD '***'`,
  );
  // psql cuts a long line short around the error position: no closing quote.
  expect(redact(`LINE 1: ...ROLE "harbor" ENCRYPTED PASSWORD '${scram.slice(0, 40)}`)).toBe(`LINE 1: ...ROLE "harbor" ENCRYPTED PASSWORD '***'`);
  expect(redact(`LOG:  statement: ALTER ROLE x PASSWORD 'it''s secret';`)).toBe(`LOG:  statement: ALTER ROLE x PASSWORD '***';`);
  expect(redact(`rolpassword ${md5} and ${scram}.`)).toBe('rolpassword md5*** and SCRAM-SHA-256$***.');
  expect(redactValue({ rolpassword: scram.slice(0, 30) })).toEqual({ rolpassword: 'SCRAM-SHA-256$***' });
  const preview = `ALTER ROLE "harbor" PASSWORD '<SCRAM-SHA-256 verifier of the configured password>';`;
  expect(redact(preview)).toBe(preview);
  expect(redact('md5 of 0123456789abcdef0123456789abcdef, sha256:md5')).toBe('md5 of 0123456789abcdef0123456789abcdef, sha256:md5');
});
