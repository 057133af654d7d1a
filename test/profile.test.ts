import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { ANSWERS, ANSWER_CASES } from '../contract/index.ts';
import { CLIENTS, EPIC_DEPLOYMENT_IDS, MAIN_PROJECT_ID, PROJECTS, RATE_LIMIT_PER_SECOND, RATE_LIMIT_PROJECT_ID, STEAM_APP_IDS } from '../sim/seed.ts';
import { mintAccount } from '../lib/credentials.ts';
import { DEFAULT_PROFILE_PATH, PROJECT_ROOT, ProfileError, UNPINNED_EXPECTATION, loadProfile } from '../lib/profile.ts';

const dir = mkdtempSync(join(tmpdir(), 'profile-test-'));
const simulatorProfile = JSON.parse(readFileSync(DEFAULT_PROFILE_PATH, 'utf8')) as Record<string, any>;

function write(name: string, value: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

const variant = (patch: (p: Record<string, any>) => void): string => {
  const copy = structuredClone(simulatorProfile);
  copy.expectations = resolve(PROJECT_ROOT, 'targets/expectations/simulator.json');
  patch(copy);
  return write(`p-${Math.random()}.json`, copy);
};

const failsWith = (file: string, field: string, reason: RegExp, env: NodeJS.ProcessEnv = {}): void => {
  assert.throws(() => loadProfile(file, env), (error: unknown) => {
    assert.ok(error instanceof ProfileError, String(error));
    assert.equal(error.field, field);
    assert.match(error.reason, reason);
    assert.ok(error.message.includes(file), 'message names the file');
    return true;
  });
};

test('the simulator profile loads and mirrors the simulator seed', () => {
  const p = loadProfile(DEFAULT_PROFILE_PATH, {});
  assert.equal(p.kind, 'simulator');
  assert.equal(p.projectId, MAIN_PROJECT_ID);
  for (const key of ['multiRedirect', 'singleRedirect'] as const) {
    const seed = CLIENTS.find((c) => c.clientId === p.oauth[key].clientId);
    assert.ok(seed, `${key} client exists in the simulator`);
    assert.equal(seed.clientSecret, p.oauth[key].clientSecret);
    assert.deepEqual([...seed.redirectUris], p.oauth[key].redirectUris);
    assert.equal(seed.projectId, MAIN_PROJECT_ID);
  }
  assert.equal(p.rateLimit?.projectId, RATE_LIMIT_PROJECT_ID);
  assert.equal(p.rateLimit?.expectedPerSecond, RATE_LIMIT_PER_SECOND);
  const rlClient = CLIENTS.find((c) => c.clientId === p.rateLimit?.client.clientId);
  assert.equal(rlClient?.projectId, RATE_LIMIT_PROJECT_ID);
  assert.ok(PROJECTS.some((x) => x.projectId === RATE_LIMIT_PROJECT_ID && x.ratePerSecond === RATE_LIMIT_PER_SECOND));
  assert.ok(STEAM_APP_IDS.includes((p.credentials.steam![0] as { appId: string }).appId));
  assert.ok(EPIC_DEPLOYMENT_IDS.includes((p.credentials.epicgames![0] as { deploymentId: string }).deploymentId));
});

test('the simulator expectations file follows contract/answers.ts exactly', () => {
  const p = loadProfile(DEFAULT_PROFILE_PATH, {});
  for (const name of ANSWER_CASES) assert.deepEqual(p.expectations[name], { status: [ANSWERS[name].status], code: ANSWERS[name].code }, name);
});

test('secrets are collected for redaction, literal and from the environment', () => {
  const p = loadProfile(DEFAULT_PROFILE_PATH, {});
  assert.ok(p.secrets.includes('sim-client-secret-7001'));
  assert.ok(p.secrets.includes('sim-facebook-alice'));
  const file = variant((x) => { x.oauth.singleRedirect.clientSecret = { env: 'T_SECRET' }; });
  assert.ok(loadProfile(file, { T_SECRET: 'from-the-env-123' }).secrets.includes('from-the-env-123'));
});

test('a missing environment secret names the field and the variable', () => {
  const file = variant((x) => { x.oauth.singleRedirect.clientSecret = { env: 'NOT_SET_ANYWHERE' }; });
  failsWith(file, 'oauth.singleRedirect.clientSecret', /NOT_SET_ANYWHERE is not set/);
});

test('schema errors name the field and the reason', () => {
  failsWith(variant((x) => { delete x.projectId; }), 'projectId', /is required/);
  failsWith(variant((x) => { x.projectId = 'not-a-uuid'; }), 'projectId', /pattern/);
  failsWith(variant((x) => { x.baseUrl = 'ftp://x'; }), 'baseUrl', /pattern/);
  failsWith(variant((x) => { x.oauth.multiRedirect.clientId = '7001'; }), 'oauth.multiRedirect.clientId', /integer/);
  failsWith(variant((x) => { x.tiemouts = {}; }), 'tiemouts', /not a known field/);
  failsWith(variant((x) => { x.credentials.steam = [{ appId: '480' }]; }), 'credentials.steam[0].sessionTicket', /is required/);
});

test('rules the schema cannot say are checked too', () => {
  failsWith(variant((x) => { x.baseUrl = 'http://127.0.0.1:1/'; }), 'baseUrl', /must end in \/api/);
  failsWith(variant((x) => { x.oauth.multiRedirect.redirectUris = ['http://a/cb']; }), 'oauth.multiRedirect.redirectUris', /two or more/);
  failsWith(variant((x) => { x.oauth.singleRedirect.redirectUris = ['http://a/cb', 'http://b/cb']; }), 'oauth.singleRedirect.redirectUris', /exactly one/);
});

test('unreadable and malformed files are named', () => {
  failsWith(join(dir, 'does-not-exist.json'), '', /cannot be read \(ENOENT\)/);
  failsWith(write('broken.json', '{"name": "x",\n  "kind": }'), '', /not valid JSON: .* at line 2/);
});

test('an expectations file may leave cases out: they get the loose default, marked unpinned', () => {
  const exp = JSON.parse(readFileSync(resolve(PROJECT_ROOT, 'targets/expectations/simulator.json'), 'utf8'));
  delete exp.cases.rateLimited;
  delete exp.cases.socialNetworkUnavailable;
  const file = variant((x) => { x.expectations = write('exp-partial.json', exp); });
  const p = loadProfile(file, {});
  assert.deepEqual(p.expectations.socialNetworkUnavailable, { ...UNPINNED_EXPECTATION, unpinned: true });
  assert.deepEqual(p.expectations.rateLimited, { status: [429], code: null, unpinned: true });
  assert.equal(p.expectations.invalidParameter.unpinned, undefined, 'a listed case is pinned');
  // Every documented 4xx is in the default: a conforming answer never fails an unpinned case.
  for (const status of [400, 401, 404, 422]) assert.ok(UNPINNED_EXPECTATION.status.includes(status));
  assert.ok(!UNPINNED_EXPECTATION.status.includes(429));
});

test('an unknown expectations case is named with the nearest real one', () => {
  const exp = JSON.parse(readFileSync(resolve(PROJECT_ROOT, 'targets/expectations/simulator.json'), 'utf8'));
  exp.cases.rateLimitted = exp.cases.rateLimited;
  const expFile = write('exp-typo.json', exp);
  assert.throws(() => loadProfile(variant((x) => { x.expectations = expFile; }), {}), (error: unknown) => {
    // Named from the profile's side (its expectations field), then the file and the field inside it.
    assert.ok(error instanceof ProfileError, String(error));
    assert.equal(error.field, 'expectations');
    assert.ok(error.reason.startsWith(`expectations file ${expFile}: cases.rateLimitted: `), error.reason);
    assert.match(error.reason, /did you mean "rateLimited"/);
    return true;
  });
});

test('a missing expectations file is named as the expectations file, not as the profile', () => {
  assert.throws(() => loadProfile(variant((x) => { x.expectations = '/nonexistent/expectations.json'; }), {}), (error: unknown) => {
    assert.ok(error instanceof ProfileError, String(error));
    assert.equal(error.field, 'expectations');
    assert.match(error.message, /expectations: expectations file \/nonexistent\/expectations\.json: \(root\): cannot be read \(ENOENT\)/);
    return true;
  });
});

test('baseUrl may come from the environment, is not a secret, and is checked once resolved', () => {
  const file = variant((x) => { x.baseUrl = { env: 'T_LOGIN_BASE_URL' }; });
  const p = loadProfile(file, { T_LOGIN_BASE_URL: 'http://127.0.0.1:45678/api/' });
  assert.equal(p.baseUrl, 'http://127.0.0.1:45678/api');
  assert.ok(!p.secrets.some((s) => s.includes('45678')), 'the URL is shown in reports, never redacted');
  failsWith(file, 'baseUrl', /environment variable T_LOGIN_BASE_URL is not set/);
  failsWith(file, 'baseUrl', /must end in \/api/, { T_LOGIN_BASE_URL: 'http://127.0.0.1:45678/' });
  failsWith(file, 'baseUrl', /http\(s\) URL/, { T_LOGIN_BASE_URL: 'localhost:45678/api' });
});

test('sessionTicket is the Base64 text sent as session_ticket; a raw ticket is refused naming the field', () => {
  const raw = variant((x) => { x.credentials.steam = [{ sessionTicket: 'sim-steam-alice', appId: '480' }]; });
  failsWith(raw, 'credentials.steam[0].sessionTicket', /not standard Base64.*base64/);
  const urlSafe = variant((x) => { x.newPlatformUsers = { xbox: [{ sessionTicket: 'ab-_cd-_' }] }; });
  failsWith(urlSafe, 'newPlatformUsers.xbox[0].sessionTicket', /not standard Base64/);
  const fromEnv = variant((x) => { x.credentials.xbox = [{ sessionTicket: { env: 'T_XBOX_TICKET' } }]; });
  failsWith(fromEnv, 'credentials.xbox[0].sessionTicket', /not standard Base64/, { T_XBOX_TICKET: 'raw ticket' });
  assert.equal((loadProfile(fromEnv, { T_XBOX_TICKET: 'c2ltLXhib3gtYWxpY2U=' }).credentials.xbox![0] as { sessionTicket: string }).sessionTicket, 'c2ltLXhib3gtYWxpY2U=');
});

test('misspelt provider names fail, naming the field and the nearest valid name', () => {
  failsWith(variant((x) => { x.credentials.facebok = [{ accessToken: 't' }]; }), 'credentials.facebok', /"facebok" is not a provider the documents name; did you mean "facebook"\?/);
  failsWith(variant((x) => { x.credentials.qqmobile = [{ accessToken: 't' }]; }), 'credentials.qqmobile', /did you mean "qq_mobile"\?/);
  failsWith(variant((x) => { x.providers = ['google', 'facebok']; }), 'providers[1]', /did you mean "facebook"\?/);
  failsWith(variant((x) => { x.newPlatformUsers = { stean: [] }; }), 'newPlatformUsers.stean', /did you mean "steam"\?/);
  failsWith(variant((x) => { x.credentialTemplates.epic = { code: 'x-{id}' }; }), 'credentialTemplates.epic', /did you mean "epicgames"\?/);
});

test('defaultProvider picks the provider of provider-independent tests; without it, the first of providers with accounts', () => {
  const remote = (patch: (p: Record<string, any>) => void) => variant((x) => {
    delete x.credentialTemplates;
    x.kind = 'remote';
    x.credentials = { google: [{ accessToken: 'g1' }], twitter: [{ accessToken: 't1', accessTokenSecret: 's1' }] };
    patch(x);
  });
  assert.equal(loadProfile(remote((x) => { x.providers = ['facebook', 'twitter', 'google']; }), {}).defaultProvider, 'twitter', 'facebook has no accounts');
  assert.equal(loadProfile(remote((x) => { x.providers = ['facebook', 'twitter', 'google']; x.defaultProvider = 'google'; }), {}).defaultProvider, 'google');
  failsWith(remote((x) => { x.providers = ['google']; x.defaultProvider = 'twitter'; }), 'defaultProvider', /not in providers/);
  failsWith(remote((x) => { x.providers = ['facebook', 'google']; x.defaultProvider = 'facebook'; }), 'defaultProvider', /no accounts: add one under credentials.facebook/);
  failsWith(remote((x) => { x.defaultProvider = 'steam'; }), 'defaultProvider', /cross_auth platform/);
  assert.equal(loadProfile(remote((x) => { x.providers = ['facebook']; }), {}).defaultProvider, undefined);
  assert.equal(loadProfile(DEFAULT_PROFILE_PATH, {}).defaultProvider, 'xsolla', 'the simulator: first of the documents\' list');
});

test('an Epic Games account needs code only: deployment_id is not required by the documents', () => {
  const p = loadProfile(variant((x) => { x.credentials.epicgames = [{ code: 'sim-epicgames-alice' }]; }), {});
  assert.deepEqual(p.credentials.epicgames, [{ code: 'sim-epicgames-alice' }]);
  failsWith(variant((x) => { x.credentials.epicgames = [{ deploymentId: 'd' }]; }), 'credentials.epicgames[0].code', /is required/);
});

test('the commented example profile for a real project parses and validates once its secrets are set', () => {
  const env: NodeJS.ProcessEnv = {};
  // Values as a QA engineer would set them: Base64 for session tickets, a URL for the base URL.
  for (const name of readFileSync(resolve(PROJECT_ROOT, 'targets/staging.example.jsonc'), 'utf8').matchAll(/"env": "([A-Z0-9_]+)"/g)) {
    env[name[1]!] = name[1]!.includes('TICKET') ? Buffer.from(`value-of-${name[1]}`).toString('base64') : `value-of-${name[1]}`;
  }
  const p = loadProfile(resolve(PROJECT_ROOT, 'targets/staging.example.jsonc'), env);
  assert.equal(p.kind, 'remote');
  assert.equal(p.intrusive.rateLimit, false);
  assert.deepEqual(p.providers, ['facebook', 'google', 'twitter']);
  assert.equal(p.defaultProvider, 'facebook');
  assert.ok((p.credentials[p.defaultProvider!]?.length ?? 0) >= 2, 'the example lists the two accounts its defaultProvider needs');
  assert.ok((p.newPlatformUsers.steam?.length ?? 0) >= 2, 'the example lists a new user for each no_user_creation test');
  assert.ok(p.secrets.includes('value-of-FB_TOKEN_1'));
  assert.ok(!Object.values(p.expectations).some((e) => e.unpinned), 'the loose example still lists every case');
});

test('minted accounts follow the templates and are fresh', () => {
  const p = loadProfile(DEFAULT_PROFILE_PATH, {});
  assert.deepEqual(mintAccount(p, 'twitter', 'u1'), { accessToken: 'sim-twitter-u1', accessTokenSecret: 'sim-secret-u1' });
  assert.deepEqual(mintAccount(p, 'steam', 'u1'), { sessionTicket: Buffer.from('sim-steam-u1').toString('base64'), appId: '480' });
  assert.notDeepEqual(mintAccount(p, 'facebook'), mintAccount(p, 'facebook'));
  assert.equal(mintAccount(p, 'myspace'), undefined);
});
