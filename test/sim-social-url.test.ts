import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ensureSimSocialUrl } from '../lib/sim-social-url.ts';
import type { TargetProfile } from '../lib/profile.ts';
import { simulator } from './sim-helpers.ts';

/** Playwright's global setup finds the fake networks of a simulator it started, for credential sources. */

const profileOf = (kind: string, baseUrl: string) => ({ kind, baseUrl, timeouts: { requestMs: 5000, connectMs: 3000 } }) as unknown as TargetProfile;

test('a simulator target: SIM_SOCIAL_URL from its health check, unless already set; a remote target: never', async () => {
  const sim = await simulator();
  try {
    const env: NodeJS.ProcessEnv = {};
    assert.equal(await ensureSimSocialUrl(profileOf('simulator', sim.url), env), sim.socialUrl);
    assert.equal(env.SIM_SOCIAL_URL, sim.socialUrl);
    const preset: NodeJS.ProcessEnv = { SIM_SOCIAL_URL: 'http://127.0.0.1:1' };
    assert.equal(await ensureSimSocialUrl(profileOf('simulator', sim.url), preset), 'http://127.0.0.1:1');
    const remote: NodeJS.ProcessEnv = {};
    assert.equal(await ensureSimSocialUrl(profileOf('remote', sim.url), remote), undefined);
    assert.equal(remote.SIM_SOCIAL_URL, undefined);
  } finally {
    await sim.close();
  }
});
