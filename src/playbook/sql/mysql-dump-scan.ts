// A MariaDB dump is loaded through the `mysql` client, which obeys its own commands in the input:
// `\! cmd` / `system cmd` run a shell as the operator, `\.` / `source` read files, `tee` and
// `pager` write or run them. db-restore loads with --binary-mode (the client then parses no
// command but \C and DELIMITER), and before that refuses any dump that holds one, found by
// walking the dump as the client reads it: outside quotes and comments, a backslash command
// anywhere or a named command as the first word of a statement.
import { createReadStream } from 'node:fs';

/** The mysql client's named commands (`mysql --help` / `help` in the 10.11 client), except DELIMITER. */
const NAMED_COMMANDS = new Set([
  'charset',
  'clear',
  'connect',
  'edit',
  'ego',
  'exit',
  'go',
  'help',
  'nopager',
  'notee',
  'nowarning',
  'pager',
  'print',
  'prompt',
  'quit',
  'rehash',
  'source',
  'status',
  'system',
  'tee',
  'use',
  'warnings',
]);
/** `\-` opens mysqldump's own first line, /*M!999999\- enable the sandbox mode *\/ (10.5.25+): it only restricts. */
const HARMLESS_BACKSLASH = new Set(['-']);

export interface ClientCommand {
  line: number;
  command: string;
}

export interface MysqlDumpScan {
  clientCommand?: ClientCommand;
  /** The version_num the dump inserts into alembic_version, if any. */
  alembicVersion?: string;
}

type Mode = 'code' | 'single' | 'double' | 'backtick' | 'dash-dash' | 'line-comment' | 'block-comment';

// mysqldump 10.2 writes the row on the INSERT's line, 10.11 on the next one.
const ALEMBIC_INSERT = /^INSERT INTO `?alembic_version`? VALUES\s*(?:\('([^']*)'\))?/;
const ALEMBIC_ROW = /^\('([^']*)'\)/;
const QUOTES: Partial<Record<string, Mode>> = { "'": 'single', '"': 'double', '`': 'backtick' };
const CLOSING: Partial<Record<Mode, string>> = { single: "'", double: '"', backtick: '`' };

/** Walks a mysqldump file once, as the mysql client splits it; stops at the first client command. */
export async function scanMysqlDump(path: string): Promise<MysqlDumpScan> {
  const result: MysqlDumpScan = {};
  let mode = 'code' as Mode;
  let line = 1;
  let lineText = '';
  let delimiter = ';';
  let recentCode = '';
  let statementStart = true;
  let word = '';
  let previous = '';
  let backslash = false;
  let escaped = false;
  let commentHead: string | undefined;
  let newDelimiter: string | undefined;
  let alembicNext = false;

  /** One character in code: false when it is a client command. */
  const code = (char: string): boolean => {
    if (backslash) {
      backslash = false;
      if (!HARMLESS_BACKSLASH.has(char)) {
        result.clientCommand = { line, command: `\\${char}` };
        return false;
      }
      return true;
    }
    if (statementStart) {
      if (word ? /[\w$]/.test(char) : /[A-Za-z_]/.test(char)) {
        word += char;
        return true;
      }
      if (word) {
        const lower = word.toLowerCase();
        if (NAMED_COMMANDS.has(lower)) {
          result.clientCommand = { line, command: word };
          return false;
        }
        word = '';
        statementStart = false;
        // DELIMITER takes the rest of its line (without one it changes nothing).
        if (lower === 'delimiter' && char !== '\n') {
          newDelimiter = char;
          return true;
        }
      }
    }
    if (char === '\\') backslash = true;
    else if (QUOTES[char]) mode = QUOTES[char]!;
    else if (char === '#') mode = 'line-comment';
    else if (char === '-' && previous === '-') mode = 'dash-dash';
    else if (char === '*' && previous === '/') {
      mode = 'block-comment';
      commentHead = '';
    }
    // White space and comments keep a statement's start; anything else (quotes included) ends it.
    if (CLOSING[mode] || (mode === 'code' && !/[\s\-/]/.test(char))) statementStart = false;
    if (mode === 'code') {
      recentCode = (recentCode + char).slice(-delimiter.length);
      if (recentCode === delimiter) {
        statementStart = true;
        recentCode = '';
      }
    }
    return true;
  };

  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    for (const char of chunk as string) {
      if (char === '\n') {
        const row = alembicNext ? ALEMBIC_ROW.exec(lineText) : undefined;
        const insert = ALEMBIC_INSERT.exec(lineText);
        if (row) result.alembicVersion = row[1];
        if (insert?.[1] !== undefined) result.alembicVersion = insert[1];
        alembicNext = insert !== null && insert[1] === undefined;
        lineText = '';
      } else if (lineText.length < 256) {
        lineText += char;
      }
      if (newDelimiter !== undefined) {
        if (char === '\n') {
          delimiter = newDelimiter.trim() || delimiter;
          newDelimiter = undefined;
          statementStart = true;
          recentCode = '';
        } else {
          newDelimiter += char;
        }
      } else if (mode === 'code') {
        if (!code(char)) return result;
      } else if (CLOSING[mode]) {
        if (escaped) escaped = false;
        else if (char === '\\' && mode !== 'backtick') escaped = true;
        else if (char === CLOSING[mode]) mode = 'code';
      } else if (mode === 'dash-dash') {
        // "--" opens a comment only when followed by white space.
        mode = /\s/.test(char) ? (char === '\n' ? 'code' : 'line-comment') : 'code';
        if (mode === 'code' && char !== '\n' && !code(char)) return result;
      } else if (mode === 'line-comment') {
        if (char === '\n') mode = 'code';
      } else if (commentHead !== undefined && commentHead.length < 2 && (commentHead + char === '!' || commentHead + char === 'M!')) {
        // /*! ... */ and /*M! ... */ are versioned comments the server runs: read them as code.
        mode = 'code';
        commentHead = undefined;
      } else if (previous === '*' && char === '/') {
        mode = 'code';
        commentHead = undefined;
      } else if (commentHead !== undefined) {
        commentHead = commentHead.length < 2 ? commentHead + char : undefined;
      }
      if (char === '\n') line++;
      previous = char;
    }
  }
  if (statementStart && NAMED_COMMANDS.has(word.toLowerCase())) result.clientCommand = { line, command: word };
  return result;
}
