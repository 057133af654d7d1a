import { socialBody } from '../lib/accounts.ts';
import type { ApiClient } from '../lib/api-client.ts';
import { expect, targetProfile, test } from '../lib/fixtures.ts';
import { jwtOf } from '../lib/matchers.ts';
import type { SocialAccount } from '../lib/profile.ts';
import { WITH_LOGOUT_RULE } from '../contract/index.ts';

/**
 * `with_logout` (contract/documents/jwt-login-with-token.md): "1 to deactivate the existing values and activate a new
 * one, 0 to keep the existing values activated" (default "0"). Proven through GET /users/me, which answers 200
 * for an active token. A test that signs out (with_logout=1) takes an account no other test holds meanwhile: a
 * minted one, or on a real target one of the provider's accounts after the first (lib/accounts.ts), so parallel
 * tests never log each other out; the tests that keep tokens share the first.
 */

const profile = targetProfile();
const endpoint = 'jwtLogin' as const;

async function signIn(api: ApiClient, provider: string, account: SocialAccount, withLogout?: string): Promise<string> {
  const x = await api.call(endpoint, { provider, query: { projectId: profile.projectId, with_logout: withLogout }, json: socialBody(account) });
  await expect(x).toHaveStatus(200);
  return jwtOf(x)!;
}

async function expectActive(api: ApiClient, token: string, active: boolean, which: string): Promise<void> {
  const me = await api.call('usersMe', { headers: { authorization: `Bearer ${token}` } });
  if (active) await expect(me, `${which} must still be active`).toHaveStatus(200);
  else {
    await expect(me, `${which} must be deactivated`).not.toHaveStatus(200);
    await expect(me).toMatchExpectation('unauthorized');
  }
}

const keeping = [
  { title: 'omitted (default "0")', value: undefined },
  { title: '"0"', value: '0' },
];
for (const c of keeping) {
  test(`with_logout ${c.title}: earlier tokens stay active, and so does the new one`, async ({ api, accounts, report }) => {
    await report.describe({ endpoint, feature: 'with_logout', story: 'any', source: WITH_LOGOUT_RULE, covers: ['query.with_logout'], severity: 'critical' });
    // Keeping tokens signs nobody out, so the shared account of a real target will do (no test signs that one out).
    const { provider, account } = await accounts.anySocial();
    const first = await signIn(api, provider, account);
    const second = await signIn(api, provider, account);
    const third = await signIn(api, provider, account, c.value);
    await expectActive(api, first, true, 'the first token');
    await expectActive(api, second, true, 'the second token');
    await expectActive(api, third, true, 'the new token');
  });
}

test('with_logout "1": earlier tokens are deactivated, the new one is active', async ({ api, accounts, report }) => {
  await report.describe({ endpoint, feature: 'with_logout', story: 'any', source: WITH_LOGOUT_RULE, covers: ['query.with_logout'], severity: 'critical' });
  const { provider } = await accounts.anySocial();
  const account = await accounts.ownSocial(provider);
  const first = await signIn(api, provider, account);
  const second = await signIn(api, provider, account, '0');
  await expectActive(api, first, true, 'the first token (before with_logout=1)');
  const fresh = await signIn(api, provider, account, '1');
  await expectActive(api, fresh, true, 'the token issued with with_logout=1');
  await expectActive(api, first, false, 'the first token (after with_logout=1)');
  await expectActive(api, second, false, 'the second token (after with_logout=1)');
  await test.step('a later sign-in without with_logout keeps the with_logout=1 token active', async () => {
    const later = await signIn(api, provider, account);
    await expectActive(api, fresh, true, 'the with_logout=1 token');
    await expectActive(api, later, true, 'the later token');
  });
});

test('with_logout "1" signs out only that user: another user of the same provider stays signed in', async ({ api, accounts, report }) => {
  await report.describe({ endpoint, feature: 'with_logout', story: 'any', source: WITH_LOGOUT_RULE, covers: ['query.with_logout'] });
  // The other user is the shared account (never signed out by any test); mine is one only this test holds. On a
  // real target that needs two accounts of the provider and intrusive.logoutSharedAccounts (else ownSocial skips).
  const { provider, account: other } = await accounts.anySocial();
  const mine = await accounts.ownSocial(provider);
  expect(mine.accessToken, 'two different users').not.toBe(other.accessToken);
  const otherToken = await signIn(api, provider, other);
  await signIn(api, provider, mine, '1');
  await expectActive(api, otherToken, true, "the other user's token");
});

// Only values no reading of "1 or 0" accepts: whether "" means the default is the server's choice.
for (const value of ['2', 'true', 'yes', '-1', 'logout']) {
  test(`with_logout ${JSON.stringify(value)} (not 0 or 1) is refused`, async ({ api, accounts, report }) => {
    await report.describe({ endpoint, feature: 'with_logout', story: 'any', source: WITH_LOGOUT_RULE, covers: ['query.with_logout'], expectation: true });
    const { provider, account } = await accounts.anySocial();
    const x = await api.call(endpoint, { provider, query: { projectId: profile.projectId, with_logout: value }, json: socialBody(account) });
    await expect(x).toBeRejected('with_logout "Can have the following values: 1 ... 0"');
    await expect(x).toMatchExpectation('invalidParameter');
  });
}
