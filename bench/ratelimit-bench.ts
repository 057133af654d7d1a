import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { K6NotFoundError, findK6 } from '../load/run/k6-binary.ts';
import { parseLoadArgs } from '../load/run/plan.ts';
import { runLoad } from '../load/run/runner.ts';
import { LIMITER_KINDS, type LimiterKind } from '../sim/rate-limiter.ts';

/**
 * `npm run bench:ratelimit [-- --duration <s>] [--budget <s>] [--limiters a,b] [--rates 50,200]`: load/ratelimit.ts
 * against the simulator started with each limiter (token bucket, fixed window, sliding window, GCRA) at 50, 200
 * and 1000 req/s, with a burst of a tenth of a second and of a whole second, one run after another. The run is
 * told the expected limit and not the burst (the case where the onset went wrong). Prints, per cell, the true
 * limit, the measured sustained limit and its error, the burst the ramp measured against the configured one,
 * the onset, what k6 actually offered, and the load average; the last line is the worst limit error. The bar:
 * every cell within ±5%. Bounded: each run lasts --duration seconds (plus start-up), and once --budget seconds
 * have passed the remaining cells are listed as not run.
 */

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    duration: { type: 'string', default: '18' },
    budget: { type: 'string', default: '600' },
    limiters: { type: 'string', default: LIMITER_KINDS.join(',') },
    rates: { type: 'string', default: '50,200,1000' },
    bursts: { type: 'string', default: '0.1,1' },
  },
});
const duration = Number(values.duration);
const budgetMs = Number(values.budget) * 1000;
const limiters = values.limiters.split(',') as LimiterKind[];
const rates = values.rates.split(',').map(Number);
const burstSeconds = values.bursts.split(',').map(Number);
const BAR = 0.05;

try {
  findK6();
} catch (error) {
  if (error instanceof K6NotFoundError) {
    process.stderr.write(`bench:ratelimit: ${error.message}\n`);
    process.exit(3);
  }
  throw error;
}

const load = (): string => loadavg().map((l) => l.toFixed(1)).join(' ');
const pct = (x: number | null): string => (x === null ? 'n/a' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`);
const cols = [16, 6, 8, 10, 9, 13, 8, 10, 16, 6];
const row = (cells: string[]): string => cells.map((c, i) => c.padEnd(cols[i] ?? 10)).join(' ').trimEnd();

const started = Date.now();
const resultsDir = mkdtempSync(join(tmpdir(), 'bench-ratelimit-'));
process.stdout.write(`bench:ratelimit: ${limiters.length} limiters x ${rates.length} rates x ${burstSeconds.length} bursts, ${duration} s each, one after another; load average at start ${load()}\n`);
process.stdout.write(`${row(['limiter', 'burst', 'true', 'measured', 'error', 'burst meas.', 'onset', 'k6 sent', 'load avg', 'run'])}\n`);

let worst: number | null = null;
let failed = 0;
let notRun = 0;
for (const limiter of limiters) {
  for (const rate of rates) {
    for (const seconds of burstSeconds) {
      const burst = Math.max(1, Math.ceil(rate * seconds));
      const label = [limiter, `${seconds}s`, String(rate)];
      if (Date.now() - started > budgetMs) {
        notRun++;
        process.stdout.write(`${row([...label, 'not run: time budget spent'])}\n`);
        continue;
      }
      const cellStart = Date.now();
      const result = await runLoad(
        // The burst goes to the simulator; the run is told only the limit (config.ratelimit.burst is informational).
        parseLoadArgs(['ratelimit', '--rate', String(rate), '--burst', String(burst), '--limiter', limiter, '--duration', String(duration), '--no-dashboard']),
        { resultsDir, showK6Output: false, log: () => undefined },
      ).catch((error: Error) => ({ error }));
      const elapsed = `${((Date.now() - cellStart) / 1000).toFixed(0)} s`;
      if ('error' in result) {
        failed++;
        process.stdout.write(`${row([...label, 'error', '', '', '', '', '', load(), elapsed])} ${result.error.message}\n`);
        continue;
      }
      const rl = result.summary?.harness?.ratelimit;
      const m = rl?.measured;
      const error = m?.limitPerSecond != null ? (m.limitPerSecond - rate) / rate : null;
      if (error === null || Math.abs(error) > BAR) failed++;
      if (error !== null) worst = worst === null || Math.abs(error) > Math.abs(worst) ? error : worst;
      const sent = rl ? rl.series.reduce((n, c) => n + c.sent, 0) / Math.max(1, rl.series.filter((c) => c.sent > 0).length) : 0;
      process.stdout.write(`${row([
        ...label,
        m?.limitPerSecond != null ? m.limitPerSecond.toFixed(1) : 'none',
        pct(error),
        `${m?.burstRequests ?? 'n/a'} (${burst})`,
        m?.onsetPerSecond != null ? String(m.onsetPerSecond) : 'none',
        `${sent.toFixed(0)}/s`,
        load(),
        elapsed,
      ])}${error === null ? `  ${rl?.verdict.reason ?? result.problems.join('; ')}` : ''}\n`);
    }
  }
}
const total = limiters.length * rates.length * burstSeconds.length;
process.stdout.write(`${total - notRun} of ${total} cells run in ${((Date.now() - started) / 1000).toFixed(0)} s; ${failed} outside ±${BAR * 100}% or not measured; load average at end ${load()}\n`);
process.stdout.write(`limit estimate worst error ${worst === null ? 'n/a' : `${(Math.abs(worst) * 100).toFixed(1)}%`}\n`);
process.exit(failed === 0 && notRun === 0 ? 0 : 1);
