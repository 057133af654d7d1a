import { parentPort, workerData } from 'node:worker_threads';
import { startFakeNetworks } from './fake-networks.ts';

/** The fake social networks on a thread of their own: a separate event loop, as a separate host would be. */
const data = workerData as { latencyMs: number; outage: string[]; slowMs: number; tokenTtlSeconds: number | null; epicCodesSingleUse: boolean; facebookTestUsersPaused: boolean };
const { origin, server } = await startFakeNetworks({ ...data, outage: new Set(data.outage) });
parentPort!.postMessage({ origin });
parentPort!.on('message', (message: unknown) => {
  if (message === 'close') {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});
