import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Accounts, platformQuery, socialBody } from '../lib/accounts.ts';
import { loadProfile, type TargetProfile } from '../lib/profile.ts';

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
  newPlatformUsers: {},
  intrusive: { rateLimit: false, logoutSharedAccounts: false },
};

test('the wire forms of accounts', () => {
  assert.deepEqual(socialBody({ accessToken: 't', accessTokenSecret: 's' }), { access_token: 't', access_token_secret: 's' });
  assert.deepEqual(socialBody({ accessToken: 't', openid: 'o' }), { access_token: 't', openid: 'o' });
  assert.deepEqual(platformQuery({ sessionTicket: 'dA==', appId: '480' }), { session_ticket: 'dA==', app_id: '480' });
  assert.deepEqual(platformQuery({ code: 'c', deploymentId: 'd' }), { code: 'c', deployment_id: 'd' });
});

test('on the simulator every call mints a fresh account', () => {
  const accounts = new Accounts(simulator, skip);
  const a = accounts.social('twitter');
  const b = accounts.social('twitter');
  assert.notEqual(a.accessToken, b.accessToken);
  assert.ok('accessTokenSecret' in a);
  assert.notEqual(accounts.newPlatformUser('steam').sessionTicket, accounts.newPlatformUser('steam').sessionTicket);
});

test('on a real target a provider without accounts is skipped with the reason; the simulator never skips', () => {
  const accounts = new Accounts(remote, skip);
  assert.equal(accounts.social('facebook').accessToken, 'fb-1');
  assert.throws(() => accounts.social('google'), /skipped: no credentials for google in target profile "staging"/);
  assert.throws(() => accounts.ownSocial('facebook'), /skipped: with_logout=1 would sign out a shared facebook account/);
  assert.throws(() => accounts.newPlatformUser('steam'), /skipped: no unused platform accounts/);
  assert.deepEqual(accounts.anySocial(), { provider: 'facebook', account: { accessToken: 'fb-1' } });
  const gap = new Accounts({ ...simulator, credentialTemplates: {}, credentials: {} }, skip);
  assert.throws(() => gap.social('google'), /the simulator profile must cover every provider/);
});

test('a rejected token is never a minted one', () => {
  const token = new Accounts(simulator, skip).rejectedToken();
  assert.match(token, /^rejected-/);
});
