import { check } from 'k6';
import { Trend } from 'k6/metrics';
import type { Options } from 'k6/options';
import { hasDocumentedSuccessBody, isSuccessStatus, parseJson } from './lib/checks.ts';
import { analyseDrift, windowMetricName, windowOf } from './lib/drift.ts';
import { COMMON_OPTIONS, config, elapsedInScenarioMs, nextIteration, requireSecrets, preAllocatedFor, secrets, send, summaryOutputs } from './lib/k6-runtime.ts';
import type { K6Summary } from './lib/summary.ts';
import { documentedAnswerCheckNames, planTraffic, trafficGenerator } from './lib/traffic.ts';

/**
 * Soak: the throughput mix at a steady rate for a long, bounded duration. Thresholds: error rate, checks,
 * p95/p99 overall and in the last window; the latency drift (p95 of the last window against the first) is
 * computed from the per-window Trends and judged in handleSummary.
 *   npm run load -- soak --rate 50 --duration 1800
 */

if (!config.soak) throw new Error('soak.ts: the run config has no soak section (run it through `npm run load -- soak`)');
const soak = config.soak;
const traffic = planTraffic(config);
const nextRequest = trafficGenerator(config, secrets, traffic);
const { latency } = config.slo;
const CHECK_NAMES = documentedAnswerCheckNames();

const windows: Trend[] = [];
for (let w = 0; w < soak.windows; w++) windows.push(new Trend(windowMetricName(w), true));

export const options: Options = {
  ...COMMON_OPTIONS,
  scenarios: {
    soak: {
      executor: 'constant-arrival-rate',
      rate: Math.round(config.rate),
      timeUnit: '1s',
      duration: `${config.durationSeconds}s`,
      preAllocatedVUs: preAllocatedFor(config.rate),
      maxVUs: config.maxVUs,
      gracefulStop: '10s',
    },
  },
  thresholds: {
    http_req_failed: [`rate<${config.slo.failedRate}`, { threshold: 'rate<0.2', abortOnFail: true, delayAbortEval: '30s' }],
    checks: [`rate>${config.slo.checksRate}`],
    http_req_duration: [`p(95)<${latency.p95}`, `p(99)<${latency.p99}`],
    [windowMetricName(soak.windows - 1)]: [`p(95)<${latency.p95}`],
  },
};

export default function (): void {
  requireSecrets();
  const elapsed = elapsedInScenarioMs();
  const { index, id } = nextIteration();
  const { spec, state } = nextRequest(index, id);
  const res = send(spec);
  windows[windowOf(elapsed, config.durationSeconds, soak.windows)]!.add(res.timings.duration);
  check(res, { [CHECK_NAMES[spec.endpoint]]: (r) => isSuccessStatus(spec.endpoint, r.status) && hasDocumentedSuccessBody(spec.endpoint, parseJson(r.body), state) });
}

export function handleSummary(data: K6Summary): Record<string, string> {
  const drift = analyseDrift(data.metrics, soak.windows, soak.maxDriftRatio, latency.p95 * 0.1);
  return summaryOutputs(data, {
    scenario: `constant-arrival-rate ${config.rate} req/s for ${config.durationSeconds} s, ${soak.windows} windows`,
    soak: { windows: soak.windows, p95ByWindow: drift.p95ByWindow, ratio: drift.ratio, ok: drift.ok, reason: drift.reason, maxDriftRatio: soak.maxDriftRatio },
  }, [`latency drift: ${drift.reason} ${drift.ok ? 'ok' : 'FAIL'}`]);
}
