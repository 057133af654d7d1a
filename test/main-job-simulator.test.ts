import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadProfile } from '../lib/profile.ts';
import { isPortFree, startSimulator } from '../scripts/main-job/simulator.ts';

/**
 * The main job's simulator: when the profile's port is taken (another run on a shared machine) it runs on a
 * free port, and the stages get a profile that points at it; stopping it frees the port.
 */
describe('main job simulator', () => {
  const profile = loadProfile();
  const wanted = Number(new URL(profile.baseUrl).port);
  let blocker: Server | undefined;

  before(async () => {
    if (await isPortFree(wanted)) {
      blocker = createServer();
      await new Promise<void>((done) => blocker!.listen(wanted, '127.0.0.1', () => done()));
    }
  });
  after(() => blocker?.close());

  it('moves to a free port when the profile port is taken, with a profile copy the loader accepts', async () => {
    const sim = await startSimulator(profile, mkdtempSync(join(tmpdir(), 'main-job-sim-')));
    try {
      const port = Number(new URL(sim.baseUrl).port);
      assert.notEqual(port, wanted);
      const moved = loadProfile(sim.profilePath);
      assert.equal(moved.baseUrl, sim.baseUrl);
      assert.deepEqual(moved.expectations, profile.expectations);
      const health = await fetch(`${new URL(sim.baseUrl).origin}/_sim/health`);
      assert.equal(health.status, 200);
    } finally {
      await sim.stop();
    }
    assert.equal(await isPortFree(Number(new URL(sim.baseUrl).port)), true);
  });
});
