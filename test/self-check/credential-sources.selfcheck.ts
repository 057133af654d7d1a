import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { request as httpRequest, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { PROJECT_ROOT } from '../../lib/profile.ts';
import { CREDENTIALS_REFUSED_TAG } from '../../lib/report-labels.ts';
import { runPlaywright, type JsonReport, type JsonSuite } from '../../scripts/verify-harness/playwright-run.ts';
import { freePort } from '../../lib/listening.ts';
import { writeProfile } from '../../scripts/verify-harness/target-profiles.ts';
import { startSimulator } from '../../sim/server.ts';

/**
 * Credential sources through Playwright against the simulator: a profile whose facebook accounts come from a `once`
 * source and whose Epic Games codes come from a `perTest` source (test/fixtures/credential-sources/sim-accounts.mjs
 * prints the simulator's valid forms). Its tests pass; the once source ran once for every worker; the credential
 * check took a fresh Epic code of its own. Then the same with both sources broken: only their tests are skipped,
 * each with the reason, the message is printed once, each gets one broken "Credentials refused" result, nothing
 * fails, and the secret the failing source had in its environment appears nowhere.
 */

const OUT = join(PROJECT_ROOT, 'reports/out/credential-sources-selfcheck');
const FILES = ['conformance/jwt-login.spec.ts', 'conformance/cross-auth.spec.ts'];

interface TestOutcome {
  title: string;
  status: string;
  skipReasons: string[];
}

type SpecWithAnnotations = NonNullable<JsonSuite['specs']>[number] & { tests: { status: string; annotations?: { type: string; description?: string }[] }[] };

function outcomes(reportPath: string): TestOutcome[] {
  const out: TestOutcome[] = [];
  const walk = (suite: JsonSuite, path: string[]): void => {
    const here = suite.title && suite.title !== suite.file ? [...path, suite.title] : path;
    for (const spec of (suite.specs ?? []) as SpecWithAnnotations[]) {
      for (const t of spec.tests) {
        out.push({ title: [...here, spec.title].join(' › '), status: t.status, skipReasons: (t.annotations ?? []).filter((a) => a.type === 'skip').map((a) => a.description ?? '') });
      }
    }
    for (const child of suite.suites ?? []) walk(child, here);
  };
  for (const suite of (JSON.parse(readFileSync(reportPath, 'utf8')) as JsonReport).suites ?? []) walk(suite, []);
  return out;
}

function credentialResults(dir: string): { status: string; message: string; story: string }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('-result.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as { status: string; statusDetails?: { message?: string }; labels: { name: string; value: string }[] })
    .filter((r) => r.labels.some((l) => l.name === 'tag' && l.value === CREDENTIALS_REFUSED_TAG))
    .map((r) => ({ status: r.status, message: r.statusDetails?.message ?? '', story: r.labels.find((l) => l.name === 'story')?.value ?? '' }));
}

async function runWith(name: string, sources: { facebook: unknown; epicgames: unknown; newEpicgames: unknown }, env: Record<string, string> = {}) {
  const dir = join(OUT, name);
  const profile = writeProfile(dir, await freePort(), (doc) => {
    const templates = doc.credentialTemplates as Record<string, unknown>;
    const credentials = doc.credentials as Record<string, unknown>;
    // Without templates the harness cannot mint these: every account of them comes from the source.
    delete templates.facebook;
    delete templates.epicgames;
    credentials.facebook = sources.facebook;
    credentials.epicgames = sources.epicgames;
    doc.newPlatformUsers = { epicgames: sources.newEpicgames };
  });
  const resultsDir = join(dir, 'allure-results');
  const outcome = await runPlaywright({
    project: 'conformance', outDir: dir, files: FILES, grep: 'facebook|epicgames|google', workers: 2, timeoutMs: 5 * 60_000,
    env: { TARGET_PROFILE: profile, ALLURE_RESULTS_DIR: resultsDir, E2E_CLIENT_APP: 'off', ...env },
  });
  const tests = outcomes(join(dir, 'report.json'));
  const log = readFileSync(outcome.logPath, 'utf8');
  return { outcome, tests, log, results: credentialResults(resultsDir), dir };
}

// "unknown platform \"facebook\" is refused" names facebook but signs in with no facebook account.
const ofProvider = (tests: TestOutcome[], provider: string): TestOutcome[] => tests.filter((t) => new RegExp(`\\b${provider}\\b`).test(t.title) && !t.title.includes('unknown platform'));

/**
 * A proxy in front of the fake networks that counts the calls of their test-account APIs: the shipped sources call
 * it (SIM_SOCIAL_URL), the simulator's Login API checks tokens with the networks directly.
 */
async function countingProxy(target: string): Promise<{ url: string; calls: Map<string, number>; close(): Promise<void> }> {
  const calls = new Map<string, number>();
  const server = createServer((req, res) => {
    const key = `${req.method} ${new URL(req.url ?? '/', 'http://proxy.invalid').pathname}`;
    calls.set(key, (calls.get(key) ?? 0) + 1);
    const upstream = httpRequest(new URL(req.url ?? '/', target), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.once('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test('the shipped example sources against a simulator whose credentials expire and whose Epic codes work once', { timeout: 6 * 60_000 }, async () => {
  rmSync(OUT, { recursive: true, force: true });
  // Credentials that live as real ones do: long enough for this run; an Epic code spent twice would be refused.
  const sim = await startSimulator({ port: 0, socialTokenTtlSeconds: 600, epicCodesSingleUse: true });
  const proxy = await countingProxy(sim.socialUrl);
  try {
    const dir = join(OUT, 'shipped');
    // As a QA engineer writes it for a profile outside targets/: the script's path from the profile's folder.
    const script = (name: string): string => relative(dir, join(PROJECT_ROOT, 'targets/credential-sources', name));
    const profile = writeProfile(dir, sim.port, (doc) => {
      const templates = doc.credentialTemplates as Record<string, unknown>;
      const credentials = doc.credentials as Record<string, unknown>;
      // Without templates the harness cannot mint these: every account of them comes from the sources.
      for (const provider of ['facebook', 'epicgames', 'google']) delete templates[provider];
      credentials.facebook = {
        command: ['npx', 'tsx', script('facebook-test-users.ts')], run: 'once', timeoutSeconds: 60,
        env: { FACEBOOK_APP_ID: '900000000000001', FACEBOOK_APP_SECRET: { env: 'SELFCHECK_FACEBOOK_APP_SECRET' }, FACEBOOK_TEST_USERS: '2' },
      };
      credentials.epicgames = {
        command: ['npx', 'tsx', script('epic-exchange-code.ts')], run: 'perTest', timeoutSeconds: 60,
        env: { EPIC_ACCESS_TOKEN: { env: 'SELFCHECK_EPIC_ACCESS_TOKEN' }, EPIC_DEPLOYMENT_ID: 'sim-deployment-0001' },
      };
      credentials.google = {
        command: ['npx', 'tsx', script('generic-test-account.ts'), 'google'], run: 'once', timeoutSeconds: 60,
        env: { TEST_ACCOUNT_TOKEN: { env: 'SELFCHECK_TEST_ACCOUNT_TOKEN' }, TEST_ACCOUNT_COUNT: '2' },
      };
      // Every code of the fake Epic signs in one account, as a real Epic test account's do: users that have never
      // signed in come from the plain test-account API, four codes of one new user each (one per sign-in of the
      // no_user_creation=true test: a code works once).
      doc.newPlatformUsers = {
        epicgames: {
          command: ['npx', 'tsx', script('generic-test-account.ts'), 'epicgames'], run: 'perTest', timeoutSeconds: 60,
          env: { TEST_ACCOUNT_TOKEN: { env: 'SELFCHECK_TEST_ACCOUNT_TOKEN' }, TEST_ACCOUNT_QUERY: 'credentials=4' },
        },
      };
    });
    const resultsDir = join(dir, 'allure-results');
    const outcome = await runPlaywright({
      project: 'conformance', outDir: dir, files: FILES, grep: 'facebook|epicgames|google', workers: 2, timeoutMs: 5 * 60_000,
      env: {
        TARGET_PROFILE: profile, ALLURE_RESULTS_DIR: resultsDir, E2E_CLIENT_APP: 'off', SIMULATOR_ALREADY_RUNNING: '1', SIM_SOCIAL_URL: proxy.url,
        // The fake platforms' throwaway secrets (sim/seed.ts), passed as a CI job passes the real ones.
        SELFCHECK_FACEBOOK_APP_SECRET: 'sim-facebook-app-secret', SELFCHECK_EPIC_ACCESS_TOKEN: 'sim-epic-account-access-token', SELFCHECK_TEST_ACCOUNT_TOKEN: 'sim-test-accounts-secret',
      },
    });
    const tests = outcomes(join(dir, 'report.json'));
    const log = readFileSync(outcome.logPath, 'utf8');
    process.stdout.write(`shipped sources: exit ${outcome.exitCode}, ${outcome.passed} passed, ${outcome.failed.length} failed, ${outcome.skipped} skipped in ${outcome.seconds.toFixed(1)} s; test-account API calls ${JSON.stringify(Object.fromEntries(proxy.calls))}\n`);
    assert.equal(outcome.failed.length, 0, `failed: ${outcome.failed.map((f) => `${f.title}: ${f.reason}`).join('\n')}`);
    assert.deepEqual(outcome.errors, []);
    assert.equal(outcome.exitCode, 0);
    for (const provider of ['facebook', 'google', 'epicgames']) {
      const mine = ofProvider(tests, provider);
      assert.ok(mine.length > 0, provider);
      assert.deepEqual(mine.filter((t) => t.status !== 'expected').map((t) => t.title), [], `every ${provider} test passed with the sources' accounts`);
    }
    // The once sources ran once for the credential check and both workers: one listing of the test users (two created
    // on this fresh simulator), two generic accounts.
    assert.equal(proxy.calls.get('GET /facebook/graph/900000000000001/accounts'), 1, 'the facebook source ran once');
    assert.equal(proxy.calls.get('POST /test-accounts/google'), 2, 'the generic source ran once (two accounts)');
    // A fresh code for each Epic test that took one, and one for the credential check: none was shown twice (the
    // simulator refuses a spent code), none was spent on the check.
    // (the no_user_creation tests take a new user's codes from newPlatformUsers' own source: one call each.)
    const tookCode = ofProvider(tests, 'epicgames').filter((t) => !t.title.includes('no_user_creation=')).length;
    assert.equal(proxy.calls.get('POST /test-accounts/epicgames'), 2, 'one new Epic user (four codes) for each no_user_creation test');
    const noUserCreation = tests.find((t) => t.title.includes('cross_auth epicgames') && t.title.includes('no_user_creation=true'));
    assert.equal(noUserCreation?.status, 'expected', 'no_user_creation=true passes with four codes of one new user, each used once');
    assert.equal(proxy.calls.get('GET /epicgames/account/api/oauth/exchange'), tookCode + 1, 'one exchange code per test that took one, plus the check');
    assert.match(log, /credential check: accepted: .*facebook/);
    assert.deepEqual(credentialResults(resultsDir), [], 'no credentials refused');
  } finally {
    await proxy.close();
    await sim.close();
  }
});

test('broken credential sources: only their providers\' tests are skipped, with the reason, once; one broken result each', { timeout: 6 * 60_000 }, async () => {
  const secret = `src-secret-${process.pid}-never-shown`;
  const { outcome, tests, log, results, dir } = await runWith('broken', {
    facebook: { command: [process.execPath, '-e', 'console.error("facebook test users API: token " + process.env.FB_APP_TOKEN + " expired"); process.exit(1)'], env: { FB_APP_TOKEN: { env: 'SELFCHECK_FB_APP_TOKEN' } } },
    epicgames: { command: [process.execPath, '-e', 'process.stdout.write(JSON.stringify({ exchangeCode: "x" }))'], run: 'perTest' },
    newEpicgames: { command: [process.execPath, '-e', 'process.stdout.write(JSON.stringify({ exchangeCode: "x" }))'], run: 'perTest' },
  }, { SELFCHECK_FB_APP_TOKEN: secret });
  process.stdout.write(`broken sources: exit ${outcome.exitCode}, ${outcome.passed} passed, ${outcome.failed.length} failed, ${outcome.skipped} skipped\n`);
  assert.equal(outcome.failed.length, 0, `failed: ${outcome.failed.map((f) => `${f.title}: ${f.reason}`).join('\n')}`);
  assert.deepEqual(outcome.errors, []);
  const facebook = ofProvider(tests, 'facebook');
  const epic = ofProvider(tests, 'epicgames');
  assert.ok(facebook.length > 0 && epic.length > 0);
  for (const t of facebook) {
    assert.equal(t.status, 'skipped', t.title);
    assert.match(t.skipReasons.join(' '), /^facebook: the credential source of credentials\.facebook \(`.* -e .*`\) exited with code 1: stderr: facebook test users API: token \[REDACTED\] expired$/, t.title);
  }
  for (const t of epic) {
    assert.equal(t.status, 'skipped', t.title);
    assert.match(t.skipReasons.join(' '), /^epicgames: the credential source of (credentials|newPlatformUsers)\.epicgames .* printed a wrong account: exchangeCode is not a known field \(misspelt\?\)$/, t.title);
  }
  assert.ok(ofProvider(tests, 'google').some((t) => t.status === 'expected'), 'the other providers ran');
  assert.equal(log.split('facebook: the credential source of credentials.facebook').length - 1, 1, 'the message is printed once per run');
  assert.deepEqual(results.map((r) => [r.story, r.status]).sort(), [['epicgames', 'broken'], ['facebook', 'broken']]);
  // Nothing the run left shows the secret the failing source had in its environment.
  const leaks = readdirSync(dir, { recursive: true }).map(String).filter((f) => {
    const path = join(dir, f);
    try {
      return readFileSync(path, 'utf8').includes(secret);
    } catch {
      return false;
    }
  });
  assert.deepEqual(leaks, []);
});

/** A run against a simulator started here, with the profile `change` makes of the simulator's. */
async function runAgainst(name: string, change: (doc: Record<string, unknown>) => void, env: Record<string, string>) {
  const sim = await startSimulator({ port: 0 });
  try {
    const dir = join(OUT, name);
    const profile = writeProfile(dir, sim.port, change);
    const resultsDir = join(dir, 'allure-results');
    const outcome = await runPlaywright({
      project: 'conformance', outDir: dir, files: ['conformance/jwt-login.spec.ts'], grep: 'facebook|google', workers: 2, timeoutMs: 5 * 60_000,
      env: { TARGET_PROFILE: profile, ALLURE_RESULTS_DIR: resultsDir, E2E_CLIENT_APP: 'off', SIMULATOR_ALREADY_RUNNING: '1', ...env },
    });
    return { outcome, tests: outcomes(join(dir, 'report.json')), log: readFileSync(outcome.logPath, 'utf8'), results: credentialResults(resultsDir) };
  } finally {
    await sim.close();
  }
}

/** A profile with facebook's account a token the simulator's network refuses (an expired one, as far as it knows). */
const expiredFacebook = (kind: 'remote' | 'simulator') => (doc: Record<string, unknown>): void => {
  doc.kind = kind;
  const templates = doc.credentialTemplates as Record<string, unknown>;
  if (kind === 'remote') doc.credentialTemplates = {};
  else delete templates.facebook;
  (doc.credentials as Record<string, unknown>).facebook = [{ accessToken: { env: 'SELFCHECK_FB_TOKEN_1' } }];
};

test('an account the network refuses before the suites: its provider\'s tests skipped, one broken "Credentials refused" result naming its variable', { timeout: 6 * 60_000 }, async () => {
  const { outcome, tests, results } = await runAgainst('refused', expiredFacebook('remote'), { SELFCHECK_FB_TOKEN_1: 'expired-facebook-token-0001' });
  process.stdout.write(`refused account: exit ${outcome.exitCode}, ${outcome.passed} passed, ${outcome.failed.length} failed, ${outcome.skipped} skipped\n`);
  assert.equal(outcome.failed.length, 0, `failed: ${outcome.failed.map((f) => `${f.title}: ${f.reason}`).join('\n')}`);
  const facebook = ofProvider(tests, 'facebook');
  assert.ok(facebook.length > 0);
  for (const t of facebook) {
    assert.equal(t.status, 'skipped', t.title);
    assert.match(t.skipReasons.join(' '), /^facebook: the account from SELFCHECK_FB_TOKEN_1 was refused \(4\d\d( \d{3}-\d{3})?\): renew it, or the server refuses valid credentials$/);
  }
  assert.ok(ofProvider(tests, 'google').some((t) => t.status === 'expected'), 'google\'s account signs in: its tests ran');
  assert.equal(results.length, 1);
  assert.equal(results[0]!.status, 'broken');
  assert.match(results[0]!.message, /^facebook: the account from SELFCHECK_FB_TOKEN_1 was refused \(4\d\d( \d{3}-\d{3})?\): renew it, or the server refuses valid credentials$/);
});

test('on the simulator a refused account skips nothing: the server refusing valid credentials fails its tests', { timeout: 6 * 60_000 }, async () => {
  const { outcome, tests, log, results } = await runAgainst('refused-on-simulator', expiredFacebook('simulator'), { SELFCHECK_FB_TOKEN_1: 'expired-facebook-token-0002' });
  process.stdout.write(`refused on the simulator: exit ${outcome.exitCode}, ${outcome.passed} passed, ${outcome.failed.length} failed, ${outcome.skipped} skipped\n`);
  assert.ok(outcome.failed.some((f) => f.title.includes('facebook')), 'the facebook sign-in test failed');
  assert.equal(ofProvider(tests, 'facebook').filter((t) => t.status === 'skipped').length, 0);
  assert.deepEqual(results, [], 'no "Credentials refused" result: the defect is reported by its tests');
  assert.match(log, /credential check: facebook: the account from SELFCHECK_FB_TOKEN_1 was refused .* its tests run and report the defect/);
});
