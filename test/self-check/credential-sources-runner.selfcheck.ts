import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Accounts } from '../../lib/accounts.ts';
import { refusalMessage } from '../../lib/credential-check.ts';
import {
  onceSourceResult, parseSourceOutput, prepareCredentials, printOncePerRun, readRunSecrets, refreshIfStale, removeRunDir, runCredentialSource, runDir, sourceFailure,
  staleAtMs, takeFromSource,
} from '../../lib/credential-sources.ts';
import { ProfileError, loadProfile, type CredentialSource, type TargetProfile } from '../../lib/profile.ts';
import { Redactor } from '../../lib/redact.ts';
import { PlaywrightRedactor } from '../../lib/trace-redaction.ts';
import { CATEGORY_NAMES, categoryOf } from '../../reports/categories.ts';
import { credentialsToRenew, formatSummary } from '../../reports/summary.ts';

/**
 * Credential sources (lib/credential-sources.ts): tiny commands written here (`node -e`), one per way a source can
 * behave, run as the harness runs them (no shell). Single-use accounts and the messages of the credential check too.
 */

const dir = mkdtempSync(join(tmpdir(), 'credential-sources-test-'));
const node = process.execPath;

function source(script: string, patch: Partial<CredentialSource> = {}): CredentialSource {
  return { field: 'credentials.facebook', section: 'credentials', provider: 'facebook', command: [node, '-e', script], run: 'once', timeoutSeconds: 30, env: {}, cwd: dir, ...patch };
}

const print = (value: unknown): string => `process.stdout.write(${JSON.stringify(JSON.stringify(value))})`;

const simulator = loadProfile();
const skip = (reason: string): never => {
  throw new Error(`skipped: ${reason}`);
};

/** A remote profile of its own (own folder: its record of used accounts starts empty). */
function remote(patch: Partial<TargetProfile> = {}): TargetProfile {
  const folder = mkdtempSync(join(dir, 'profile-'));
  return {
    ...simulator, name: 'staging', kind: 'remote', path: join(folder, 'staging.json'), baseUrl: `http://127.0.0.1:1/api/${randomUUID()}`,
    credentialTemplates: {}, credentials: {}, newPlatformUsers: {}, sources: { credentials: {}, newPlatformUsers: {} }, unavailable: {},
    accountOrigins: {}, secrets: [...simulator.secrets], defaultProvider: 'facebook', intrusive: { rateLimit: false, logoutSharedAccounts: false }, ...patch,
  };
}

test('a source that prints one account, or a list, gives those accounts', async () => {
  assert.deepEqual(await runCredentialSource(source(print({ accessToken: 'tok-one' }))), { ok: true, accounts: [{ accessToken: 'tok-one' }] });
  const list = await runCredentialSource(source(print([{ accessToken: 'tok-a' }, { accessToken: 'tok-b' }])));
  assert.deepEqual(list, { ok: true, accounts: [{ accessToken: 'tok-a' }, { accessToken: 'tok-b' }] });
  // Platform formats are the profile's own: steam needs sessionTicket (Base64) and appId.
  const steam = await runCredentialSource(source(print({ sessionTicket: Buffer.from('ticket').toString('base64'), appId: '480' }), { provider: 'steam', field: 'credentials.steam' }));
  assert.equal(steam.ok, true);
});

test('the command runs with no shell, in the profile folder, with the env of the source', async () => {
  const shellish = await runCredentialSource({ ...source(''), command: ['echo $HOME; true'] });
  assert.equal(shellish.ok, false);
  assert.match((shellish as { reason: string }).reason, /could not be started: ENOENT/, 'the argv is not given to a shell');
  const both = await runCredentialSource(source(`process.stdout.write(JSON.stringify({ accessToken: process.cwd() + '|' + process.env.SOURCE_SECRET }))`, { env: { SOURCE_SECRET: 'from-env' } }));
  assert.deepEqual(both, { ok: true, accounts: [{ accessToken: `${dir}|from-env` }] });
});

