/**
 * The release catalogue's schema half: which Harbor releases leave the database at
 * each schema_migrations.version. Node-only (the playbooks read it); the release lines
 * the site offers are in releases.ts, which the page also runs.
 */
/** schema_migrations.version of each release line, for labels (a test checks them against releases.tsv). */
export const SCHEMA_RELEASES: readonly { version: number; from: string; to: string }[] = [
  { version: 1, from: '1.6.0', to: '1.6.3' },
  { version: 3, from: '1.7.0', to: '1.7.8' },
  { version: 4, from: '1.8.0', to: '1.8.1' },
  { version: 5, from: '1.8.2', to: '1.8.6' },
  { version: 10, from: '1.9.0', to: '1.9.0' },
  { version: 11, from: '1.9.1', to: '1.9.3' },
  { version: 12, from: '1.9.4', to: '1.9.4' },
  { version: 15, from: '1.10.0', to: '1.10.99' },
  { version: 30, from: '2.0.0', to: '2.0.2' },
  { version: 31, from: '2.0.3', to: '2.0.6' },
  { version: 40, from: '2.1.0', to: '2.1.3' },
  { version: 41, from: '2.1.4', to: '2.1.6' },
  { version: 50, from: '2.2.0', to: '2.2.0' },
  { version: 51, from: '2.2.1', to: '2.2.1' },
  { version: 52, from: '2.2.2', to: '2.2.2' },
  { version: 53, from: '2.2.3', to: '2.2.4' },
  { version: 60, from: '2.3.0', to: '2.3.3' },
  { version: 61, from: '2.3.4', to: '2.3.5' },
  { version: 70, from: '2.4.0', to: '2.4.1' },
  { version: 71, from: '2.4.2', to: '2.4.3' },
  { version: 80, from: '2.5.0', to: '2.5.1' },
  { version: 81, from: '2.5.2', to: '2.5.2' },
  { version: 82, from: '2.5.3', to: '2.5.6' },
  { version: 90, from: '2.6.0', to: '2.6.1' },
  { version: 91, from: '2.6.2', to: '2.6.4' },
  { version: 100, from: '2.7.0', to: '2.7.99' },
  { version: 110, from: '2.8.0', to: '2.8.0' },
  { version: 111, from: '2.8.1', to: '2.8.6' },
  { version: 120, from: '2.9.0', to: '2.9.99' },
  { version: 130, from: '2.10.0', to: '2.10.99' },
  { version: 140, from: '2.11.0', to: '2.11.99' },
  { version: 150, from: '2.12.0', to: '2.12.99' },
  { version: 160, from: '2.13.0', to: '2.13.99' },
  { version: 170, from: '2.14.0', to: '2.14.0' },
  { version: 171, from: '2.14.1', to: '2.14.4' },
  { version: 180, from: '2.15.0', to: '2.15.2' },
];
