// Harbor's database per era, for the database playbook tests, built from Harbor's own files
// (../shared/harbor-migrations): PostgreSQL eras by applying the migrations their release
// ships (harbor-migrations.ts), Harbor 1.5 on MariaDB from 1.5's registry.sql. Each era is
// the last patch release of its line that our playbooks claim, plus the 2.2.0 / 2.2.4 pair
// whose migration sets differ (0041 ships in 2.2.1+ but not in 2.2.0).
import { applyHarborMigrations, mariadbSchemaV15, type SqlRunner } from './harbor-migrations.ts';

export const ERAS = ['1.5.0', '1.7.8', '1.8.6', '1.9.4', '1.10.19', '2.1.6', '2.2.0', '2.2.4', '2.15.2'] as const;
export type Era = (typeof ERAS)[number];

/** Harbor up to 1.5 ran MariaDB; 1.6 moved to PostgreSQL. */
export const engineOf = (era: Era): 'postgresql' | 'mariadb' => (era === '1.5.0' ? 'mariadb' : 'postgresql');

/** Creates `era`'s tables, rows and version marker in the empty database behind `db`. */
export async function loadEra(db: SqlRunner, era: Era): Promise<void> {
  if (engineOf(era) === 'mariadb') await db.exec(mariadbSchemaV15());
  else await applyHarborMigrations(db, era);
}
