import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { mintAccount as mintNode } from '../lib/credentials.ts';
import { loadProfile } from '../lib/profile.ts';
import { accountFor, base64Utf8, fillTemplate, mintAccount, usableProviders } from '../load/lib/credentials.ts';

test('Base64 without Buffer equals Node\'s standard Base64 of the UTF-8 bytes, for any text', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => base64Utf8(text) === Buffer.from(text, 'utf8').toString('base64')), { numRuns: 2000 });
  assert.equal(base64Utf8('sim-steam-alice'), 'c2ltLXN0ZWFtLWFsaWNl');
  assert.equal(base64Utf8(''), '');
});

test('the k6-safe template fill mints exactly what lib/credentials.ts mints, for every provider of the simulator profile', () => {
  const profile = loadProfile();
  for (const provider of Object.keys(profile.credentialTemplates)) {
    assert.deepEqual(mintAccount(profile.credentialTemplates, provider, 'u123abc'), mintNode(profile, provider, 'u123abc'), provider);
  }
});

test('templates: {id} everywhere in a string, base64 templates encoded after the fill', () => {
  assert.equal(fillTemplate('a-{id}-b-{id}', 'X'), 'a-X-b-X');
  assert.equal(fillTemplate({ base64: 'sim-xbox-{id}' }, 'bob'), Buffer.from('sim-xbox-bob').toString('base64'));
});

test('accounts: minted where templates exist, else the profile\'s round robin, else none', () => {
  const secrets = {
    templates: { facebook: { accessToken: 'sim-facebook-{id}' } },
    accounts: { google: [{ accessToken: 'g1' }, { accessToken: 'g2' }] },
    clientSecret: '',
  };
  assert.deepEqual(accountFor(secrets, 'facebook', 'n1', 5), { accessToken: 'sim-facebook-n1' });
  assert.deepEqual(accountFor(secrets, 'google', 'n1', 0), { accessToken: 'g1' });
  assert.deepEqual(accountFor(secrets, 'google', 'n1', 3), { accessToken: 'g2' });
  assert.equal(accountFor(secrets, 'twitter', 'n1', 0), undefined);
  assert.deepEqual(usableProviders(secrets, ['facebook', 'google', 'twitter']), ['facebook', 'google']);
});
