import type { RunRecord } from './record.ts';

/**
 * Which earlier run a run is compared with, and what the two have in common. A run may be any part of the whole:
 * `--only load` with one k6 script, `--only e2e`, one conformance shard. Its baseline is the last record of the same
 * target that holds everything this run has (the suites it ran, its shard or the whole suite, every load script it
 * ran), so a load-only run before a release is compared with the last run of those load scripts, and the next
 * full run is still compared with the last full run, not with the load-only run in between. Failing that, the
 * last record that shares anything with it; none: this run is the first of its kind. Only what both runs have is
 * compared (lib/drift/diff.ts). Pure: unit-tested without files.
 */

export interface RunScope {
  /** The Playwright suites the run has test results of (the first folder of each test's id: conformance, e2e). */
  suites: string[];
  /** The conformance shard the run was (`2/3`), or null for the whole suite. */
  shard: string | null;
  /** The k6 scripts the run has figures of. */
  load: string[];
}

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

export function scopeOf(record: Pick<RunRecord, 'tests' | 'load' | 'run'>): RunScope {
  return {
    suites: sorted(Object.keys(record.tests).map((id) => id.split('/')[0]!).filter(Boolean)),
    shard: record.run.shard ?? null,
    load: sorted(Object.keys(record.load)),
  };
}

export const isEmptyScope = (scope: RunScope): boolean => scope.suites.length === 0 && scope.load.length === 0;

/** Does a record of scope `base` hold everything a run of scope `run` has? A shard is covered by the whole suite or the same shard. */
export function covers(base: RunScope, run: RunScope): boolean {
  if (!run.suites.every((s) => base.suites.includes(s))) return false;
  if (run.suites.length > 0 && base.shard !== null && base.shard !== run.shard) return false;
  return run.load.every((s) => base.load.includes(s));
}

/** How many of the run's parts (suites, load scripts) the base has too. */
export function sharedParts(base: RunScope, run: RunScope): number {
  return run.suites.filter((s) => base.suites.includes(s)).length + run.load.filter((s) => base.load.includes(s)).length;
}

/** What the scope is, in words: `conformance (shard 2/3), e2e and load scripts throughput, smoke`. */
export function describeScope(scope: RunScope): string {
  const parts = scope.suites.map((s) => (s === 'conformance' && scope.shard ? `${s} (shard ${scope.shard})` : s));
  if (scope.load.length > 0) parts.push(`load script${scope.load.length > 1 ? 's' : ''} ${scope.load.join(', ')}`);
  if (parts.length === 0) return 'nothing';
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

/** A file name for the last record of each scope of a target: `conformance+e2e+load-smoke`, `load-throughput`. */
export function scopeKey(scope: RunScope): string {
  const suites = scope.suites.map((s) => (s === 'conformance' && scope.shard ? `${s}-shard-${scope.shard.replace('/', '-of-')}` : s));
  const parts = [...suites, ...(scope.load.length > 0 ? [`load-${scope.load.join('-')}`] : [])];
  return parts.join('+').replace(/[^a-z0-9+._-]+/gi, '-') || 'empty';
}

export interface Candidate {
  record: RunRecord;
  /** Where it is kept, for the summary. */
  path: string;
}

/**
 * The baseline of a run among the target's kept records: the most recent one that covers it, else the most recent
 * one that shares a part with it, else none. Records of the same run (a report rebuilt from the same results) are
 * not candidates: the caller sees those first.
 */
export function chooseBaseline(candidates: readonly Candidate[], run: RunScope): Candidate | null {
  const byDate = [...candidates].sort((a, b) => b.record.run.date.localeCompare(a.record.run.date));
  return byDate.find((c) => covers(scopeOf(c.record), run)) ?? byDate.find((c) => sharedParts(scopeOf(c.record), run) > 0) ?? null;
}

export interface Compared {
  /** Tests that made requests in both runs (the answers compared). */
  tests: number;
  /** Endpoints whose suite latency both runs measured. */
  endpoints: number;
  /** Load scripts both runs have figures of. */
  load: string[];
  rateLimit: boolean;
}

/** What two records have in common, i.e. what diffRecords compares. */
export function comparedParts(base: RunRecord, current: RunRecord): Compared {
  const tests = Object.entries(current.tests).filter(([id, t]) => t.answers.length > 0 && (base.tests[id]?.answers.length ?? 0) > 0).length;
  const endpoints = Object.keys(current.latency).filter((e) => e in base.latency).length;
  const load = Object.keys(current.load).filter((s) => s in base.load).sort();
  const rateLimit = base.rateLimit !== null && current.rateLimit !== null;
  return { tests, endpoints, load, rateLimit };
}

export function describeCompared(c: Compared): string {
  const parts: string[] = [];
  if (c.tests > 0) parts.push(`${c.tests} ${c.tests === 1 ? "test's" : "tests'"} answers`);
  if (c.endpoints > 0) parts.push(`the suites' latency on ${c.endpoints} endpoint${c.endpoints === 1 ? '' : 's'}`);
  if (c.load.length > 0) parts.push(`k6 latency of ${c.load.map((s) => `${s}.ts`).join(', ')}`);
  if (c.rateLimit) parts.push('the rate limit');
  return parts.length > 0 ? parts.join(', ') : 'nothing (the two runs have no part in common)';
}