test('a non-zero exit gives its stderr, trimmed and redacted', async () => {
  const secret = 'sk-live-0123456789abcdef';
  const result = await runCredentialSource(
    source(`console.error('line 1'); console.error('token ' + process.env.API_KEY + ' and eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln rejected: HTTP 400'); process.exit(1)`, { env: { API_KEY: secret } }),
  );
  assert.equal(result.ok, false);
  const reason = (result as { reason: string }).reason;
  assert.match(reason, /^exited with code 1: stderr: line 1 \/ token \[REDACTED\] and \[REDACTED\]-JWT rejected: HTTP 400$/);
  assert.ok(!reason.includes(secret));
  // The profile's own secrets are redacted too.
  const withProfileSecret = await runCredentialSource(source(`console.error('profile secret sim-client-secret-7001'); process.exit(3)`), ['sim-client-secret-7001']);
  assert.match((withProfileSecret as { reason: string }).reason, /exited with code 3: stderr: profile secret \[REDACTED\]$/);
  const quiet = await runCredentialSource(source('process.exit(2)'));
  assert.equal((quiet as { reason: string }).reason, 'exited with code 2 (nothing on stderr)');
});

test('a relative path the profile\'s folder does not have is named beside the failure: the command runs there', async () => {
  writeFileSync(join(dir, 'exits.mjs'), 'process.exit(4)');
  const missing = await runCredentialSource({ ...source(''), command: [node, 'credential-sources/facebook-test-users.mjs'] });
  assert.match((missing as { reason: string }).reason, new RegExp(`^exited with code 1: stderr: .*; no file credential-sources/facebook-test-users\\.mjs in the profile's folder ${dir}, where the command runs: write the path from that folder$`));
  // A path that is there, and a script given with -e, are not blamed.
  assert.equal((await runCredentialSource({ ...source(''), command: [node, 'exits.mjs'] }) as { reason: string }).reason, 'exited with code 4 (nothing on stderr)');
  assert.equal((await runCredentialSource(source('/* a/b */ process.exit(5)')) as { reason: string }).reason, 'exited with code 5 (nothing on stderr)');
});

test('a command that outlives its timeout is killed, and says so', async () => {
  const started = Date.now();
  const result = await runCredentialSource(source('setInterval(() => {}, 1000)', { timeoutSeconds: 1 }));
  assert.deepEqual(result, { ok: false, reason: 'did not finish within 1 s (timeoutSeconds) and was killed' });
  // A command that is never killed never ends (setInterval), so resolving at all shows the kill; the bound only says it
  // came from the 1 s timeout, not from something else that ended it much later (a busy CI machine starts node slowly).
  assert.ok(Date.now() - started < 30_000, 'killed promptly');
});

test('output that is not JSON is refused without being shown', async () => {
  const result = await runCredentialSource(source(`process.stdout.write('token=sk-live-secret')`));
  assert.deepEqual(result, { ok: false, reason: 'printed output that is not JSON (20 bytes on stdout, not shown: it may hold secrets)' });
  assert.deepEqual(await runCredentialSource(source('')), { ok: false, reason: 'printed nothing on stdout (it must print the accounts as JSON)' });
  assert.deepEqual(await runCredentialSource(source(print([]))), { ok: false, reason: 'printed an empty list (it must print one account or a non-empty array of them)' });
});

