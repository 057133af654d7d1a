import { defineConfig, type PlaywrightTestConfig } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium, prepareVideoRecording } from './lib/chromium.ts';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { PROJECT_ROOT, loadProfile, profilePathFromEnv } from './lib/profile.ts';
import { planClientApp, runIncludesE2e } from './e2e/client-app/plan.ts';
import { writeProfile } from './scripts/verify-harness/target-profiles.ts';

/**
 * SIM_QUIRK=<name[,name]> starts the simulator with quirk modes (conforming variations, sim/quirks.ts). A quirk
 * may change what QA's profile says (registered redirect URIs, the expectations file): unless TARGET_PROFILE names
 * a profile already, the simulator's profile adapted to the quirks is written under reports/out/ and used by every
 * stage (workers inherit TARGET_PROFILE).
 */
const simQuirks = process.env.SIM_QUIRK ?? '';
if (simQuirks !== '' && !/^[a-z0-9-]+(,[a-z0-9-]+)*$/.test(simQuirks)) throw new Error(`SIM_QUIRK: "${simQuirks}" is not a comma-separated list of quirk names (see npm run sim -- --list-quirks)`);
if (simQuirks !== '' && !process.env.TARGET_PROFILE) {
  const names = simQuirks.split(',');
  process.env.TARGET_PROFILE = writeProfile(join(PROJECT_ROOT, 'reports/out/quirk-profiles', names.length === 1 ? names[0]! : `${names.length}-quirks-${createHash('sha1').update(simQuirks).digest('hex').slice(0, 8)}`), null, () => {}, names);
}

/**
 * One config for both Playwright stages: `conformance` (API only, no browser) and `e2e` (Debian's Chromium).
 * The target comes from TARGET_PROFILE (default: the embedded simulator, which `webServer` starts and stops).
 */
const profile = loadProfile(profilePathFromEnv());
const simPort = new URL(profile.baseUrl).port || '80';
const resultsDir = process.env.ALLURE_RESULTS_DIR ?? 'reports/allure-results';

// e2e: the game's client app answers on the target's loopback redirect URIs; Debian's Chromium drives it.
const clientApp = planClientApp(profile.oauth);
const chromium = findChromium();
const video = prepareVideoRecording();
type WebServer = Extract<NonNullable<PlaywrightTestConfig['webServer']>, { command: string }>;

/** The web servers: the simulator (when it is the target) and the e2e client app (pages + the code-exchanging backend). */
function withClientApp(simulator: WebServer | undefined): WebServer[] {
  const servers = simulator ? [simulator] : [];
  // E2E_CLIENT_APP=off: API-only runs (verify:harness runs several side by side) leave the client app's fixed port alone;
  // so does a run whose --project list leaves out e2e.
  if (clientApp.ok && process.env.E2E_CLIENT_APP !== 'off' && runIncludesE2e(process.argv)) {
    servers.push({
      // Node with tsx's loader, not `npx tsx`: half the start-up time, and one process for Playwright to stop.
      command: 'node --import tsx e2e/client-app/main.ts', // reads the same TARGET_PROFILE
      url: `${clientApp.origin}/health?loginApi=${encodeURIComponent(profile.baseUrl)}`,
      reuseExistingServer: !process.env.CI,
      timeout: 30_000,
      stdout: 'ignore',
      stderr: 'pipe',
    });
  }
  return servers;
}

/** `--defect <name>` for the simulator command line; the name goes into a shell command, so only kebab-case passes. */
function simDefectFlag(name: string | undefined): string {
  if (!name) return '';
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`SIM_DEFECT: "${name}" is not a defect name (see npm run sim -- --list-defects)`);
  return ` --defect ${name}`;
}

/**
 * SIM_SOCIAL_TOKEN_TTL=<s>, SIM_EPIC_CODES_SINGLE_USE=1 and SIM_FACEBOOK_TEST_USERS_PAUSED=1 start the simulator with
 * credentials that live as real ones do (`npm run sim -- --help`), as `npm start`'s --sim-social-token-ttl,
 * --sim-epic-codes-single-use and --sim-facebook-test-users-paused do for the simulator it starts.
 */
