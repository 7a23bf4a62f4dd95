import { defineConfig } from 'vitest/config';

// `npm run test:real-harbor`: the tests that start a real Harbor 1.10 (test/real-harbor/).
// One file at a time: each brings up its own Harbor (seven processes), and the machine
// running them may have two cores.
export default defineConfig({
  test: {
    include: ['test/real-harbor/**/*.test.ts'],
    globalSetup: ['test/support/real-harbor-setup.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});