test('a wrong or missing field is named, as in the profile', async () => {
  const reasonOf = async (value: unknown, patch: Partial<CredentialSource> = {}): Promise<string> => {
    const result = await runCredentialSource(source(print(value), patch));
    assert.equal(result.ok, false);
    return (result as { reason: string }).reason;
  };
  assert.equal(await reasonOf({ token: 'x' }), 'printed a wrong account: accessToken is required');
  assert.equal(await reasonOf([{ accessToken: 'ok' }, { accessToken: 'ok', extra: 1 }]), 'printed a wrong account: [1].extra is not a known field (misspelt?)');
  assert.equal(await reasonOf({ accessToken: { env: 'FB' } }), 'printed a wrong account: accessToken must be a string (the value itself)');
  assert.equal(await reasonOf('just a string'), 'printed a wrong account: the output is not an account object (e.g. {"accessToken": "..."})');
  const steam = { provider: 'steam', field: 'credentials.steam' };
  assert.equal(await reasonOf({ sessionTicket: Buffer.from('t').toString('base64') }, steam), 'printed a wrong account: appId is required');
  assert.match(await reasonOf({ sessionTicket: 'not base64!', appId: '480' }, steam), /^printed a wrong account: sessionTicket is not standard Base64/);
  // newPlatformUsers take any platform account; epicgames credentials need code.
  assert.equal(await reasonOf({ deploymentId: 'd' }, { provider: 'epicgames', field: 'credentials.epicgames' }), 'printed a wrong account: code is required');
});

test('the message names the provider, the field, the command and the reason, redacted', () => {
  const message = sourceFailure(source(''), 'exited with code 1: stderr: boom');
  assert.equal(message, `facebook: the credential source of credentials.facebook (\`${node} -e ""\`) exited with code 1: stderr: boom`);
  assert.equal(
    sourceFailure({ provider: 'epicgames', field: 'credentials.epicgames', command: ['npx', 'tsx', 'credential-sources/epic code.ts', '--token', 'sk-123456'] }, 'did not finish', ['sk-123456']),
    'epicgames: the credential source of credentials.epicgames (`npx tsx "credential-sources/epic code.ts" --token [REDACTED]`) did not finish',
  );
});

test('a once source runs exactly once per run, for two callers at the same time; its file is secret (0600)', async () => {
  const counter = join(dir, `count-${randomUUID()}`);
  const script = `require('fs').appendFileSync(${JSON.stringify(counter)}, 'x'); setTimeout(() => ${print([{ accessToken: 'shared-tok-1' }])}, 200)`;
  const runId = `test-${randomUUID()}`;
  try {
    const [a, b] = await Promise.all([onceSourceResult(source(script), runId), onceSourceResult(source(script), runId)]);
    assert.equal(readFileSync(counter, 'utf8'), 'x', 'the command ran once');
    assert.deepEqual([a.ok, b.ok], [true, true]);
    assert.deepEqual([a.ranHere, b.ranHere].sort(), [false, true]);
    assert.deepEqual(a.ok && a.accounts, [{ accessToken: 'shared-tok-1' }]);
    assert.deepEqual(b.ok && b.accounts, [{ accessToken: 'shared-tok-1' }]);
    // A third caller later in the run reads the kept result; another run runs the command again.
    await onceSourceResult(source(script), runId);
    assert.equal(readFileSync(counter, 'utf8'), 'x');
    const other = `test-${randomUUID()}`;
    await onceSourceResult(source(script), other);
    assert.equal(readFileSync(counter, 'utf8'), 'xx');
    removeRunDir(other);
    assert.equal(statSync(runDir(runId)).mode & 0o777, 0o700);
    const { readdirSync } = await import('node:fs');
    for (const file of readdirSync(runDir(runId))) assert.equal(statSync(join(runDir(runId), file)).mode & 0o777, 0o600, file);
    assert.ok(readRunSecrets(runId).includes('shared-tok-1'), 'what it printed is recorded as a secret of the run');
  } finally {
    removeRunDir(runId);
  }
});

test('a failing once source fails once: every later caller gets the same message, and only the first prints it', async () => {
  const runId = `test-${randomUUID()}`;
  try {
    const first = await onceSourceResult(source(`console.error('expired'); process.exit(1)`), runId);
    const again = await onceSourceResult(source(`console.error('expired'); process.exit(1)`), runId);
    assert.equal(first.ok, false);
    assert.deepEqual(again, { ...first, ranHere: false });
    assert.match((first as { reason: string }).reason, /^facebook: the credential source of credentials\.facebook \(.*\) exited with code 1: stderr: expired$/);
    assert.equal(printOncePerRun(runId, 'k', ''), true);
    assert.equal(printOncePerRun(runId, 'k', ''), false);
  } finally {
    removeRunDir(runId);
  }
});

