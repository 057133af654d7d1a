import type { RampPlan } from './onset.ts';

/**
 * Reading k6's end-of-test summary (the object handleSummary receives and summary.json holds): thresholds,
 * metric values, and the harness's own section. Pure; used by the scripts' handleSummary and by the
 * Node converter to Allure.
 */

export interface K6MetricSummary {
  type: 'counter' | 'gauge' | 'rate' | 'trend';
  contains?: string;
  values: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
}

export interface K6Summary {
  metrics: Record<string, K6MetricSummary>;
  state?: { testRunDurationMs?: number };
  root_group?: K6Group;
  setup_data?: unknown;
  /** Added by our handleSummary: what the run was and what the script concluded. */
  harness?: HarnessSection;
}

export interface K6Check {
  name: string;
  passes: number;
  fails: number;
}

export interface K6Group {
  name: string;
  checks?: K6Check[];
  groups?: K6Group[];
}

/** Every check of the run, with the groups it sits in (`group › check`). */
export function allChecks(group: K6Group | undefined, prefix = ''): K6Check[] {
  if (!group) return [];
  const here = (group.checks ?? []).map((c) => ({ ...c, name: prefix ? `${prefix} › ${c.name}` : c.name }));
  const nested = (group.groups ?? []).flatMap((g) => allChecks(g, prefix ? `${prefix} › ${g.name}` : g.name));
  return [...here, ...nested];
}

export interface HarnessSection {
  script: string;
  target: { name: string; kind: string; baseUrl: string };
  rate: number;
  durationSeconds: number;
  scenario: string;
  /** When handleSummary ran (epoch ms): the end of the run. */
  finishedAtMs?: number;
  ratelimit?: RateLimitSection;
  soak?: { windows: number; p95ByWindow: (number | null)[]; ratio: number | null; ok: boolean; reason: string; maxDriftRatio: number };
  /** Per-endpoint latency percentiles, for the chart. */
  latency?: Record<string, Record<string, number>>;
}

/** What ratelimit.ts concluded, per instance (and again for the merge of N instances). */
export interface RateLimitSection {
  /** null: no limit was expected, the script searched for it. */
  expectedPerSecond: number | null;
  tolerance: number;
  /** The burst the profile or command stated, if any (the measured one is in `measured`). */
  burst: number | null;
  mode: 'expected' | 'search';
  plan: RampPlan;
  series: { second: number; sent: number; limited: number }[];
  /** When second 0 of the series began (epoch ms): lines up the series of instances that started apart. */
  startedAtMs?: number;
  /** This instance's k6 execution segment (null: the whole test); `instances` after a merge. */
  segment?: string | null;
  instances?: number;
  /**
   * The measurements: the sustained limit (what the target let through per second once limiting), the burst
   * (requests admitted past the limit before the 429s held) and the onset (offered rate where 429s began).
   * `limitPerSecond` is the number other tools read as the target's measured limit.
   */
  measured?: { limitPerSecond: number | null; burstRequests: number | null; onsetPerSecond: number | null; seconds: number[]; spread: { min: number; max: number } | null };
  onset: { second: number; rate: number; acceptedRate: number | null } | null;
  firstLimitedSecond: number | null;
  /** With an expected limit: no 429 below (1 - tolerance) x expected (lib/ratelimit-result.ts limitedBelow). */
  below?: { ok: boolean; offendingSeconds: number[]; excusedSeconds: number[]; reason: string };
  /** The verdict on the sustained limit (on the onset, in summaries written before the limit was measured). */
  verdict: { ok: boolean; relativeError: number | null; low: number | null; high: number | null; reason: string };
}

export interface ThresholdResult {
  metric: string;
  expression: string;
  ok: boolean;
  /** The metric's values, for the step's parameters. */
  values: Record<string, number>;
}

export function thresholdResults(summary: Pick<K6Summary, 'metrics'>): ThresholdResult[] {
  const out: ThresholdResult[] = [];
  for (const [metric, m] of Object.entries(summary.metrics)) {
    for (const [expression, result] of Object.entries(m.thresholds ?? {})) out.push({ metric, expression, ok: result.ok, values: m.values });
  }
  return out.sort((a, b) => a.metric.localeCompare(b.metric) || a.expression.localeCompare(b.expression));
}

export function metricValue(summary: Pick<K6Summary, 'metrics'>, metric: string, stat: string): number | undefined {
  return summary.metrics[metric]?.values[stat];
}

/** Per-endpoint latency percentiles from the `http_req_duration{endpoint:...}` sub-metrics. */
export function latencyByEndpoint(summary: Pick<K6Summary, 'metrics'>): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const [name, m] of Object.entries(summary.metrics)) {
    const match = /^http_req_duration\{endpoint:([^}]+)\}$/.exec(name);
    if (match && m.type === 'trend') out[match[1]!] = m.values;
  }
  return out;
}

const fmt = (n: number | undefined, digits = 1): string => (n === undefined ? '-' : n.toFixed(digits));

/** A short end-of-test text for the console (k6 prints nothing itself once handleSummary exists). */
export function textSummary(summary: K6Summary, extraLines: string[] = []): string {
  const lines: string[] = [];
  const h = summary.harness;
  if (h) lines.push(`${h.script}.ts against ${h.target.name} (${h.target.baseUrl}), ${h.scenario}`);
  const reqs = summary.metrics.http_reqs?.values;
  lines.push(`  requests: ${reqs?.count ?? 0} at ${fmt(reqs?.rate)} req/s; failed: ${fmt((metricValue(summary, 'http_req_failed', 'rate') ?? 0) * 100, 2)}%; checks: ${fmt((metricValue(summary, 'checks', 'rate') ?? 0) * 100, 2)}%; dropped iterations: ${metricValue(summary, 'dropped_iterations', 'count') ?? 0}`);
  const d = summary.metrics.http_req_duration?.values;
  if (d) lines.push(`  latency: p50 ${fmt(d.med)} ms, p95 ${fmt(d['p(95)'])} ms, p99 ${fmt(d['p(99)'])} ms, max ${fmt(d.max)} ms`);
  lines.push(...extraLines.map((l) => `  ${l}`));
  const thresholds = thresholdResults(summary);
  if (thresholds.length > 0) lines.push('  thresholds:');
  for (const t of thresholds) lines.push(`    ${t.ok ? 'ok  ' : 'FAIL'} ${t.metric}: ${t.expression}`);
  return `${lines.join('\n')}\n`;
}
