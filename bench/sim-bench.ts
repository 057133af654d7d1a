import { spawn, type ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { waitForListening } from '../lib/listening.ts';
import { PROJECT_ROOT } from '../lib/profile.ts';
import { MAIN_PROJECT_ID } from '../sim/seed.ts';

/**
 * `npm run bench:sim`: the simulator's JWT login_with_token against a bare node:http server that signs one HS256
 * JWT per request, driven by autocannon in the same run, each server in its own process. Prints both req/s, the
 * ratio and p99. `--memory` also drives the simulator through 1,000,000 requests with distinct users and compares
 * RSS after 100,000 and after 1,000,000.
 *
 * The simulator runs as it starts by default, remembering a social network's acceptance of a token for 60 s; the
 * same run also measures it with `--social-cache-ttl 0` (a network round trip on every request) and prints that too,
 * so the cost of the round trip is in plain sight rather than hidden by the default.
 *
 * Bars: simulator >= 0.5 x the bare server's req/s, p99 < 20 ms at 50 connections; RSS(1M) <= 1.5 x RSS(100k).
 */
const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    memory: { type: 'boolean', default: false },
  },
});
const duration = Number(values.duration);
const connections = Number(values.connections);

function start(script: string, args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return waitForListening(child, script, 30_000).then((url) => ({ child, url }));
}

let userCounter = 0;
function drive(url: string, opts: { duration?: number; amount?: number; distinctUsers?: number }): Promise<autocannon.Result> {
  const distinct = opts.distinctUsers ?? 1000;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${url}/social/google/login_with_token?projectId=${MAIN_PROJECT_ID}`,
        method: 'POST',
        connections,
        ...(opts.amount ? { amount: opts.amount } : { duration: opts.duration ?? duration }),
        headers: { 'content-type': 'application/json' },
        requests: [
          {
            setupRequest: (req) => ({ ...req, body: JSON.stringify({ access_token: `sim-google-bench${userCounter++ % distinct}` }) }),
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

const summary = (name: string, r: autocannon.Result): string =>
  `${name.padEnd(22)} ${r.requests.average.toFixed(0).padStart(7)} req/s   p50 ${String(r.latency.p50).padStart(3)} ms   p99 ${String(r.latency.p99).padStart(3)} ms   non-2xx ${r.non2xx}   errors ${r.errors}`;

async function rssOf(url: string): Promise<number> {
  const res = await fetch(url.replace(/\/api$/, '/_sim/health'));
  return ((await res.json()) as { rss_bytes: number }).rss_bytes;
}

async function main(): Promise<void> {
  const bare = await start('bench/bare-jwt-server.ts', ['0']);
  const sim = await start('sim/main.ts', ['--port', '0', '--rate-limit', 'off']);
  const simNoCache = await start('sim/main.ts', ['--port', '0', '--rate-limit', 'off', '--social-cache-ttl', '0']);
  try {
    process.stdout.write(`warming up the servers...\n`);
    for (const s of [bare, sim, simNoCache]) await drive(s.url, { duration: 2 });
    process.stdout.write(`measuring ${duration} s each at ${connections} connections, ${1000} distinct social users\n`);
    const bareResult = await drive(bare.url, {});
    const simResult = await drive(sim.url, {});
    const noCacheResult = await drive(simNoCache.url, {});
    simNoCache.child.kill('SIGTERM');
    const ratio = simResult.requests.average / bareResult.requests.average;
    const noCacheRatio = noCacheResult.requests.average / bareResult.requests.average;
    process.stdout.write(`${summary('bare JWT server', bareResult)}\n${summary('simulator', simResult)}\n${summary('simulator, no cache', noCacheResult)}\n`);
    process.stdout.write(`ratio simulator/bare: ${ratio.toFixed(2)} (bar >= 0.50)   simulator p99: ${simResult.latency.p99} ms (bar < 20 ms)\n`);
    process.stdout.write(`for reference, a network round trip on every request: ratio ${noCacheRatio.toFixed(2)}, p99 ${noCacheResult.latency.p99} ms\n`);
    let ok = ratio >= 0.5 && simResult.latency.p99 < 20 && simResult.non2xx === 0 && simResult.errors === 0;

    if (values.memory) {
      process.stdout.write('memory: 100,000 requests with distinct users...\n');
      await drive(sim.url, { amount: 100_000, distinctUsers: 1_000_000_000 });
      const rss100k = await rssOf(sim.url);
      process.stdout.write(`  RSS after 100,000: ${(rss100k / 2 ** 20).toFixed(1)} MiB\nmemory: 900,000 more...\n`);
      const rest = await drive(sim.url, { amount: 900_000, distinctUsers: 1_000_000_000 });
      const rss1m = await rssOf(sim.url);
      const growth = rss1m / rss100k;
      process.stdout.write(`  RSS after 1,000,000: ${(rss1m / 2 ** 20).toFixed(1)} MiB   ratio ${growth.toFixed(2)} (bar <= 1.50)   non-2xx ${rest.non2xx}\n`);
      ok &&= growth <= 1.5;
    }
    process.stdout.write(ok ? 'bench:sim: bars met\n' : 'bench:sim: BARS NOT MET\n');
    process.exitCode = ok ? 0 : 1;
  } finally {
    for (const s of [bare, sim, simNoCache]) s.child.kill('SIGTERM');
  }
}

void main();
