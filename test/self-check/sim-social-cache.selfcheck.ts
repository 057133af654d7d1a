import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROJECT, simulator, uid } from '../sim-helpers.ts';

const LATENCY_MS = 1200;
const path = `/social/google/login_with_token?projectId=${PROJECT}`;

async function timedLogin(sim: Awaited<ReturnType<typeof simulator>>, token: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const res = await sim.call('POST', path, { json: { access_token: token } });
  return { status: res.status, ms: performance.now() - started };
}

test('a network\'s yes is remembered; its no is asked again; ttl 0 asks every time', async () => {
  const cached = await simulator({ socialLatencyMs: LATENCY_MS });
  const uncached = await simulator({ socialLatencyMs: LATENCY_MS, socialCacheTtlSeconds: 0 });
  try {
    const token = `sim-google-${uid()}`;
    const first = await timedLogin(cached, token);
    assert.equal(first.status, 200);
    assert.ok(first.ms >= LATENCY_MS, `first sign-in asks the network (${first.ms.toFixed(0)} ms)`);
    const second = await timedLogin(cached, token);
    assert.equal(second.status, 200);
    assert.ok(second.ms < LATENCY_MS, `the same token is not asked again (${second.ms.toFixed(0)} ms)`);

    const refused = 'sim-facebook-not-for-google';
    for (let i = 0; i < 2; i++) {
      const r = await timedLogin(cached, refused);
      assert.equal(r.status, 422);
      assert.ok(r.ms >= LATENCY_MS, `a refusal is never remembered (${r.ms.toFixed(0)} ms)`);
    }

    const again = `sim-google-${uid()}`;
    for (let i = 0; i < 2; i++) {
      const r = await timedLogin(uncached, again);
      assert.equal(r.status, 200);
      assert.ok(r.ms >= LATENCY_MS, `ttl 0 asks every time (${r.ms.toFixed(0)} ms)`);
    }
  } finally {
    await cached.close();
    await uncached.close();
  }
});
