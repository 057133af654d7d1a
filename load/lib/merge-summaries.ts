import { mergeRateLimitSections } from './ratelimit-result.ts';
import { latencyByEndpoint, type K6Check, type K6Group, type K6MetricSummary, type K6Summary } from './summary.ts';

/**
 * The end-of-test summaries of N instances of one run (execution segments), merged into one summary, so one
 * run is one result in the report however many k6 processes sent it. Counters and rates add up; a threshold
 * holds only if it held on every instance (each instance judged its share); trends and gauges take the worst
 * instance (percentiles of parts cannot be added: the merged p95 is the largest p95 of any instance); checks
 * add up by name; the rate-limit series add up second by second and are measured again as one. Pure.
 */

function mergeMetric(parts: K6MetricSummary[]): K6MetricSummary {
  const first = parts[0]!;
  const values: Record<string, number> = {};
  const keys = new Set(parts.flatMap((p) => Object.keys(p.values)));
  const sum = (k: string): number => parts.reduce((n, p) => n + (p.values[k] ?? 0), 0);
  for (const k of keys) {
    const present = parts.map((p) => p.values[k]).filter((v): v is number => v !== undefined);
    if (first.type === 'counter') values[k] = sum(k);
    else if (first.type === 'rate' && (k === 'passes' || k === 'fails')) values[k] = sum(k);
    else if (k === 'min') values[k] = Math.min(...present);
    else values[k] = Math.max(...present);
  }
  if (first.type === 'rate' && keys.has('passes') && keys.has('fails')) {
    const total = values.passes! + values.fails!;
    values.rate = total === 0 ? 0 : values.passes! / total;
  }
  const merged: K6MetricSummary = { type: first.type, values };
  if (first.contains !== undefined) merged.contains = first.contains;
  const expressions = new Set(parts.flatMap((p) => Object.keys(p.thresholds ?? {})));
  if (expressions.size > 0) {
    merged.thresholds = {};
    for (const e of expressions) merged.thresholds[e] = { ok: parts.every((p) => p.thresholds?.[e]?.ok !== false) };
  }
  return merged;
}

function mergeGroups(groups: K6Group[]): K6Group {
  const checks = new Map<string, K6Check>();
  for (const g of groups) {
    for (const c of g.checks ?? []) {
      const into = checks.get(c.name) ?? { name: c.name, passes: 0, fails: 0 };
      into.passes += c.passes;
      into.fails += c.fails;
      checks.set(c.name, into);
    }
  }
  const names = [...new Set(groups.flatMap((g) => (g.groups ?? []).map((s) => s.name)))];
  const sub = names.map((name) => mergeGroups(groups.flatMap((g) => (g.groups ?? []).filter((s) => s.name === name))));
  return { name: groups[0]?.name ?? '', checks: [...checks.values()], groups: sub };
}

export function mergeSummaries(summaries: readonly K6Summary[]): K6Summary {
  if (summaries.length === 0) throw new Error('no summaries to merge');
  if (summaries.length === 1) return summaries[0]!;
  const names = new Set(summaries.flatMap((s) => Object.keys(s.metrics)));
  const metrics: Record<string, K6MetricSummary> = {};
  for (const name of names) metrics[name] = mergeMetric(summaries.map((s) => s.metrics[name]).filter((m): m is K6MetricSummary => m !== undefined));
  const first = summaries[0]!;
  const merged: K6Summary = {
    metrics,
    state: { testRunDurationMs: Math.max(...summaries.map((s) => s.state?.testRunDurationMs ?? 0)) },
    root_group: mergeGroups(summaries.map((s) => s.root_group).filter((g): g is K6Group => g !== undefined)),
  };
  if (first.harness) {
    const sections = summaries.map((s) => s.harness?.ratelimit).filter((r) => r !== undefined);
    const latency = latencyByEndpoint(merged);
    merged.harness = {
      ...first.harness,
      scenario: `${first.harness.scenario}, on ${summaries.length} k6 instances`,
      finishedAtMs: Math.max(...summaries.map((s) => s.harness?.finishedAtMs ?? 0)),
      ...(Object.keys(latency).length > 0 ? { latency } : {}),
      ...(sections.length === summaries.length ? { ratelimit: mergeRateLimitSections(sections) } : {}),
    };
  }
  return merged;
}