function simCredentialFlags(env: NodeJS.ProcessEnv): string {
  const flags: string[] = [];
  const ttl = env.SIM_SOCIAL_TOKEN_TTL;
  if (ttl !== undefined && ttl !== '') {
    // The value goes into a shell command: only a positive number passes.
    if (!/^\d+(\.\d+)?$/.test(ttl) || Number(ttl) <= 0) throw new Error(`SIM_SOCIAL_TOKEN_TTL: expected seconds (a number > 0), got "${ttl}"`);
    flags.push(`--social-token-ttl ${ttl}`);
  }
  if (env.SIM_EPIC_CODES_SINGLE_USE === '1') flags.push('--epic-codes-single-use');
  if (env.SIM_FACEBOOK_TEST_USERS_PAUSED === '1') flags.push('--facebook-test-users-paused');
  return flags.map((f) => ` ${f}`).join('');
}

export default defineConfig({
  timeout: 30_000,
  expect: { timeout: 5_000 },
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: process.env.PW_WORKERS ? Number(process.env.PW_WORKERS) : 2,
  outputDir: 'test-results',
  reporter: [
    // First: redacts errors, text attachments and trace archives in place before any other reporter reads them.
    ['./lib/redacting-reporter.ts'],
    [process.env.CI ? 'line' : 'list'],
    ['allure-playwright', { resultsDir, detail: false, suiteTitle: false }],
  ],
  use: {
    trace: 'retain-on-failure',
  },
  // Probe the target (an unreachable one fails the run at once, naming its URL) and fix the faker seed.
  globalSetup: ['./lib/global-setup.ts'],
  webServer: withClientApp(
    profile.kind === 'simulator'
      ? {
          // SIM_DEFECT starts the simulator with one documented rule broken, SIM_QUIRK with conforming quirks
          // (`npm run verify:harness` sets them).
          command: `npx tsx sim/main.ts --port ${simPort}${simDefectFlag(process.env.SIM_DEFECT)}${simQuirks ? ` --quirk ${simQuirks}` : ''}${simCredentialFlags(process.env)}`,
          url: `${new URL(profile.baseUrl).origin}/_sim/health`,
          // `npm start` runs one simulator for every stage and says so; otherwise CI always starts a fresh one.
          reuseExistingServer: !process.env.CI || process.env.SIMULATOR_ALREADY_RUNNING === '1',
          timeout: 30_000,
          stdout: 'ignore',
          stderr: 'pipe',
        }
      : undefined),
  projects: [
    // No traces for the API suites: a trace records request bodies (social tokens) unredacted; each test attaches
    // its requests and responses, redacted, to the report instead.
    { name: 'conformance', testDir: './conformance', testMatch: '**/*.spec.ts', use: { trace: 'off' } },
    {
      name: 'e2e',
      testDir: './e2e',
      testMatch: '**/*.spec.ts',
      use: {
        browserName: 'chromium',
        // A missing browser fails the e2e tests with the install hint (e2e/fixtures.ts), not Playwright's download advice.
        launchOptions: { executablePath: chromium.found ? chromium.path : undefined, args: [...CHROMIUM_ARGS] },
        ...(clientApp.ok ? { baseURL: clientApp.origin } : {}),
        // On failure: the trace (DOM snapshots, network) and a small video; the trace's own film strip would only
        // repeat the video at a CPU cost every passing test pays too.
        trace: { mode: 'retain-on-failure', screenshots: false, snapshots: true, sources: true },
        video: video.ok ? { mode: 'retain-on-failure', size: { width: 640, height: 360 } } : 'off',
      },
    },
    // `npm run bench:failing` only: its generated spec of failing tests with no project imports, run under this same
    // config (reporters, global setup, workers) as the floor a failing conformance run is measured against.
    ...(process.env.BENCH_BARE_DIR ? [{ name: 'bare', testDir: process.env.BENCH_BARE_DIR, testMatch: '**/*.spec.ts', use: { trace: 'off' as const } }] : []),
  ],
});
