import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PROJECT_ROOT } from '../../lib/profile.ts';
import { EPIC_TEST_ACCOUNT, FACEBOOK_TEST_APP, TEST_ACCOUNTS_BEARER } from '../../sim/seed.ts';
import { MULTI, PROJECT, b64, qs, simulator } from '../sim-helpers.ts';

/**
 * The example credential sources (targets/credential-sources/) run as a profile runs them: `npx tsx <file>` as a
 * child process, working directory the profile's folder, SIM_SOCIAL_URL pointing at the simulator's fake networks.
 * What they print signs in over HTTP; a wrong secret makes them fail without printing it. And the simulator's
 * lifetime options, seen from the Login API: an expired or spent credential is refused as any refused token.
 */

const TARGETS = join(PROJECT_ROOT, 'targets');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Node with tsx's loader: what `npx tsx` runs, without npm's start-up on every call (one test runs the documented
 * `npx tsx` command itself).
 */
function runSource(file: string, env: Record<string, string>, args: string[] = [], viaNpx = false): Promise<Run> {
  const [command, ...prefix] = viaNpx ? ['npx', 'tsx'] : [process.execPath, '--import', 'tsx'];
  return new Promise((resolve) => {
    execFile(command!, [...prefix, join('credential-sources', file), ...args], { cwd: TARGETS, env: { ...process.env, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

type Sim = Awaited<ReturnType<typeof simulator>>;

const jwtLogin = (sim: Sim, provider: string, credential: Record<string, unknown>) =>
  sim.call('POST', `/social/${provider}/login_with_token?${qs({ projectId: PROJECT })}`, { json: credential });
const crossAuth = (sim: Sim, platform: string, params: Record<string, string | undefined>) =>
  sim.call('GET', `/oauth2/social/${platform}/cross_auth?${qs({ client_id: String(MULTI.clientId), response_type: 'code', state: 'state-123456', redirect_uri: MULTI.redirectUris[0], is_redirect: 'false', ...params })}`);

/** The profile's account format to the request body of the JWT login. */
const wire = (account: Record<string, string>): Record<string, string> => ({
  access_token: account.accessToken!,
  ...(account.accessTokenSecret ? { access_token_secret: account.accessTokenSecret } : {}),
  ...(account.openid ? { openid: account.openid } : {}),
});

describe('example credential sources against the simulator', () => {
  let sim: Sim;
  let env: Record<string, string>;
  // Credentials that live as real ones: the sources must hand out fresh ones.
  before(async () => {
    sim = await simulator({ socialTokenTtlSeconds: 600, epicCodesSingleUse: true });
    env = { SIM_SOCIAL_URL: sim.socialUrl };
  });
  after(() => sim.close());

  test('the health check and the start line name the fake networks for sources to find', async () => {
    const health = await fetch(`${new URL(sim.url).origin}/_sim/health`);
    assert.equal((await health.json() as { social_url: string }).social_url, sim.socialUrl);
  });

  test('facebook-test-users (run as documented, npx tsx): creates what is missing, then reuses; its tokens sign in with the JWT login', async () => {
    const facebook = { ...env, FACEBOOK_APP_ID: FACEBOOK_TEST_APP.appId, FACEBOOK_APP_SECRET: FACEBOOK_TEST_APP.appSecret, FACEBOOK_TEST_USERS: '2' };
    const first = await runSource('facebook-test-users.ts', facebook, [], true);
    assert.equal(first.code, 0, first.stderr);
    const accounts = JSON.parse(first.stdout) as { accessToken: string }[];
    assert.equal(accounts.length, 2);
    for (const account of accounts) {
      assert.deepEqual(Object.keys(account), ['accessToken']);
      const res = await jwtLogin(sim, 'facebook', wire(account));
      assert.equal(res.status, 200, res.text);
    }
    // A second run creates nobody: the app still has 2 test users, listed with fresh tokens.
    const again = await runSource('facebook-test-users.ts', facebook);
    assert.equal(again.code, 0, again.stderr);
    const listed = await fetch(`${sim.socialUrl}/facebook/graph/${FACEBOOK_TEST_APP.appId}/accounts?access_token=${encodeURIComponent(`${FACEBOOK_TEST_APP.appId}|${FACEBOOK_TEST_APP.appSecret}`)}`);
    assert.equal(((await listed.json()) as { data: unknown[] }).data.length, 2);
    for (const account of JSON.parse(again.stdout) as { accessToken: string }[]) assert.equal((await jwtLogin(sim, 'facebook', wire(account))).status, 200);
  });

  test('facebook-test-users: creation not allowed and none exist is an error; fewer than asked is a warning', async () => {
    const paused = await simulator({ facebookTestUsersPaused: true });
    try {
      const facebook = { SIM_SOCIAL_URL: paused.socialUrl, FACEBOOK_APP_ID: FACEBOOK_TEST_APP.appId, FACEBOOK_APP_SECRET: FACEBOOK_TEST_APP.appSecret };
      const none = await runSource('facebook-test-users.ts', facebook);
      assert.equal(none.code, 1);
      assert.match(none.stderr, /could not create a test user .*code 2\b/);
      assert.match(none.stderr, /^facebook-test-users: the app has no test user with an access token$/m);
      assert.equal(none.stdout, '');
    } finally {
      await paused.close();
    }
    const fewer = await runSource('facebook-test-users.ts', { ...env, FACEBOOK_APP_ID: FACEBOOK_TEST_APP.appId, FACEBOOK_APP_SECRET: FACEBOOK_TEST_APP.appSecret, FACEBOOK_TEST_USERS: '5', FACEBOOK_CREATE_TEST_USERS: 'false' });
    assert.equal(fewer.code, 0, fewer.stderr);
    assert.match(fewer.stderr, /warning: 5 accounts asked for, 2 available/);
    assert.equal((JSON.parse(fewer.stdout) as unknown[]).length, 2);
  });

  test('epic-exchange-code: a fresh code per call, each accepted once by cross_auth', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 2; i++) {
      const run = await runSource('epic-exchange-code.ts', { ...env, EPIC_ACCESS_TOKEN: EPIC_TEST_ACCOUNT.accessToken, EPIC_DEPLOYMENT_ID: 'sim-deployment-0001' });
      assert.equal(run.code, 0, run.stderr);
      const account = JSON.parse(run.stdout) as { code: string; deploymentId: string };
      assert.deepEqual(Object.keys(account), ['code', 'deploymentId']);
      codes.push(account.code);
    }
    assert.notEqual(codes[0], codes[1]);
    for (const code of codes) {
      const res = await crossAuth(sim, 'epicgames', { code, deployment_id: 'sim-deployment-0001' });
      assert.equal(res.status, 200, res.text);
      assert.ok(new URL(res.body.login_url).searchParams.get('code'));
    }
  });

  test('generic-test-account: an account per provider, accepted by the JWT login or cross_auth', async () => {
    const generic = { ...env, TEST_ACCOUNT_TOKEN: TEST_ACCOUNTS_BEARER };
    for (const provider of ['google', 'twitter', 'wechat']) {
      const run = await runSource('generic-test-account.ts', generic, [provider]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal((await jwtLogin(sim, provider, wire(JSON.parse(run.stdout)))).status, 200, provider);
    }
    const steam = await runSource('generic-test-account.ts', { ...generic, TEST_ACCOUNT_COUNT: '2' }, ['steam']);
    assert.equal(steam.code, 0, steam.stderr);
    const tickets = JSON.parse(steam.stdout) as { sessionTicket: string; appId: string }[];
    assert.equal(tickets.length, 2);
    for (const t of tickets) assert.equal((await crossAuth(sim, 'steam', { session_ticket: t.sessionTicket, app_id: t.appId })).status, 200);
  });

  test('a wrong secret: exit 1, one line on stderr naming the refusal, never the secret', async () => {
    const secret = 'wrong-secret-7f3a9c1e5b';
    const cases: [string, Record<string, string>, string[], RegExp][] = [
      ['facebook-test-users.ts', { FACEBOOK_APP_ID: FACEBOOK_TEST_APP.appId, FACEBOOK_APP_SECRET: secret }, [], /answered 400 \(code 190: Invalid OAuth access token signature\.\)/],
      ['epic-exchange-code.ts', { EPIC_ACCESS_TOKEN: secret }, [], /answered 401 \(errors\.com\.epicgames\.common\.authentication\.token_verification_failed/],
      ['generic-test-account.ts', { TEST_ACCOUNT_TOKEN: secret }, ['google'], /answered 401 \(Bearer error="invalid_token"\)/],
    ];
    for (const [file, extra, args, reason] of cases) {
      const run = await runSource(file, { ...env, ...extra }, args);
      assert.equal(run.code, 1, file);
      assert.equal(run.stdout, '', file);
      assert.match(run.stderr, reason, file);
      assert.equal(run.stderr.trim().split('\n').length, 1, `${file}: one line: ${run.stderr}`);
      assert.equal(run.stderr.includes(secret), false, `${file} printed the secret: ${run.stderr}`);
    }
    const missing = await runSource('epic-exchange-code.ts', { ...env, EPIC_ACCESS_TOKEN: '' });
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'epic-exchange-code: EPIC_ACCESS_TOKEN is not set\n');
  });
});

describe('lifetimes through the Login API', () => {
  test('--social-token-ttl: accepted (and remembered) before, refused after with the same answer as an unknown token', async () => {
    const sim = await simulator({ socialTokenTtlSeconds: 1 });
    try {
      const issued = await fetch(`${sim.socialUrl}/test-accounts/google`, { method: 'POST', headers: { authorization: `Bearer ${TEST_ACCOUNTS_BEARER}` } });
      const { accessToken } = (await issued.json()) as { accessToken: string };
      // Twice: the second answer may come from the simulator's cache of accepted credentials.
      assert.equal((await jwtLogin(sim, 'google', { access_token: accessToken })).status, 200);
      assert.equal((await jwtLogin(sim, 'google', { access_token: accessToken })).status, 200);
      await new Promise((r) => setTimeout(r, 1100));
      const expired = await jwtLogin(sim, 'google', { access_token: accessToken });
      const unknown = await jwtLogin(sim, 'google', { access_token: 'sim-google-' });
      assert.equal(expired.status, 422);
      assert.deepEqual(expired.body, unknown.body);
      // Template tokens count as issued when the simulator started: more than 1 s ago now.
      assert.deepEqual((await jwtLogin(sim, 'google', { access_token: 'sim-google-alice' })).body, unknown.body);
    } finally {
      await sim.close();
    }
  });

  test('--epic-codes-single-use: cross_auth accepts a code once, then refuses it as any refused code', async () => {
    const sim = await simulator({ epicCodesSingleUse: true });
    try {
      const code = 'sim-epicgames-once';
      assert.equal((await crossAuth(sim, 'epicgames', { code })).status, 200);
      const again = await crossAuth(sim, 'epicgames', { code });
      const wrong = await crossAuth(sim, 'epicgames', { code: 'not-a-code' });
      assert.equal(again.status, 422);
      assert.deepEqual(again.body, wrong.body);
    } finally {
      await sim.close();
    }
  });

  test('default options: a template token and a reused Epic code still sign in, as before', async () => {
    const sim = await simulator();
    try {
      for (let i = 0; i < 2; i++) {
        assert.equal((await jwtLogin(sim, 'google', { access_token: 'sim-google-alice' })).status, 200);
        assert.equal((await crossAuth(sim, 'epicgames', { code: 'sim-epicgames-alice' })).status, 200);
        assert.equal((await crossAuth(sim, 'xbox', { session_ticket: b64('sim-xbox-alice') })).status, 200);
      }
    } finally {
      await sim.close();
    }
  });
});
