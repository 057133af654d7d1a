import { defineConfig } from '@playwright/test';
import { loadProfile, profilePathFromEnv } from './lib/profile.ts';

/**
 * One config for both Playwright stages: `conformance` (API only, no browser) and `e2e` (Debian's Chromium).
 * The target comes from TARGET_PROFILE (default: the embedded simulator, which `webServer` starts and stops).
 */
const profile = loadProfile(profilePathFromEnv());
const simPort = new URL(profile.baseUrl).port || '80';
const resultsDir = process.env.ALLURE_RESULTS_DIR ?? 'reports/allure-results';

export default defineConfig({
  timeout: 30_000,
  expect: { timeout: 5_000 },
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: process.env.PW_WORKERS ? Number(process.env.PW_WORKERS) : 2,
  outputDir: 'test-results',
  reporter: [
    [process.env.CI ? 'line' : 'list'],
    ['allure-playwright', { resultsDir, detail: false, suiteTitle: false }],
  ],
  use: {
    trace: 'retain-on-failure',
  },
  // Probe the target (an unreachable one fails the run at once, naming its URL) and fix the faker seed.
  globalSetup: ['./lib/global-setup.ts'],
  webServer:
    profile.kind === 'simulator'
      ? {
          command: `npx tsx sim/main.ts --port ${simPort}`,
          url: `${new URL(profile.baseUrl).origin}/_sim/health`,
          // `npm start` runs one simulator for every stage and says so; otherwise CI always starts a fresh one.
          reuseExistingServer: !process.env.CI || process.env.SIMULATOR_ALREADY_RUNNING === '1',
          timeout: 30_000,
          stdout: 'ignore',
          stderr: 'pipe',
        }
      : undefined,
  projects: [
    // No traces for the API suites: a trace records request bodies (social tokens) unredacted; each test attaches
    // its requests and responses, redacted, to the report instead.
    { name: 'conformance', testDir: './conformance', testMatch: '**/*.spec.ts', use: { trace: 'off' } },
    { name: 'e2e', testDir: './e2e', testMatch: '**/*.spec.ts' },
  ],
});
