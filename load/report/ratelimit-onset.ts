import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { mergeSummaries } from '../lib/merge-summaries.ts';
import { harnessLinesIn, mergeRateLimitSections } from '../lib/ratelimit-result.ts';
import type { HarnessSection, K6Summary, RateLimitSection } from '../lib/summary.ts';
import { convertSummary, defaultResultsDir } from './summary-to-allure.ts';

/**
 * The rate limit of a ratelimit.ts run that ran on N instances (execution segments: `npm run load --
 * --instances N`, k6-operator, machines by hand): adds the per-second series of every instance, measures the
 * sustained limit, the burst and the onset of the whole, and judges the limit. Each input is an instance's
 * summary file (summary.segment-*.json) or its log (`kubectl logs`): a k6-operator pod's files are gone with
 * the pod, and the script prints its harness section on stdout as one line for that reason.
 *   npx tsx load/report/ratelimit-onset.ts [--out merged.json] [--allure] <summary.json|runner.log> ...
 */

export interface Instance {
  file: string;
  /** The whole summary when the input is a summary file; from a log only the harness section. */
  summary: K6Summary | null;
  harness: HarnessSection;
}

export function readInstances(files: readonly string[]): Instance[] {
  const out: Instance[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON: a log */
    }
    const summary = parsed as K6Summary | null;
    if (summary?.harness) {
      out.push({ file, summary, harness: summary.harness });
      continue;
    }
    const lines = harnessLinesIn(text) as { harness?: HarnessSection }[];
    if (lines.length === 0) throw new Error(`${file}: neither a summary with a harness section nor a k6 log with a "k6-harness-summary" line`);
    for (const line of lines) if (line.harness) out.push({ file, summary: null, harness: line.harness });
  }
  return out;
}

/** One summary for the N instances: the full merge when every input was a summary file, else the harness sections alone. */
export function mergeInstances(instances: readonly Instance[]): K6Summary {
  if (instances.every((i) => i.summary !== null)) return mergeSummaries(instances.map((i) => i.summary!));
  const sections = instances.map((i) => i.harness.ratelimit).filter((r): r is RateLimitSection => r !== undefined);
  const first = instances[0]!.harness;
  return {
    metrics: {},
    harness: {
      ...first,
      scenario: `${first.scenario}, on ${instances.length} k6 instances (merged from their logs: thresholds are in each runner's log)`,
      ...(sections.length > 0 ? { ratelimit: mergeRateLimitSections(sections) } : {}),
    },
  };
}

function main(argv: string[]): void {
  const allure = argv.includes('--allure');
  const outIndex = argv.indexOf('--out');
  const out = outIndex >= 0 ? argv[outIndex + 1] : undefined;
  const files = argv.filter((a, i) => a !== '--allure' && a !== '--out' && (outIndex < 0 || i !== outIndex + 1));
  if (files.length === 0) {
    process.stderr.write('usage: tsx load/report/ratelimit-onset.ts [--out merged.json] [--allure] <summary.json|runner.log> [...]\n');
    process.exit(2);
  }
  const instances = readInstances(files);
  const notRatelimit = instances.filter((i) => !i.harness.ratelimit);
  if (notRatelimit.length > 0) throw new Error(`${notRatelimit.map((i) => i.file).join(', ')}: not a ratelimit.ts run (no harness.ratelimit section)`);
  const merged = mergeInstances(instances);
  const rl = merged.harness!.ratelimit!;
  const m = rl.measured!;
  process.stdout.write([
    `${instances.length} instance(s), ${rl.series.reduce((n, c) => n + c.sent, 0)} requests, ${rl.series.reduce((n, c) => n + c.limited, 0)} answered 429`,
    `sustained limit ${m.limitPerSecond ?? 'not measured'} req/s; burst ${m.burstRequests ?? 'n/a'} requests past the limit; 429 onset ${m.onsetPerSecond ?? 'none'} req/s`,
    `${rl.verdict.reason} ${rl.verdict.ok ? 'ok' : 'FAIL'}`,
  ].join('\n') + '\n');
  if (out) writeFileSync(resolve(out), JSON.stringify(merged, null, 1));
  if (allure) convertSummary({ summary: merged, resultsDir: defaultResultsDir() });
  process.exit(rl.verdict.ok ? 0 : 1);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) main(process.argv.slice(2));
