import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { consumedStatePath, shardPositions } from '../../lib/account-lease.ts';
import { Accounts, platformQuery, socialBody } from '../../lib/accounts.ts';
import { PROJECT_ROOT, loadProfile, type PlatformAccount, type TargetProfile } from '../../lib/profile.ts';

const simulator = loadProfile();
const skipped: string[] = [];
const skip = (reason: string): never => {
  skipped.push(reason);
  throw new Error(`skipped: ${reason}`);
};

/** The simulator's profile as a real target would look: no minting, a few accounts. */
const remote: TargetProfile = {
  ...simulator,
  name: 'staging',
  kind: 'remote',
  credentialTemplates: {},
  credentials: { facebook: [{ accessToken: 'fb-1' }] },
  defaultProvider: 'facebook',
  newPlatformUsers: {},
  intrusive: { rateLimit: false, logoutSharedAccounts: false },
};

/** A remote profile whose file lives in its own folder, so its record of consumed accounts starts empty. */
function remoteIn(patch: Partial<TargetProfile>): TargetProfile {
  const dir = mkdtempSync(join(tmpdir(), 'accounts-test-'));
  return { ...remote, path: join(dir, 'staging.json'), baseUrl: `http://127.0.0.1:1/api/${Math.random()}`, ...patch };
}

const steamUsers = (n: number, tag = 'u'): PlatformAccount[] => Array.from({ length: n }, (_, i) => ({ sessionTicket: Buffer.from(`sim-steam-${tag}${i}`).toString('base64'), appId: '480' }));
const skipReason = async (run: () => Promise<unknown>): Promise<string> => {
  try {
    await run();
  } catch (error) {
    const match = /^skipped: (.*)$/s.exec((error as Error).message);
    if (match) return match[1]!;
    throw error;
  }
  throw new Error('expected a skip');
};

test('the wire forms of accounts', () => {
  assert.deepEqual(socialBody({ accessToken: 't', accessTokenSecret: 's' }), { access_token: 't', access_token_secret: 's' });
  assert.deepEqual(socialBody({ accessToken: 't', openid: 'o' }), { access_token: 't', openid: 'o' });
  assert.deepEqual(platformQuery({ sessionTicket: 'dA==', appId: '480' }), { session_ticket: 'dA==', app_id: '480' });
  assert.deepEqual(platformQuery({ code: 'c', deploymentId: 'd' }), { code: 'c', deployment_id: 'd' });
});

test('on the simulator every call mints a fresh account', async () => {
  const accounts = new Accounts(simulator, skip);
  const a = await accounts.social('twitter');
  const b = await accounts.social('twitter');
  assert.notEqual(a.accessToken, b.accessToken);
  assert.ok('accessTokenSecret' in a);
  assert.notEqual((await accounts.newPlatformUser('steam')).sessionTicket, (await accounts.newPlatformUser('steam')).sessionTicket);
});

test('on a real target a provider without accounts is skipped with the reason; the simulator never skips', async () => {
  const accounts = new Accounts(remote, skip);
  assert.equal((await accounts.social('facebook')).accessToken, 'fb-1');
  await assert.rejects(accounts.social('google'), /skipped: no credentials for google in target profile "staging"/);
  await assert.rejects(accounts.ownSocial('facebook'), /skipped: with_logout=1 would sign out a shared facebook account/);
  await assert.rejects(accounts.newPlatformUser('steam'), /skipped: no unused platform accounts/);
  assert.deepEqual(await accounts.anySocial(), { provider: 'facebook', account: { accessToken: 'fb-1' } });
  const gap = new Accounts({ ...simulator, credentialTemplates: {}, credentials: {} }, skip);
  await assert.rejects(gap.social('google'), /the simulator profile must cover every provider/);
});

test('a rejected token is never a minted one', () => {
  const token = new Accounts(simulator, skip).rejectedToken();
  assert.match(token, /^rejected-/);
});

test('one-shot accounts: two tests of one run never get the same new user, and the second run skips, saying why', async () => {
  const profile = remoteIn({ newPlatformUsers: { steam: steamUsers(2) } });
  // The two no_user_creation tests of a platform: each its own account.
  const [a, b] = await Promise.all([new Accounts(profile, skip, 'test =true').newPlatformUser('steam'), new Accounts(profile, skip, 'test =false').newPlatformUser('steam')]);
  assert.notEqual(a.sessionTicket, b.sessionTicket);
  assert.deepEqual(new Set([a.sessionTicket, b.sessionTicket]), new Set(profile.newPlatformUsers.steam!.map((x) => x.sessionTicket)));
  // The record holds hashes, never the tickets themselves.
  const record = readFileSync(consumedStatePath(profile), 'utf8');
  assert.ok(!record.includes(a.sessionTicket!) && !record.includes(b.sessionTicket!), 'no secret in the state file');
  assert.match(record, /test =true/);
  // A later run (a new Accounts, as a new worker would build) finds both used.
  const reason = await skipReason(() => new Accounts(profile, skip).newPlatformUser('steam'));
  assert.match(reason, /all 2 unused platform accounts \(newPlatformUsers\) for steam in target profile "staging" have been used/);
  assert.ok(reason.includes(consumedStatePath(profile)), 'the reason says which file to delete to reset');
  // A fresh account added to the list is taken; the same profile against another server starts afresh.
  const more = { ...profile, newPlatformUsers: { steam: [...steamUsers(2), ...steamUsers(1, 'extra')] } };
  assert.equal((await new Accounts(more, skip).newPlatformUser('steam')).sessionTicket, steamUsers(1, 'extra')[0]!.sessionTicket);
  const elsewhere = { ...profile, baseUrl: 'http://127.0.0.1:2/api' };
  assert.equal((await new Accounts(elsewhere, skip).newPlatformUser('steam')).sessionTicket, steamUsers(1)[0]!.sessionTicket);
});

