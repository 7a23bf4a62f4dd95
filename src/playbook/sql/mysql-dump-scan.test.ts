// The dump scan finds the client commands the mysql client would obey, wherever it would obey
// them, and nothing inside strings, identifiers or comments; real dumps pass (db-backup.test.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { scanMysqlDump } from './mysql-dump-scan.ts';

const dir = mkdtempSync(join(tmpdir(), 'hkb-scan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let count = 0;
async function scan(text: string) {
  const path = join(dir, `${++count}.sql`);
  writeFileSync(path, text);
  return scanMysqlDump(path);
}

it.each([
  ['\\! id\n', '\\!', 1],
  ['CREATE TABLE a (x int);\nINSERT INTO a VALUES (1); \\! touch /tmp/x\n', '\\!', 2],
  ['INSERT INTO a VALUES (1);\nsystem id\n', 'system', 2],
  ['INSERT INTO a VALUES (1);\n  SYSTEM id\n', 'SYSTEM', 2],
  ['source /etc/passwd\n', 'source', 1],
  ['\\. /etc/passwd\n', '\\.', 1],
  ['/*!40101 SET NAMES utf8 */;\n/*!40101 \\! id */;\n', '\\!', 2],
  ['DELIMITER ;;\nCREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN SET NEW.x = 1; END ;;\nDELIMITER ;\npager sh -c id\n', 'pager', 4],
  ['-- a comment\nuse mysql;\n', 'use', 2],
  ['select 1--1;\n\\! id\n', '\\!', 2],
])('finds %j', async (text, command, line) => {
  expect((await scan(text)).clientCommand).toEqual({ command, line });
});

it.each([
  '/*M!999999\\- enable the sandbox mode */ \n-- MariaDB dump\n/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;\n',
  "INSERT INTO a VALUES ('\\\\! not a command','system id'),('it''s \\' ; system');\n",
  'INSERT INTO `system` VALUES (1);\nCREATE TABLE `source` (`status` int);\n',
  '/* \\! in a comment */\n# system in a comment\n-- \\! too\nINSERT INTO a VALUES ("\\"; \\\\! id");\n',
  'DELIMITER ;;\nCREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN SET NEW.x = 1;\nSET NEW.y = 2; END ;;\nDELIMITER ;\n',
  'INSERT INTO t VALUES (1);\nstatus_table_is_not_a_command;\n',
])('passes %j', async (text) => {
  expect((await scan(text)).clientCommand).toBeUndefined();
});

it('reads the alembic_version a dump inserts, as mysqldump 10.2 and 10.11 write it', async () => {
  expect((await scan("LOCK TABLES `alembic_version` WRITE;\nINSERT INTO `alembic_version` VALUES ('1.5.0');\nUNLOCK TABLES;\n")).alembicVersion).toBe('1.5.0');
  expect((await scan("INSERT INTO `alembic_version` VALUES\n('1.4.0');\n")).alembicVersion).toBe('1.4.0');
});