test('prepareCredentials: a once source fills its provider; a failed one skips only its provider, with the reason', async () => {
  const runId = `test-${randomUUID()}`;
  const profile = remote({
    providers: ['facebook', 'google'],
    credentials: { google: [{ accessToken: 'google-literal' }] },
    sources: {
      credentials: { facebook: source(print([{ accessToken: 'fb-from-source-1' }, { accessToken: 'fb-from-source-2' }])), twitter: source('process.exit(1)', { provider: 'twitter', field: 'credentials.twitter' }) },
      newPlatformUsers: {},
    },
  });
  try {
    await prepareCredentials(profile, runId);
    assert.deepEqual(profile.credentials.facebook, [{ accessToken: 'fb-from-source-1' }, { accessToken: 'fb-from-source-2' }]);
    assert.ok(profile.secrets.includes('fb-from-source-1') && profile.secrets.includes('fb-from-source-2'));
    assert.match(profile.unavailable['credentials.twitter']!, /^twitter: the credential source of credentials\.twitter .* exited with code 1/);
    const accounts = new Accounts(profile, skip);
    assert.equal((await accounts.social('facebook')).accessToken, 'fb-from-source-1');
    assert.equal((await accounts.social('google')).accessToken, 'google-literal');
    await assert.rejects(accounts.social('twitter'), /skipped: twitter: the credential source of credentials\.twitter/);
  } finally {
    removeRunDir(runId);
  }
});

test('a source may say how long its accounts live: {"accounts", "expiresInSeconds"}; a wrong wrapper is named', () => {
  const fb = { section: 'credentials' as const, provider: 'facebook' };
  assert.deepEqual(parseSourceOutput(fb, JSON.stringify({ accounts: [{ accessToken: 'a' }], expiresInSeconds: 3599 })), { ok: true, accounts: [{ accessToken: 'a' }], expiresInSeconds: 3599 });
  assert.deepEqual(parseSourceOutput(fb, JSON.stringify({ accounts: { accessToken: 'a' } })), { ok: true, accounts: [{ accessToken: 'a' }] });
  // The plain forms are unchanged.
  assert.deepEqual(parseSourceOutput(fb, JSON.stringify({ accessToken: 'a' })), { ok: true, accounts: [{ accessToken: 'a' }] });
  const reason = (value: unknown): string => (parseSourceOutput(fb, JSON.stringify(value)) as { reason: string }).reason;
  assert.equal(reason({ accounts: [{ accessToken: 'a' }], expiresInSeconds: 0 }), 'printed a wrong wrapper: expiresInSeconds must be a number of seconds greater than 0');
  assert.equal(reason({ accounts: [{ accessToken: 'a' }], expiresInSeconds: '60' }), 'printed a wrong wrapper: expiresInSeconds must be a number of seconds greater than 0');
  assert.equal(reason({ accounts: [{ accessToken: 'a' }], expiration: 60 }), 'printed a wrong wrapper: expiration is not a known field (it may hold "accounts" and "expiresInSeconds")');
  assert.equal(reason({ accounts: [] }), 'printed an empty list (it must print one account or a non-empty array of them)');
  assert.match(reason({ accounts: [{ token: 'a' }] }), /^printed a wrong account: (\[0\]\.)?accessToken is required$/);
});

test('when a once source\'s accounts are due again: refreshSeconds, or half their life (at most 60 s) before it ends', () => {
  const ok = (extra: object = {}) => ({ ok: true as const, accounts: [{ accessToken: 'a' }], fetchedAtMs: 1_000_000, ...extra });
  assert.equal(staleAtMs({}, ok()), Infinity, 'by default: kept for the run');
  assert.equal(staleAtMs({ refreshSeconds: 10 }, ok()), 1_010_000);
  assert.equal(staleAtMs({}, ok({ expiresInSeconds: 20 })), 1_010_000, 'a 20 s token: fetched again after 10 s');
  assert.equal(staleAtMs({}, ok({ expiresInSeconds: 3600 })), 1_000_000 + 3_540_000, 'a 1 h token: 60 s before it ends');
  assert.equal(staleAtMs({ refreshSeconds: 5 }, ok({ expiresInSeconds: 3600 })), 1_005_000, 'the earlier of the two');
  assert.equal(staleAtMs({ refreshSeconds: 5 }, { ok: false, reason: 'x' }), Infinity, 'a failure is kept for the run');
});

