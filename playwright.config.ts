import { defineConfig } from '@playwright/test';

// Browser mode against Debian's chromium: `playwright install` cannot download here, and the
// tests spawn `custos serve` themselves (tests/e2e/helpers/custos-server.ts), so no webServer.
export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results',
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  // Argon2id makes every unlock take about half a second; the walk-through unlocks several times.
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    locale: 'en-US',
    timezoneId: 'America/Guatemala',
    viewport: { width: 1280, height: 860 },
    trace: 'off',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
});
