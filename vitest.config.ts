import { defineConfig } from 'vitest/config';

// Three projects, all run by `npx vitest run` (or one with `--project <name>`):
// - unit: no server, no build; `npm run test:unit`.
// - integration: start real components on loopback (PostgreSQL, MariaDB, the distribution
//   registry, skopeo, the Harbor stand-in), or run the bundles against them.
// - build: run the real site build (astro build) over fixture content.
// A test file that starts a server or a build is listed below; every other *.test.ts is a
// unit test. Browser tests are Playwright's `test/e2e/*.spec.ts` and never run here, nor do
// the tests against a real Harbor (test/real-harbor/, `npm run test:real-harbor`,
// vitest.real-harbor.config.ts).
const INTEGRATION = [
  'playbooks/align-db-password.test.ts',
  'playbooks/check-chart-certificates.test.ts',
  'playbooks/check-endpoint-tls.test.ts',
  'playbooks/check-token-realm.test.ts',
  'playbooks/dangling-tags.test.ts',
  'playbooks/db-backup.test.ts',
  'playbooks/db-restore.test.ts',
  'playbooks/delete-tags.test.ts',
  'playbooks/diagnose-db-connections.test.ts',
  'playbooks/diagnose-gc-sweep.test.ts',
  'playbooks/diagnose-missing-blobs.test.ts',
  'playbooks/fix-registry-storage-owner.test.ts',
  'playbooks/manifest-ready.test.ts',
  'playbooks/purge-audit-log.test.ts',
  'playbooks/reset-admin-password.test.ts',
  'playbooks/restart-compose-stack.test.ts',
  'playbooks/schema-doctor.test.ts',
  'playbooks/stop-stuck-jobs.test.ts',
  'playbooks/stop-stuck-replication.test.ts',
  'playbooks/tag-scan.test.ts',
  'playbooks/wait-for-core.test.ts',
  'src/playbook/bundle/bundle.test.ts',
  'src/playbook/bundle/registry-bundle.test.ts',
  'src/playbook/http/registry-api.test.ts',
  'src/playbook/platform/database-url.test.ts',
  'src/playbook/run/interrupts.test.ts',
  'src/playbook/sql/migration-footprints.test.ts',
  'test/support/harbor-migrations.test.ts',
  'test/support/harbor-stand-in.test.ts',
];
const BUILD = ['test/content/build-fixtures.test.ts'];
const NEVER = ['node_modules/**', 'dist/**', 'test/e2e/**', 'test/real-harbor/**', '.astro/**'];

const shared = { testTimeout: 60_000, hookTimeout: 120_000 };

export default defineConfig({
  test: {
    // Vitest's default on a two-core machine is one worker. The integration files spend most of
    // their time waiting on the servers they start, so two run side by side in about half the
    // time (measured: 11.5 -> 6 minutes for the integration project).
    maxWorkers: 2,
    projects: [
      { test: { ...shared, name: 'unit', include: ['**/*.test.ts'], exclude: [...NEVER, ...INTEGRATION, ...BUILD] } },
      { test: { ...shared, name: 'integration', include: INTEGRATION, exclude: NEVER } },
      { test: { ...shared, name: 'build', include: BUILD, exclude: NEVER } },
    ],
  },
});
