import { Worker } from 'node:worker_threads';
import type { FakeNetworkOptions } from './fake-networks.ts';

/**
 * Starts the fake social networks in a worker thread. They answer over real HTTP on their own loopback port; the
 * thread only keeps their work off the Login simulator's event loop, so checking a token costs the simulator a
 * network round trip, not the fake network's CPU time as well.
 */
export async function startFakeNetworksThread(options: Omit<FakeNetworkOptions, 'now'>): Promise<{ origin: string; close(): Promise<void> }> {
  // A plain .mjs entry that registers the TypeScript loader inside the thread.
  const worker = new Worker(new URL('./fake-networks-worker.mjs', import.meta.url), {
    workerData: {
      latencyMs: options.latencyMs,
      outage: [...options.outage],
      slowMs: options.slowMs,
      tokenTtlSeconds: options.tokenTtlSeconds ?? null,
      epicCodesSingleUse: options.epicCodesSingleUse ?? false,
      facebookTestUsersPaused: options.facebookTestUsersPaused ?? false,
    },
  });
  const origin = await new Promise<string>((resolve, reject) => {
    worker.once('message', (m: { origin: string }) => resolve(m.origin));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`fake social networks exited with ${code}`)));
  });
  worker.unref();
  return {
    origin,
    async close() {
      worker.ref(); // keep the process alive until the thread has gone
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage('close');
      await Promise.race([exited, new Promise<void>((r) => setTimeout(r, 2000).unref())]);
      await worker.terminate();
    },
  };
}