test('a once source with refreshSeconds runs again once it is due, once for every caller, and the profile takes the new accounts', async () => {
  const counter = join(dir, `count-${randomUUID()}`);
  // Prints tok-<n>, n the number of times it ran.
  const script = `const fs = require('fs'); fs.appendFileSync(${JSON.stringify(counter)}, 'x'); const n = fs.readFileSync(${JSON.stringify(counter)}, 'utf8').length; setTimeout(() => process.stdout.write(JSON.stringify([{ accessToken: 'tok-' + n }])), 100)`;
  const fb = source(script, { refreshSeconds: 10 });
  const runId = `test-${randomUUID()}`;
  let clock = 5_000_000;
  const now = (): number => clock;
  const profile = remote({ sources: { credentials: { facebook: fb }, newPlatformUsers: {} } });
  try {
    await prepareCredentials(profile, runId, now);
    assert.deepEqual(profile.credentials.facebook, [{ accessToken: 'tok-1' }]);
    clock += 9_000;
    await refreshIfStale(profile, 'credentials', 'facebook', runId, now);
    assert.equal(readFileSync(counter, 'utf8'), 'x', 'not due yet: not run again');
    clock += 2_000;
    // Two workers (one in this process, one reading the run's file) take an account at the same moment.
    const [, other] = await Promise.all([refreshIfStale(profile, 'credentials', 'facebook', runId, now), onceSourceResult(fb, runId, [], now)]);
    assert.equal(readFileSync(counter, 'utf8'), 'xx', 'due: run again, once for both');
    assert.deepEqual(profile.credentials.facebook, [{ accessToken: 'tok-2' }]);
    assert.deepEqual(other.ok && other.accounts, [{ accessToken: 'tok-2' }]);
    assert.ok(profile.secrets.includes('tok-2') && readRunSecrets(runId).includes('tok-2'), 'the new values are secrets too');
    // Without refreshSeconds nor an expiry, the accounts are kept for the whole run.
    const kept = source(script, { provider: 'google', field: 'credentials.google' });
    const p2 = remote({ sources: { credentials: { google: kept }, newPlatformUsers: {} } });
    await prepareCredentials(p2, runId, now);
    clock += 24 * 3600_000;
    await refreshIfStale(p2, 'credentials', 'google', runId, now);
    assert.equal(readFileSync(counter, 'utf8'), 'xxx');
    assert.deepEqual(p2.credentials.google, [{ accessToken: 'tok-3' }]);
  } finally {
    removeRunDir(runId);
  }
});

test('a once source that prints expiresInSeconds is fetched again before its accounts die; a refresh that fails skips the provider from then on', async () => {
  const counter = join(dir, `count-${randomUUID()}`);
  // Works twice, then fails (the test-account API went away).
  const script = `const fs = require('fs'); fs.appendFileSync(${JSON.stringify(counter)}, 'x'); const n = fs.readFileSync(${JSON.stringify(counter)}, 'utf8').length; if (n > 2) { console.error('test-account API down'); process.exit(1) } process.stdout.write(JSON.stringify({ accounts: { accessToken: 'short-' + n }, expiresInSeconds: 20 }))`;
  const fb = source(script);
  const runId = `test-${randomUUID()}`;
  let clock = 7_000_000;
  const now = (): number => clock;
  const profile = remote({ sources: { credentials: { facebook: fb }, newPlatformUsers: {} } });
  try {
    await prepareCredentials(profile, runId, now);
    assert.deepEqual(profile.credentials.facebook, [{ accessToken: 'short-1' }]);
    clock += 10_000;
    await refreshIfStale(profile, 'credentials', 'facebook', runId, now);
    assert.deepEqual(profile.credentials.facebook, [{ accessToken: 'short-2' }], 'half of its 20 s life gone: fetched again');
    clock += 10_000;
    await refreshIfStale(profile, 'credentials', 'facebook', runId, now);
    assert.match(profile.unavailable['credentials.facebook']!, /^facebook: the credential source of credentials\.facebook .* exited with code 1: stderr: test-account API down$/);
    await assert.rejects(new Accounts(profile, skip).social('facebook'), /skipped: facebook: the credential source/);
  } finally {
    removeRunDir(runId);
  }
});

