import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

/**
 * The report check (`npm run test:report`): opens the report the last run built in Debian's Chromium and checks
 * that it shows that run. A config of its own: it tests the harness's output, so it starts no simulator and
 * writes no Allure results.
 */

const executablePath = process.env.CHROMIUM_PATH?.trim() || ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
if (!executablePath) {
  throw new Error('Chromium not found (looked in /usr/bin/chromium, /usr/bin/chromium-browser): install it with `apt-get install -y chromium` or set CHROMIUM_PATH');
}

export default defineConfig({
  testDir: './test',
  testMatch: 'report.spec.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 1,
  retries: 0,
  reporter: [[process.env.CI ? 'line' : 'list']],
  outputDir: '../test-results/report-check',
  use: {
    browserName: 'chromium',
    viewport: { width: 1400, height: 1000 },
    launchOptions: {
      executablePath,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-gpu'],
    },
  },
});
