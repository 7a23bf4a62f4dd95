// SQL rendering: the same statement as driver parameters and as literal text for psql/mysql.
import { describe, expect, it } from 'vitest';
import { literal, sql, toParameterized, toText } from './sql.ts';

describe('sql tagged template', () => {
  const statement = sql`UPDATE task SET status = ${'Stopped'} WHERE execution_id = ${7} AND status IN (${['Pending', 'Running']}) AND ${sql`vendor_type = ${'REPLICATION'}`}`;

  it('renders driver placeholders per engine', () => {
    expect(toParameterized(statement, 'postgresql')).toEqual({
      text: 'UPDATE task SET status = $1 WHERE execution_id = $2 AND status IN ($3, $4) AND vendor_type = $5',
      values: ['Stopped', 7, 'Pending', 'Running', 'REPLICATION'],
    });
    expect(toParameterized(statement, 'mariadb').text).toBe('UPDATE task SET status = ? WHERE execution_id = ? AND status IN (?, ?) AND vendor_type = ?');
  });

  it('renders literal text for exec targets and previews', () => {
    expect(toText(statement, 'postgresql')).toBe(
      "UPDATE task SET status = 'Stopped' WHERE execution_id = 7 AND status IN ('Pending', 'Running') AND vendor_type = 'REPLICATION'",
    );
  });

  it('quotes hostile text so it stays one literal', () => {
    const hostile = "x'; DROP TABLE project; --\\";
    expect(literal(hostile, 'postgresql')).toBe("'x''; DROP TABLE project; --\\'");
    expect(literal(hostile, 'mariadb')).toBe("'x''; DROP TABLE project; --\\\\'");
    expect(toText(sql`SELECT ${'$1'} AS a, ${'?'} AS b`, 'postgresql')).toBe("SELECT '$1' AS a, '?' AS b");
    expect(toText(sql`SELECT ${'?'} AS a, ${'$1'} AS b`, 'mariadb')).toBe("SELECT '?' AS a, '$1' AS b");
  });

  it('leaves $n and ? in the statement text itself alone (a SCRAM verifier written with sql.raw)', () => {
    const verifier = sql.raw("'SCRAM-SHA-256$4096:c2FsdA==$c3RvcmVk:c2VydmVy'");
    expect(toText(sql`ALTER ROLE "postgres" PASSWORD ${verifier}`, 'postgresql')).toBe(
      `ALTER ROLE "postgres" PASSWORD 'SCRAM-SHA-256$4096:c2FsdA==$c3RvcmVk:c2VydmVy'`,
    );
    expect(toText(sql`SELECT ${sql.raw("'why?'")} AS a, ${'x'} AS b`, 'mariadb')).toBe("SELECT 'why?' AS a, 'x' AS b");
  });

  it('refuses values that cannot be literals', () => {
    expect(() => literal(Number.NaN, 'postgresql')).toThrow(/finite/);
    expect(() => literal('a\0b', 'mariadb')).toThrow(/NUL/);
  });
});
