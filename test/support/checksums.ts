// Table checksums, to prove a run changed exactly what it meant to and nothing else.
import type pg from 'pg';
import type mysql from 'mysql2/promise';

export type Checksums = Record<string, string>;

export async function postgresChecksums(client: pg.Client): Promise<Checksums> {
  const tables = await client.query<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
  );
  const sums: Checksums = {};
  for (const { name } of tables.rows) {
    const result = await client.query<{ sum: string }>(`SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS sum FROM "${name}" t`);
    sums[name] = result.rows[0]!.sum;
  }
  return sums;
}

export async function mariadbChecksums(connection: mysql.Connection): Promise<Checksums> {
  const [tables] = await connection.query<mysql.RowDataPacket[]>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY 1",
  );
  const sums: Checksums = {};
  for (const { name } of tables) {
    const [rows] = await connection.query<mysql.RowDataPacket[]>(`CHECKSUM TABLE \`${name}\` EXTENDED`);
    sums[name] = String(rows[0]!.Checksum);
  }
  return sums;
}

/** The tables whose checksum differs between two snapshots. */
export function changedTables(before: Checksums, after: Checksums): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => before[name] !== after[name]).sort();
}
