// Harbor's table layouts per era, as CREATE statements generated from the schema facts in
// test/fixtures/harbor-schema/*.json (copied from ../shared/harbor-schema so CI needs no
// sibling checkout). The JSON is the fact; the SQL here is ours.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ERAS = ['1.5.0', '1.7.8', '1.8.6', '1.9.4', '1.10.19', '2.1.6', '2.15.2'] as const;
export type Era = (typeof ERAS)[number];

interface ColumnFact {
  name: string;
  type: string;
  nullable: boolean;
  default: string | null;
  pg_type?: string;
  sequence?: string;
  server_column_type?: string;
  auto_increment?: boolean;
  on_update?: string;
}
interface IndexFact {
  name: string;
  columns: string[];
  unique: boolean;
  primary: boolean;
  backs_constraint?: string | null;
  definition?: string;
}
interface ForeignKeyFact {
  name: string;
  columns: string[];
  references_table: string;
  references_columns: string[];
}
interface TableFact {
  columns: ColumnFact[];
  primary_key: string[];
  indexes: IndexFact[];
  foreign_keys: ForeignKeyFact[];
  unique_constraints: { name: string; columns: string[] }[];
  triggers?: { name: string; timing: string; events: string[]; function: string }[];
}
export interface EraLayout {
  harbor: string;
  engine: 'postgresql' | 'mariadb';
  schema_version: number | string;
  tables: Record<string, TableFact>;
  functions?: string[];
}

const fixtures = fileURLToPath(new URL('../fixtures/harbor-schema/', import.meta.url));

export function eraLayout(era: Era): EraLayout {
  return JSON.parse(readFileSync(`${fixtures}harbor-${era}.json`, 'utf8')) as EraLayout;
}

const pgIdent = (name: string) => `"${name}"`;
const myIdent = (name: string) => `\`${name}\``;

function postgresStatements(layout: EraLayout): string[] {
  const statements: string[] = [];
  if (layout.functions?.includes('update_update_time_at_column')) {
    statements.push(`CREATE OR REPLACE FUNCTION update_update_time_at_column() RETURNS TRIGGER AS $$
BEGIN NEW.update_time = NOW(); RETURN NEW; END; $$ LANGUAGE plpgsql`);
  }
  const afterTables: string[] = [];
  for (const [table, fact] of Object.entries(layout.tables)) {
    const lines: string[] = [];
    for (const column of fact.columns) {
      let line = `${pgIdent(column.name)} ${column.pg_type}`;
      if (column.sequence) {
        statements.push(`CREATE SEQUENCE IF NOT EXISTS ${pgIdent(column.sequence)}`);
        line += ` DEFAULT nextval('${column.sequence}')`;
        afterTables.push(`ALTER SEQUENCE ${pgIdent(column.sequence)} OWNED BY ${pgIdent(table)}.${pgIdent(column.name)}`);
      } else if (column.default !== null) {
        line += ` DEFAULT ${column.default}`;
      }
      if (!column.nullable) line += ' NOT NULL';
      lines.push(line);
    }
    const primary = fact.indexes.find((index) => index.primary);
    if (primary) lines.push(`CONSTRAINT ${pgIdent(primary.name)} PRIMARY KEY (${fact.primary_key.map(pgIdent).join(', ')})`);
    for (const unique of fact.unique_constraints) {
      lines.push(`CONSTRAINT ${pgIdent(unique.name)} UNIQUE (${unique.columns.map(pgIdent).join(', ')})`);
    }
    statements.push(`CREATE TABLE ${pgIdent(table)} (\n  ${lines.join(',\n  ')}\n)`);
    for (const index of fact.indexes) {
      if (!index.backs_constraint && index.definition) statements.push(index.definition);
    }
    for (const trigger of fact.triggers ?? []) {
      statements.push(`CREATE TRIGGER ${pgIdent(trigger.name)} ${trigger.timing} ${trigger.events.join(' OR ')} ON ${pgIdent(table)} FOR EACH ROW EXECUTE PROCEDURE ${trigger.function}()`);
    }
  }
  statements.push(...afterTables, ...foreignKeys(layout, pgIdent));
  return statements;
}

function mariadbStatements(layout: EraLayout): string[] {
  const statements: string[] = [];
  for (const [table, fact] of Object.entries(layout.tables)) {
    const lines: string[] = [];
    for (const column of fact.columns) {
      let line = `${myIdent(column.name)} ${column.server_column_type} ${column.nullable ? 'NULL' : 'NOT NULL'}`;
      if (column.default !== null) line += ` DEFAULT ${column.default}`;
      if (column.on_update) line += ` ON UPDATE ${column.on_update}`;
      if (column.auto_increment) line += ' AUTO_INCREMENT';
      lines.push(line);
    }
    for (const index of fact.indexes) {
      const columns = index.columns.map(myIdent).join(', ');
      if (index.primary) lines.push(`PRIMARY KEY (${columns})`);
      else lines.push(`${index.unique ? 'UNIQUE ' : ''}KEY ${myIdent(index.name)} (${columns})`);
    }
    statements.push(`CREATE TABLE ${myIdent(table)} (\n  ${lines.join(',\n  ')}\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3`);
  }
  statements.push(...foreignKeys(layout, myIdent));
  return statements;
}

function foreignKeys(layout: EraLayout, ident: (name: string) => string): string[] {
  return Object.entries(layout.tables).flatMap(([table, fact]) =>
    fact.foreign_keys
      // 1.7.8's project FK points at harbor_user, which that layout does not list.
      .filter((key) => key.references_table in layout.tables)
      .map((key) =>
        `ALTER TABLE ${ident(table)} ADD CONSTRAINT ${ident(key.name)} FOREIGN KEY (${key.columns.map(ident).join(', ')}) REFERENCES ${ident(key.references_table)} (${key.references_columns.map(ident).join(', ')})`,
      ),
  );
}

/** CREATE statements plus the version rows a fresh install of that era holds. */
export function eraStatements(era: Era): string[] {
  const layout = eraLayout(era);
  if (layout.engine === 'mariadb') {
    return [...mariadbStatements(layout), `INSERT INTO alembic_version (version_num) VALUES ('${layout.schema_version}')`];
  }
  const statements = postgresStatements(layout);
  statements.push(`INSERT INTO schema_migrations (version, dirty) VALUES (${layout.schema_version}, false)`);
  if ('alembic_version' in layout.tables) statements.push(`INSERT INTO alembic_version (version_num) VALUES ('1.6.0')`);
  return statements;
}
