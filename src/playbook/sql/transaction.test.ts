import { describe, expect, it } from 'vitest';
import { EXIT_REFUSED } from '../errors.ts';
import { sql } from './sql.ts';
import { scriptRefusal } from './transaction.ts';

const options = { lock: 'align-db-password', guards: [{ table: 'task', ids: [1, 2, 3], still: sql`status = 'Running'` }] };

describe('scriptRefusal: what a failed psql/mysql script means', () => {
  it('reads a guard refusal from the error line', () => {
    const refusal = scriptRefusal(
      'psql:<stdin>:9: ERROR:  harbor-kb-refused: guard 0 1\nCONTEXT:  PL/pgSQL function inline_code_block line 5 at RAISE\n',
      options,
    );
    expect(refusal?.exitCode).toBe(EXIT_REFUSED);
    expect(refusal?.message).toContain('task: 2 of the 3 selected rows changed');
  });

  it('reads the lock refusal after the mysql client has echoed the statement that names every refusal', () => {
    const output = [
      "IF GET_LOCK(...) IS NOT TRUE THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'harbor-kb-refused: lock'; END IF;",
      'ERROR 1644 (45000) at line 4: harbor-kb-refused: lock',
    ].join('\n');
    expect(scriptRefusal(output, options)?.message).toContain('another run (align-db-password) is changing this database');
  });

  it('does not take another failure for a refusal when the server logged the statement back to psql', () => {
    // log_statement with client_min_messages=log: the DO block, with its refusal texts, comes back as a LOG line.
    const output = [
      "psql:<stdin>:4: LOG:  statement: DO $$ BEGIN IF NOT pg_try_advisory_xact_lock(1) THEN RAISE EXCEPTION USING MESSAGE = 'harbor-kb-refused: lock'; END IF; END $$;",
      'psql:<stdin>:5: ERROR:  cannot execute ALTER ROLE in a read-only transaction',
    ].join('\n');
    expect(scriptRefusal(output, options)).toBeUndefined();
  });
});
