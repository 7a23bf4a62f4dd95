// Order-independent checksums of every table's rows, cheap in memory on large tables: a row
// count and the sum of a 60-bit slice of each row's md5 (PostgreSQL 9.6-compatible), or
// MariaDB's CHECKSUM TABLE. Used to tell whether a database still holds what a run wrote.
import { sql, type Database } from './sql.ts';

export async function tableChecksums(db: Database): Promise<Record<string, string>> {
  const schema = sql.raw(db.engine === 'postgresql' ? 'current_schema()' : 'DATABASE()');
  const tables = (
    await db.query(
      sql`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ${schema} AND table_type = 'BASE TABLE' ORDER BY table_name`,
    )
  ).map((row) => String(row.name));
  const sums: Record<string, string> = {};
  for (const table of tables) {
    // Table names come from the catalog; quoting keeps odd names intact.
    if (db.engine === 'postgresql') {
      const [row] = await db.query(
        sql`SELECT count(*) AS n, coalesce(sum(('x' || substr(md5(t::text), 1, 15))::bit(60)::bigint), 0) AS s FROM ${sql.raw(`"${table.replace(/"/g, '""')}"`)} t`,
      );
      sums[table] = `${row?.n}:${row?.s}`;
    } else {
      const [row] = await db.query(sql`CHECKSUM TABLE ${sql.raw(`\`${table.replace(/`/g, '``')}\``)}`);
      sums[table] = String(row?.Checksum);
    }
  }
  return sums;
}