test('a perTest source of newPlatformUsers may print several credentials of one new user: the test gets them all', async () => {
  const epic = source(print([{ code: 'c-1' }, { code: 'c-2' }, { code: 'c-3' }]), { section: 'newPlatformUsers', provider: 'epicgames', field: 'newPlatformUsers.epicgames', run: 'perTest' });
  const profile = remote({ sources: { credentials: {}, newPlatformUsers: { epicgames: epic } } });
  {
    const accounts = new Accounts(profile, skip, 't');
    assert.deepEqual(await accounts.newPlatformUserCredentials('epicgames'), [{ code: 'c-1' }, { code: 'c-2' }, { code: 'c-3' }]);
    assert.deepEqual(await accounts.newPlatformUser('epicgames'), { code: 'c-1' });
    // An Epic code the harness did not mint works once; a steam ticket, or a minted code of the simulator, is shown again.
    assert.equal(accounts.worksOnce('epicgames', { code: 'c-1' }), true);
    assert.equal(accounts.worksOnce('steam', { sessionTicket: 'dA==', appId: '480' }), false);
    assert.equal(accounts.worksOnce('steam', { sessionTicket: 'dA==', appId: '480', singleUse: true }), true);
    assert.equal(new Accounts(simulator, skip).worksOnce('epicgames', { code: 'sim-epicgames-x' }), false);
  }
});

test('a perTest source runs for every account a test takes, and each account is that test\'s alone', async () => {
  const counter = join(dir, `count-${randomUUID()}`);
  const script = `require('fs').appendFileSync(${JSON.stringify(counter)}, 'x'); process.stdout.write(JSON.stringify({ code: 'epic-' + require('crypto').randomUUID() }))`;
  const epic = source(script, { provider: 'epicgames', field: 'credentials.epicgames', run: 'perTest' });
  const runId = `test-${randomUUID()}`;
  const profile = remote({ sources: { credentials: { epicgames: epic }, newPlatformUsers: {} } });
  try {
    const a = await takeFromSource(profile, epic, runId);
    const b = await takeFromSource(profile, epic, runId);
    assert.ok('account' in a && 'account' in b);
    assert.notEqual((a as { account: { code: string } }).account.code, (b as { account: { code: string } }).account.code);
    assert.equal(readFileSync(counter, 'utf8'), 'xx');
    const code = (a as { account: { code: string } }).account.code;
    assert.ok(profile.secrets.includes(code) && readRunSecrets(runId).includes(code), 'each fresh code is a secret of the process and of the run');
    // Through Accounts: two tests, two fresh codes.
    const [t1, t2] = [new Accounts(profile, skip, 't1'), new Accounts(profile, skip, 't2')];
    const [c1, c2] = await Promise.all([t1.platform('epicgames'), t2.platform('epicgames')]);
    assert.notEqual(c1.code, c2.code);
    assert.equal(readFileSync(counter, 'utf8').length, 4);
  } finally {
    removeRunDir(runId);
  }
});

