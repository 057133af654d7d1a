import { mkdirSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../lib/profile.ts';
import { countResults, type Counts } from '../reports/results.ts';
import { DEFECTS } from '../sim/defects.ts';
import { runPlaywright } from '../scripts/verify-harness/playwright-run.ts';
import { freePort } from '../lib/listening.ts';
import { writeProfile } from '../scripts/verify-harness/target-profiles.ts';

/**
 * `npm run bench:failing [-- --rounds 2] [--workers 2] [--defect error-body-not-wrapped] [--files a.spec.ts,...]`: the conformance stage
 * as QA runs it (the project's reporters: redaction, console, Allure) against the good simulator and against a
 * simulator with one defect that fails about two thirds of the tests, in the same run, with the same worker count.
 * Prints both times (the median of the rounds; rounds alternate the order so a machine getting busier or quieter
 * does not favour one side), the ratio, the failed tests and the load average. Bar: ratio <= 1.5.
 *
 * A warm-up run first (one spec file against the good simulator) fills Playwright's transform cache and the disk
 * cache, so neither measured side pays for a cold start. Each run gets a simulator on a port of its own and its
 * own results and output folders.
 */

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '2' },
    workers: { type: 'string', default: process.env.PW_WORKERS ?? '2' },
    defect: { type: 'string', default: 'error-body-not-wrapped' },
    // A subset of spec files (comma-separated) for a quick reading; the bar is measured on the whole suite.
    files: { type: 'string' },
  },
});
const files = values.files ? values.files.split(',').map((f) => f.trim()).filter(Boolean) : [];
const rounds = Number(values.rounds);
const workers = Number(values.workers);
const defect = values.defect!;
if (!DEFECTS[defect]) throw new Error(`--defect: unknown defect "${defect}" (npm run sim -- --list-defects)`);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds: expected a positive integer, got "${values.rounds}"`);

const BAR = 1.5;
const OUT = join(PROJECT_ROOT, 'reports/out/bench-failing');
rmSync(OUT, { recursive: true, force: true });

interface Measured {
  seconds: number;
  counts: Counts;
  load: number;
}

const fmtLoad = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');

async function conformanceRun(label: string, simDefect: string | null, files: string[]): Promise<Measured> {
  const dir = join(OUT, label);
  const results = join(dir, 'allure-results');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const profile = writeProfile(dir, await freePort());
  const load = loadavg()[0]!;
  const outcome = await runPlaywright({
    project: 'conformance',
    outDir: dir,
    workers,
    files,
    timeoutMs: 60 * 60_000,
    keepConfigReporters: true,
    env: {
      TARGET_PROFILE: profile,
      ALLURE_RESULTS_DIR: results,
      E2E_CLIENT_APP: 'off',
      FAKER_SEED: '12345',
      ...(simDefect ? { SIM_DEFECT: simDefect } : {}),
    },
  });
  if (outcome.timedOut) throw new Error(`${label}: the run was killed after an hour (log: ${outcome.logPath})`);
  const counts = countResults(results);
  process.stdout.write(
    `  ${label.padEnd(28)} ${outcome.seconds.toFixed(1).padStart(7)} s  ${counts.passed} passed, ${counts.failed} failed, ${counts.broken} broken (exit ${outcome.exitCode}; load ${load.toFixed(2)} at start)\n`,
  );
  return { seconds: outcome.seconds, counts, load };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

process.stdout.write(
  `bench:failing: conformance${files.length ? ` (${files.join(', ')})` : ''} vs the good simulator and vs defect "${defect}", ${workers} workers, ${rounds} round(s); ` +
    `load average ${fmtLoad()} (${cpus().length} cores)\n`,
);
await conformanceRun('warm-up', null, ['conformance/oauth-code-exchange.spec.ts']);

const good: Measured[] = [];
const bad: Measured[] = [];
for (let r = 1; r <= rounds; r++) {
  // Odd rounds good first, even rounds defect first.
  const order = r % 2 === 1 ? (['good', 'defect'] as const) : (['defect', 'good'] as const);
  for (const side of order) {
    if (side === 'good') good.push(await conformanceRun(`round ${r}: good simulator`, null, files));
    else bad.push(await conformanceRun(`round ${r}: ${defect}`, defect, files));
  }
}

const goodSeconds = median(good.map((m) => m.seconds));
const badSeconds = median(bad.map((m) => m.seconds));
const ratio = badSeconds / goodSeconds;
const last = bad[bad.length - 1]!.counts;
const total = last.passed + last.failed + last.broken + last.skipped;
const goodProblems = good.filter((m) => m.counts.failed + m.counts.broken > 0 || m.counts.passed === 0).length;
process.stdout.write(
  `\ngood simulator:   ${goodSeconds.toFixed(1)} s (median of ${good.length})\n` +
    `defect ${defect}: ${badSeconds.toFixed(1)} s (median of ${bad.length}); ${last.failed + last.broken} of ${total} tests failed (${((100 * (last.failed + last.broken)) / Math.max(1, total)).toFixed(0)} %)\n` +
    `ratio: ${ratio.toFixed(2)} (bar <= ${BAR}: ${ratio <= BAR ? 'met' : 'NOT met'})\n` +
    `load average: ${fmtLoad()} now, ${[...good, ...bad].map((m) => m.load.toFixed(1)).join('/')} at the start of each run (${cpus().length} cores; above that the machine was busy and the figures are not a measurement)\n`,
);
if (goodProblems > 0) {
  process.stderr.write(`bench:failing: ${goodProblems} good-simulator run(s) had failures: the baseline is not a passing run (see ${OUT})\n`);
  process.exit(1);
}
process.exit(ratio <= BAR ? 0 : 1);