test('one-shot accounts are exclusive across worker processes too', async () => {
  const profile = remoteIn({ newPlatformUsers: { steam: steamUsers(6) } });
  const profileFile = join(profile.path.replace(/staging\.json$/, ''), 'profile.json');
  writeFileSync(profileFile, JSON.stringify(profile));
  const script = `
    import { readFileSync } from 'node:fs';
    import { Accounts } from './lib/accounts.ts';
    const profile = JSON.parse(readFileSync(process.argv[1], 'utf8'));
    const skip = (reason) => { throw new Error('skipped: ' + reason); };
    const taken = [];
    for (let i = 0; i < 4; i++) {
      try { taken.push((await new Accounts(profile, skip, 'worker ' + process.pid).newPlatformUser('steam')).sessionTicket); }
      catch (error) { taken.push('skip'); }
    }
    console.log(JSON.stringify(taken));
  `;
  const run = () => promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, profileFile], { cwd: PROJECT_ROOT });
  const outputs = await Promise.all([run(), run()]);
  const taken = outputs.flatMap((o) => JSON.parse(o.stdout) as string[]);
  const given = taken.filter((t) => t !== 'skip');
  assert.equal(given.length, 6, `6 accounts for 8 requests: ${taken.join(', ')}`);
  assert.equal(new Set(given).size, 6, 'no account given twice');
  assert.equal(taken.filter((t) => t === 'skip').length, 2);
});

test('with_logout=1 accounts: never the shared first one, one test at a time, only with the opt-in', async () => {
  const three = remoteIn({
    credentials: { facebook: [{ accessToken: 'fb-shared' }, { accessToken: 'fb-2' }, { accessToken: 'fb-3' }] },
    intrusive: { rateLimit: false, logoutSharedAccounts: true },
  });
  const t1 = new Accounts(three, skip);
  const t2 = new Accounts(three, skip);
  const [a, b] = await Promise.all([t1.ownSocial('facebook'), t2.ownSocial('facebook')]);
  assert.deepEqual(new Set([a.accessToken, b.accessToken]), new Set(['fb-2', 'fb-3']), 'two holders, two accounts, neither the shared one');
  assert.equal((await t1.anySocial()).account.accessToken, 'fb-shared', 'tests that keep sessions use the first');
  // A third test waits for a holder to end, then gets its account.
  let waitedMs = 0;
  const t3 = new Accounts(three, skip, 'third', null, (ms) => { waitedMs += ms; });
  let third: string | undefined;
  const waiting = t3.ownSocial('facebook').then((x) => { third = x.accessToken; });
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(third, undefined, 'waits while both are held');
  await t2.release();
  await waiting;
  assert.equal(third, b.accessToken);
  assert.ok(waitedMs >= 150, `the wait is reported (to be given back to the test's timeout): ${waitedMs} ms`);
  await Promise.all([t1.release(), t3.release()]);

  const one = remoteIn({ intrusive: { rateLimit: false, logoutSharedAccounts: true } });
  assert.match(await skipReason(() => new Accounts(one, skip).ownSocial('facebook')), /needs a facebook account that only such tests use: target "staging" lists 1 under credentials.facebook.*list a second one/);
  const noOptIn = { ...three, intrusive: { rateLimit: false, logoutSharedAccounts: false } };
  assert.match(await skipReason(() => new Accounts(noOptIn, skip).ownSocial('facebook')), /set intrusive.logoutSharedAccounts/);
});

test('provider-independent tests use defaultProvider, whatever the order of providers', async () => {
  const profile = remoteIn({
    providers: ['facebook', 'google'],
    credentials: { facebook: [{ accessToken: 'fb-1' }], google: [{ accessToken: 'g-1' }] },
    defaultProvider: 'google',
  });
  const accounts = new Accounts(profile, skip);
  assert.equal(accounts.defaultProviderUsed, undefined);
  assert.deepEqual(await accounts.anySocial(), { provider: 'google', account: { accessToken: 'g-1' } });
  assert.equal(accounts.defaultProviderUsed, 'google', 'recorded for the report');
  assert.ok(!existsSync(consumedStatePath(profile)), 'nothing recorded for reusable accounts');
});

test('shards of one run (separate machines, separate state) never take the same new user', async () => {
  const list = steamUsers(5);
  // Each shard on a machine of its own: its own copy of the profile folder, so its own state file.
  const taken = await Promise.all([1, 2, 3].map(async (current) => {
    const profile = remoteIn({ newPlatformUsers: { steam: list } });
    const accounts = () => new Accounts(profile, skip, `shard ${current}`, { current, total: 3 });
    const out: string[] = [];
    for (let i = 0; i < 2; i++) out.push(await accounts().newPlatformUser('steam').then((a) => a.sessionTicket!, () => 'skip'));
    return out;
  }));
  assert.deepEqual(taken, [[list[0]!.sessionTicket, list[3]!.sessionTicket], [list[1]!.sessionTicket, list[4]!.sessionTicket], [list[2]!.sessionTicket, 'skip']]);
  assert.deepEqual(shardPositions(5, null), [0, 1, 2, 3, 4]);
});
