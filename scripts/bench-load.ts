import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadProfile, PROJECT_ROOT } from '../lib/profile.ts';
import { K6NotFoundError, findK6 } from '../load/run/k6-binary.ts';
import type { LoadConfig } from '../load/lib/config.ts';
import { nextRequest, planTraffic } from '../load/lib/traffic.ts';
import { maxVUsFor, parseLoadArgs, planRun } from '../load/run/plan.ts';
import { runLoad } from '../load/run/runner.ts';
import { startSimulatorProcess, type SimulatorProcess } from '../load/run/simulator-process.ts';

/**
 * `npm run bench:load [-- --rate <rps>] [--duration <s>] [--rounds <n>]`: throughput.ts against a bare
 * one-request k6 script at the same arrival rate, side by side in one run (alternating, against one simulator
 * without a rate limit), printing both achieved rates and the ratio. The bar: ratio ≥ 0.95.
 */

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { rate: { type: 'string', default: '150' }, duration: { type: 'string', default: '20' }, rounds: { type: 'string', default: '3' }, 'base-url': { type: 'string' } },
});
const rate = Number(values.rate);
const duration = Number(values.duration);
const rounds = Number(values.rounds);
const BAR = 0.95;
/** Both scripts get the same VUs, all pre-allocated. */
const vus = maxVUsFor(rate);

interface Measured {
  requests: number;
  rate: number;
  dropped: number;
  p95: number;
}

function measured(summaryPath: string): Measured {
  const data = JSON.parse(readFileSync(summaryPath, 'utf8')) as { metrics: Record<string, { values: Record<string, number> } | undefined> };
  const requests = data.metrics.http_reqs?.values.count ?? 0;
  return { requests, rate: requests / duration, dropped: data.metrics.dropped_iterations?.values.count ?? 0, p95: data.metrics.http_req_duration?.values['p(95)'] ?? NaN };
}

/**
 * The bare script's requests, built in Node with the very helpers and mix throughput.ts uses, fresh accounts
 * each: both scripts then ask the server for the same work, and the ratio measures the script, not the mix.
 */
function prebuildRequests(baseUrl: string, path: string, round: number): void {
  const plan = planRun(parseLoadArgs(['throughput', '--rate', String(rate), '--duration', String(duration), '--base-url', baseUrl]), loadProfile());
  const config: LoadConfig = { ...plan.config, outDir: '', runId: `bare${Date.now()}r${round}` };
  const traffic = planTraffic(config);
  const list = [];
  for (let i = 0; i < Math.ceil(rate * duration * 1.05); i++) {
    const { spec } = nextRequest(config, plan.secrets, traffic, i, `${config.runId}-${i}`);
    list.push({ method: spec.method, url: spec.url, body: spec.body, headers: spec.headers });
  }
  writeFileSync(path, JSON.stringify(list));
}

async function runBare(k6: string, baseUrl: string, outDir: string, round: number): Promise<Measured> {
  mkdirSync(outDir, { recursive: true });
  const requests = join(outDir, 'requests.json');
  prebuildRequests(baseUrl, requests, round);
  const args = ['run', '--quiet', '-e', `REQUESTS=${requests}`, '-e', `RATE=${rate}`, '-e', `DURATION=${duration}`,
    '-e', `VUS=${vus}`, '-e', `OUT_DIR=${outDir}`, join(PROJECT_ROOT, 'load', 'bench', 'bare.ts')];
  const code = await new Promise<number | null>((resolve) => spawn(k6, args, { stdio: 'ignore', env: { ...process.env, K6_WEB_DASHBOARD: 'false' } }).once('close', resolve));
  if (code !== 0) throw new Error(`bare script: k6 exited with ${code}`);
  return measured(join(outDir, 'summary.json'));
}

async function main(): Promise<void> {
  let k6: string;
  try {
    k6 = findK6();
  } catch (error) {
    if (error instanceof K6NotFoundError) {
      process.stderr.write(`bench:load: ${error.message}\n`);
      process.exit(3);
    }
    throw error;
  }
  let sim: SimulatorProcess | null = null;
  const baseUrl = values['base-url'] ?? (sim = await startSimulatorProcess({ rateLimit: null })).url;
  const out = join(PROJECT_ROOT, 'bench', 'out', `load-${Date.now()}`);
  const bare: Measured[] = [];
  const mixed: Measured[] = [];
  try {
    process.stdout.write(`bench:load: ${rate} req/s for ${duration} s, ${rounds} round(s), against ${baseUrl}\n`);
    for (let r = 0; r < rounds; r++) {
      bare.push(await runBare(k6, baseUrl, join(out, `bare-${r}`), r));
      process.stdout.write(`  round ${r + 1} bare:       ${bare[r]!.rate.toFixed(1)} req/s (${bare[r]!.dropped} dropped, p95 ${bare[r]!.p95.toFixed(1)} ms)\n`);
      const result = await runLoad(
        parseLoadArgs(['throughput', '--rate', String(rate), '--duration', String(duration), '--base-url', baseUrl, '--no-dashboard', '--no-report', '--max-vus', String(vus)]),
        { outDir: join(out, `throughput-${r}`), log: () => undefined, showK6Output: false },
      );
      mixed.push(measured(join(result.outDir, 'summary.json')));
      process.stdout.write(`  round ${r + 1} throughput: ${mixed[r]!.rate.toFixed(1)} req/s (${mixed[r]!.dropped} dropped, p95 ${mixed[r]!.p95.toFixed(1)} ms)\n`);
    }
  } finally {
    await sim?.stop();
  }
  const mean = (xs: Measured[]): number => xs.reduce((n, x) => n + x.rate, 0) / xs.length;
  // Per round, the two runs sit next to each other in time; the median of the rounds' ratios keeps one round
  // that a busy machine disturbed from deciding the result (the mean is printed too).
  const ratios = mixed.map((m, i) => m.rate / bare[i]!.rate).sort((a, b) => a - b);
  const mid = Math.floor(ratios.length / 2);
  const ratio = ratios.length % 2 === 1 ? ratios[mid]! : (ratios[mid - 1]! + ratios[mid]!) / 2;
  process.stdout.write(
    `bare one-request script: ${mean(bare).toFixed(1)} req/s (mean of ${rounds})\n` +
      `throughput.ts:           ${mean(mixed).toFixed(1)} req/s (mean of ${rounds})\n` +
      `ratio per round: ${mixed.map((m, i) => (m.rate / bare[i]!.rate).toFixed(3)).join(', ')}; ratio of the means ${(mean(mixed) / mean(bare)).toFixed(3)}\n` +
      `ratio: ${ratio.toFixed(3)} (median of the rounds; bar >= ${BAR}) ${ratio >= BAR ? 'ok' : 'BELOW THE BAR'}\n`,
  );
  process.exit(ratio >= BAR ? 0 : 1);
}

void main();
