import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Accounts } from '../../lib/accounts.ts';
import { loadProfile, type PlatformAccount, type SocialAccount, type TargetProfile } from '../../lib/profile.ts';
import { SINGLE, b64, qs, simulator, uid, type Call } from '../sim-helpers.ts';

/**
 * The two races of tests that share an account, played on the wire against the simulator used as a server whose
 * accounts come from a profile (no minting), as two tests on two workers would: each "test" has its own Accounts.
 * Each race is first shown to be real (the same account in both roles breaks the other test), then shown not to
 * happen with the accounts the harness hands out.
 */

let sim: Awaited<ReturnType<typeof simulator>>;
let call: Call;
let profile: TargetProfile;
const skip = (reason: string): never => {
  throw new Error(`skipped: ${reason}`);
};
const run = uid();

before(async () => {
  sim = await simulator();
  call = sim.call;
  const simulatorProfile = loadProfile(undefined, {});
  profile = {
    ...simulatorProfile,
    path: join(mkdtempSync(join(tmpdir(), 'accounts-race-')), 'remote.json'),
    name: 'remote simulator',
    kind: 'remote',
    baseUrl: sim.url,
    credentialTemplates: {},
    credentials: { google: [{ accessToken: `sim-google-shared${run}` }, { accessToken: `sim-google-own${run}` }] },
    defaultProvider: 'google',
    newPlatformUsers: { steam: [0, 1].map((i) => ({ sessionTicket: b64(`sim-steam-new${run}${i}`), appId: '480' })) },
    intrusive: { rateLimit: false, logoutSharedAccounts: true },
  };
});
after(() => sim.close());

async function signIn(account: SocialAccount, withLogout?: string): Promise<string> {
  const r = await call('POST', `/social/google/login_with_token?${qs({ projectId: profile.projectId, with_logout: withLogout })}`, { json: { access_token: account.accessToken } });
  assert.equal(r.status, 200, r.text);
  return r.body.token as string;
}
const active = async (token: string): Promise<boolean> => (await call('GET', '/users/me', { headers: { authorization: `Bearer ${token}` } })).status === 200;

async function crossAuth(account: PlatformAccount, noUserCreation: 'true' | 'false'): Promise<number> {
  const query = qs({
    session_ticket: account.sessionTicket, app_id: account.appId, client_id: String(SINGLE.clientId), response_type: 'code',
    state: `state-${uid()}`, redirect_uri: SINGLE.redirectUris[0], no_user_creation: noUserCreation, is_redirect: 'false',
  });
  return (await call('GET', `/oauth2/social/steam/cross_auth?${query}`)).status;
}

test('with_logout=1 in one test never signs out the account a concurrent test keeps its sessions on', async () => {
  // The race is real: with_logout=1 on the shared account deactivates the other test's token.
  const shared = profile.credentials.google![0] as SocialAccount;
  const victim = await signIn(shared);
  await signIn(shared, '1');
  assert.equal(await active(victim), false, 'control: the same account signed out elsewhere loses its token');

  // As the harness hands them out: the keeping test gets the shared account, the with_logout=1 test another one.
  const keeping = new Accounts(profile, skip, 'with_logout=0');
  const loggingOut = new Accounts(profile, skip, 'with_logout=1');
  const mine = (await keeping.anySocial()).account;
  const theirs = await loggingOut.ownSocial('google');
  assert.notEqual(theirs.accessToken, mine.accessToken);
  const kept = await signIn(mine);
  await Promise.all([signIn(theirs, '1'), signIn(mine, '0')]);
  assert.equal(await active(kept), true, 'the keeping test\'s first token survives the other test\'s with_logout=1');
  await loggingOut.release();
});

test('the no_user_creation=false test never creates the user the =true test expects not to exist', async () => {
  const [a, b] = profile.newPlatformUsers.steam!;
  // The race is real: once a sign-in without the flag has created the user, no_user_creation=true lets it in.
  const control = { ...a!, sessionTicket: b64(`sim-steam-control${run}`) };
  assert.equal(await crossAuth(control, 'false'), 200);
  assert.equal(await crossAuth(control, 'true'), 200, 'control: a used "new" user is no longer new');

  // As the harness hands them out to the two tests: one new user each.
  const forTrue = await new Accounts(profile, skip, 'no_user_creation=true').newPlatformUser('steam');
  const forFalse = await new Accounts(profile, skip, 'no_user_creation=false').newPlatformUser('steam');
  assert.deepEqual(new Set([forTrue.sessionTicket, forFalse.sessionTicket]), new Set([a!.sessionTicket, b!.sessionTicket]));
  assert.equal(await crossAuth(forFalse, 'false'), 200, 'the =false test creates its user');
  assert.equal(await crossAuth(forTrue, 'true'), 404, 'the =true test\'s user still does not exist');
  // And the next run finds both used, and skips rather than failing.
  await assert.rejects(new Accounts(profile, skip).newPlatformUser('steam'), /skipped: all 2 unused platform accounts .* have been used/);
});
