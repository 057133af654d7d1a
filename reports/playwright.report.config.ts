import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../lib/chromium.ts';

/**
 * The report check (`npm run test:report`): opens the report the last run built in Debian's Chromium and checks
 * that it shows that run. A config of its own: it tests the harness's output, so it starts no simulator and
 * writes no Allure results.
 */

const chromium = findChromium();
if (!chromium.found) throw new Error(chromium.message);

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
    launchOptions: { executablePath: chromium.path, args: [...CHROMIUM_ARGS] },
  },
});
