import { defineConfig } from 'vitest/config';

// Unit and integration tests are `*.test.ts` anywhere in the repo; browser tests are
// Playwright's `test/e2e/*.spec.ts` and never run here, nor do the tests against a real
// Harbor (test/real-harbor/, `npm run test:real-harbor`, vitest.real-harbor.config.ts).
export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**', 'test/e2e/**', 'test/real-harbor/**', '.astro/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
