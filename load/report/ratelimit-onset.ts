import { readFileSync } from 'node:fs';
import { findOnset, judgeOnset, mergeSeries, predictedOvershoot, rampSlope } from '../lib/onset.ts';
import type { K6Summary } from '../lib/summary.ts';

/**
 * The 429 onset of a ratelimit.ts run that ran on N instances (execution segments, k6-operator): adds the
 * per-second series of their summary.json files and judges the onset of the whole.
 *   npx tsx load/report/ratelimit-onset.ts instance-1/summary.json instance-2/summary.json ...
 */

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write('usage: tsx load/report/ratelimit-onset.ts <summary.json> [<summary.json> ...]\n');
  process.exit(2);
}
const summaries = files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as K6Summary);
const sections = summaries.map((s, i) => {
  const rl = s.harness?.ratelimit;
  if (!rl) throw new Error(`${files[i]}: not a ratelimit.ts summary (no harness.ratelimit section)`);
  return rl;
});
const first = sections[0]!;
const analysis = findOnset(mergeSeries(sections.map((s) => s.series)));
const verdict = judgeOnset(analysis, first.expectedPerSecond, first.tolerance, predictedOvershoot(first.burst ?? 0, first.plan.stages ? rampSlope(first.plan, first.expectedPerSecond) : 0));
process.stdout.write(`${files.length} instance(s), ${analysis.totalSent} requests, ${analysis.totalLimited} answered 429\n${verdict.reason} ${verdict.ok ? 'ok' : 'FAIL'}\n`);
process.exit(verdict.ok ? 0 : 1);