test('a perTest source that fails is not run again in the run: later tests skip with its first message', async () => {
  const counter = join(dir, `count-${randomUUID()}`);
  const broken = source(`require('fs').appendFileSync(${JSON.stringify(counter)}, 'x'); process.stdout.write('oops')`, { run: 'perTest' });
  const runId = `test-${randomUUID()}`;
  const profile = remote({ sources: { credentials: { facebook: broken }, newPlatformUsers: {} } });
  try {
    const first = await takeFromSource(profile, broken, runId);
    const second = await takeFromSource(profile, broken, runId);
    assert.deepEqual(first, second);
    assert.match((first as { reason: string }).reason, /printed output that is not JSON/);
    assert.equal(readFileSync(counter, 'utf8'), 'x');
  } finally {
    removeRunDir(runId);
  }
});

test('what a source prints is redacted wherever the profile\'s secrets are', async () => {
  const runId = `test-${randomUUID()}`;
  const minted = `sim-facebook-RUNTIME${randomUUID().replaceAll('-', '')}`;
  const profile = remote({ sources: { credentials: { facebook: source(print({ accessToken: minted })) }, newPlatformUsers: {} } });
  try {
    await prepareCredentials(profile, runId);
    const text = `cURL: curl -d '{"x":"${minted}"}' ${encodeURIComponent(minted)} ${Buffer.from(minted).toString('base64')}`;
    for (const redacted of [new Redactor(profile.secrets).text(text), new Redactor(readRunSecrets(runId)).text(text), PlaywrightRedactor.forProfile({ ...profile, secrets: readRunSecrets(runId) }).text(text)]) {
      assert.ok(!redacted.includes(minted) && !redacted.includes(Buffer.from(minted).toString('base64')), redacted);
    }
  } finally {
    removeRunDir(runId);
  }
});

test('single-use static accounts: one test each, across workers and runs, recorded as used; never the shared account', async () => {
  const epic = [{ code: 'epic-once-1', singleUse: true }, { code: 'epic-once-2', singleUse: true }];
  const profile = remote({ credentials: { epicgames: epic, facebook: [{ accessToken: 'fb-once', singleUse: true }, { accessToken: 'fb-shared' }] } });
  const [a, b] = await Promise.all([new Accounts(profile, skip, 'a').platform('epicgames'), new Accounts(profile, skip, 'b').platform('epicgames')]);
  assert.deepEqual(new Set([a.code, b.code]), new Set(['epic-once-1', 'epic-once-2']), 'two tests at once, two different codes');
  // The next run (a new Accounts, the same state file) finds them used.
  await assert.rejects(new Accounts({ ...profile }, skip, 'c').platform('epicgames'), /skipped: all 2 single-use accounts \(singleUse\) for epicgames in target profile "staging" have been used/);
  // A provider with a reusable account shares that one; its single-use one is not handed out as shared.
  assert.equal((await new Accounts(profile, skip).social('facebook')).accessToken, 'fb-shared');
  const state = JSON.parse(readFileSync(join(dir, profile.path.split('/').at(-2)!, '.state', 'staging.json.consumed.json'), 'utf8')) as { targets: Record<string, Record<string, { provider: string }>> };
  assert.equal(Object.values(Object.values(state.targets)[0]!).length, 2, 'both recorded');
  assert.ok(!JSON.stringify(state).includes('epic-once'), 'recorded as a hash, never the code');
});

