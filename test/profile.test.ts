import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { ANSWERS, ANSWER_CASES } from '../contract/index.ts';
import { CLIENTS, EPIC_DEPLOYMENT_IDS, MAIN_PROJECT_ID, PROJECTS, RATE_LIMIT_PER_SECOND, RATE_LIMIT_PROJECT_ID, STEAM_APP_IDS } from '../sim/seed.ts';
import { mintAccount } from '../lib/credentials.ts';
import { DEFAULT_PROFILE_PATH, PROJECT_ROOT, ProfileError, loadProfile } from '../lib/profile.ts';

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

test('expectations must cover every case', () => {
  const exp = JSON.parse(readFileSync(resolve(PROJECT_ROOT, 'targets/expectations/simulator.json'), 'utf8'));
  delete exp.cases.rateLimited;
  const expFile = write('exp.json', exp);
  const file = variant((x) => { x.expectations = expFile; });
  failsWith(file, 'cases.rateLimited', /is required/);
});

test('the commented example profile for a real project parses and validates once its secrets are set', () => {
  const env: NodeJS.ProcessEnv = {};
  for (const name of readFileSync(resolve(PROJECT_ROOT, 'targets/staging.example.jsonc'), 'utf8').matchAll(/"env": "([A-Z0-9_]+)"/g)) env[name[1]!] = `value-of-${name[1]}`;
  const p = loadProfile(resolve(PROJECT_ROOT, 'targets/staging.example.jsonc'), env);
  assert.equal(p.kind, 'remote');
  assert.equal(p.intrusive.rateLimit, false);
  assert.deepEqual(p.providers, ['facebook', 'google', 'twitter']);
  assert.ok(p.secrets.includes('value-of-FB_TOKEN_1'));
});

test('minted accounts follow the templates and are fresh', () => {
  const p = loadProfile(DEFAULT_PROFILE_PATH, {});
  assert.deepEqual(mintAccount(p, 'twitter', 'u1'), { accessToken: 'sim-twitter-u1', accessTokenSecret: 'sim-secret-u1' });
  assert.deepEqual(mintAccount(p, 'steam', 'u1'), { sessionTicket: Buffer.from('sim-steam-u1').toString('base64'), appId: '480' });
  assert.notDeepEqual(mintAccount(p, 'facebook'), mintAccount(p, 'facebook'));
  assert.equal(mintAccount(p, 'myspace'), undefined);
});
