import { defineConfig } from '@playwright/test';

// Debian's Chromium: Playwright's own browser download cannot work on these machines. The tests
// run in its headless shell (package chromium-headless-shell, the same engine without the full
// browser's UI layers), which is what Playwright itself uses for headless runs: the browser tests
// took 7.3 min in full Chromium and 4.6 in the shell, using under half the CPU. The bench
// (scripts/bench-search.ts) keeps full Chromium, the browser its timings stand for.
export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './test/e2e/global-setup.ts',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium-headless-shell',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