test('profile: an account list may be a credential source; a wrong one is named in its own terms', () => {
  const write = (credentials: unknown, extra: Record<string, unknown> = {}): string => {
    const file = join(mkdtempSync(join(dir, 'p-')), 'p.json');
    const doc = JSON.parse(readFileSync(simulator.path, 'utf8')) as Record<string, unknown>;
    doc.expectations = simulator.expectationsPath;
    doc.credentials = credentials;
    Object.assign(doc, extra);
    writeFileSync(file, JSON.stringify(doc));
    return file;
  };
  const file = write({ facebook: { command: ['npx', 'tsx', 'fb.ts'], env: { API: { env: 'SRC_KEY' }, LITERAL: 'literal-secret' } }, steam: [{ sessionTicket: 'c2lt', appId: '480', singleUse: true }] },
    { newPlatformUsers: { epicgames: { command: ['./epic'], run: 'perTest', timeoutSeconds: 5 } } });
  const profile = loadProfile(file, { SRC_KEY: 'key-from-env' });
  assert.deepEqual(profile.sources.credentials.facebook, {
    field: 'credentials.facebook', section: 'credentials', provider: 'facebook', command: ['npx', 'tsx', 'fb.ts'], run: 'once', timeoutSeconds: 30,
    env: { API: 'key-from-env', LITERAL: 'literal-secret' }, cwd: join(file, '..'),
  });
  assert.equal(profile.sources.newPlatformUsers.epicgames?.run, 'perTest');
  assert.equal(profile.credentials.facebook, undefined, 'resolved at run time');
  assert.deepEqual(profile.credentials.steam, [{ sessionTicket: 'c2lt', appId: '480', singleUse: true }]);
  assert.ok(profile.secrets.includes('key-from-env') && profile.secrets.includes('literal-secret'), 'a source\'s env values are secrets');
  const error = (credentials: unknown): string => {
    try {
      loadProfile(write(credentials), {});
    } catch (e) {
      assert.ok(e instanceof ProfileError);
      return `${e.field}: ${e.reason}`;
    }
    throw new Error('expected a ProfileError');
  };
  assert.match(error({ facebook: { cmd: ['x'] } }), /^credentials\.facebook\.command: is required \(an account list is an array of accounts, or a credential source/);
  assert.match(error({ facebook: { command: 'npx tsx fb.ts' } }), /^credentials\.facebook\.command: must be array/);
  assert.match(error({ facebook: { command: ['x'], run: 'always' } }), /^credentials\.facebook\.run: must be equal to one of the allowed values/);
  assert.match(error({ steam: [{ sessionTicket: 'c2lt', appId: '480', singleUse: 'yes' }] }), /^credentials\.steam\[0\]\.singleUse: must be boolean/);
  assert.match(error({ facebook: { command: ['x'], refreshSeconds: 0 } }), /^credentials\.facebook\.refreshSeconds: must be > 0/);
  assert.equal(error({ epicgames: { command: ['x'], run: 'perTest', refreshSeconds: 60 } }), 'credentials.epicgames.refreshSeconds: is for "run": "once" only (a perTest source runs for every account a test takes already)');
  assert.equal(loadProfile(write({ google: { command: ['x'], refreshSeconds: 2700 } }), {}).sources.credentials.google?.refreshSeconds, 2700);
});

test('a refused account gets one message naming where it came from, sorted into "Credentials refused"; the summary lists it', () => {
  const message = refusalMessage('facebook', 'FB_TOKEN_1', 422, '010-023');
  assert.equal(message, 'facebook: the account from FB_TOKEN_1 was refused (422 010-023): renew it, or the server refuses valid credentials');
  const tag = [{ name: 'tag', value: 'credentials-refused' }];
  assert.equal(categoryOf('broken', message, tag), CATEGORY_NAMES.credentialsRefused);
  // Its "timed out" or "429" is about the credential, not the server: the tag decides first.
  assert.equal(categoryOf('broken', 'steam: the credential source of credentials.steam (`x`) did not finish within 30 s (timeoutSeconds) and was killed', tag), CATEGORY_NAMES.credentialsRefused);
  const results = [
    { status: 'broken', labels: tag, statusDetails: { message } },
    { status: 'broken', labels: tag, statusDetails: { message } },
    { status: 'failed', labels: [], statusDetails: { message: 'expected 200' } },
  ];
  const renew = credentialsToRenew(results as unknown as Parameters<typeof credentialsToRenew>[0]);
  assert.deepEqual(renew, [message], 'once, whatever number of stages wrote it');
  const summary = formatSummary({ target: 't', stages: [], gate: { passed: false, reasons: ['1 broken'] }, report: { html: null, singleFile: null, errors: [] }, renew });
  assert.match(summary, /Credentials to renew .*\n  facebook: the account from FB_TOKEN_1 was refused/);
});
