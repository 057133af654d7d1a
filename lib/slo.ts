import type { EndpointId } from '../contract/index.ts';

/**
 * A target's service levels: the load SLOs (k6 thresholds of throughput.ts and soak.ts) and the regression rule
 * against the last run. The profile sets them (`load.slo`, `load.regression`); these defaults apply where it does
 * not, and are the simulator's.
 */

export interface LatencySlo {
  p95: number;
  p99: number;
}

export interface LoadSlo {
  /** Most failed requests, as a fraction (http_req_failed rate). */
  failedRate: number;
  /** Fewest passed checks, as a fraction. */
  checksRate: number;
  /** p95/p99 in ms for every endpoint, unless `endpoints` names its own. */
  latency: LatencySlo;
  endpoints?: Partial<Record<EndpointId, LatencySlo>>;
}

/**
 * When a latency counts as a regression against the baseline: worse by more than `ratio` times AND by more than
 * `addedMs` milliseconds. Both, so a fast endpoint that goes from 2 ms to 5 ms (x2.5, +3 ms) is not a regression,
 * and neither is a slow one that wobbles by 60 ms out of 900.
 */
export interface RegressionRule {
  ratio: number;
  addedMs: number;
  /** Fewest answers per endpoint, in each run, for the suites' latency to be compared at all. */
  minSamples: number;
}

export const DEFAULT_SLO: LoadSlo = { failedRate: 0.01, checksRate: 0.99, latency: { p95: 500, p99: 1000 } };

export const DEFAULT_REGRESSION: RegressionRule = { ratio: 1.5, addedMs: 50, minSamples: 20 };

export function latencySloFor(slo: LoadSlo, endpoint: string): LatencySlo {
  return slo.endpoints?.[endpoint as EndpointId] ?? slo.latency;
}

/** True when `now` is worse than `was` by more than the rule allows. */
export function isRegression(rule: Pick<RegressionRule, 'ratio' | 'addedMs'>, was: number, now: number): boolean {
  return now > was * rule.ratio && now - was > rule.addedMs;
}

export function describeRule(rule: Pick<RegressionRule, 'ratio' | 'addedMs'>): string {
  return `more than ${rule.ratio}x and more than +${rule.addedMs} ms worse`;
}
