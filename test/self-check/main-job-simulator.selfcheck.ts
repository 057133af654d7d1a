import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_PROFILE_PATH, loadProfile, type TargetProfile } from '../../lib/profile.ts';
import { isPortFree, startSimulator } from '../../scripts/main-job/simulator.ts';

/**
 * The main job's simulator: when the profile's port is taken (another run on a shared machine) it runs on a
 * free port, and the stages get a profile that points at it; stopping it frees the port.
 */
describe('main job simulator', () => {
  // A copy of the simulator's profile on a port this test holds (never 8787: other runs may be using it).
  const dir = mkdtempSync(join(tmpdir(), 'main-job-sim-'));
  let blocker: Server;
  let profile: TargetProfile;
  let wanted: number;

  before(async () => {
    blocker = createServer();
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', () => done()));
    wanted = (blocker.address() as { port: number }).port;
    const raw = JSON.parse(readFileSync(DEFAULT_PROFILE_PATH, 'utf8')) as Record<string, unknown>;
    raw.baseUrl = `http://127.0.0.1:${wanted}/api`;
    raw.expectations = loadProfile().expectationsPath;
    delete raw.$schema;
    writeFileSync(join(dir, 'profile.json'), JSON.stringify(raw));
    profile = loadProfile(join(dir, 'profile.json'));
  });
  after(() => blocker.close());

  it('moves to a free port when the profile port is taken, with a profile copy the loader accepts', async () => {
    assert.equal(await isPortFree(wanted), false);
    const sim = await startSimulator(profile, dir);
    try {
      const port = Number(new URL(sim.baseUrl).port);
      assert.notEqual(port, wanted);
      const moved = loadProfile(sim.profilePath);
      assert.equal(moved.baseUrl, sim.baseUrl);
      assert.deepEqual(moved.expectations, profile.expectations);
      const health = await fetch(`${new URL(sim.baseUrl).origin}/_sim/health`);
      assert.equal(health.status, 200);
      // The stages get it as SIM_SOCIAL_URL: the fake networks' test-account APIs answer there.
      assert.match(sim.socialUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal((await fetch(`${sim.socialUrl}/test-accounts/google`, { method: 'POST' })).status, 401);
    } finally {
      await sim.stop();
    }
    assert.equal(await isPortFree(Number(new URL(sim.baseUrl).port)), true);
  });
});
