import { check } from 'k6';
import type { Options } from 'k6/options';
import { hasDocumentedSuccessBody, isSuccessStatus, parseJson } from './lib/checks.ts';
import { COMMON_OPTIONS, config, nextIteration, preAllocatedFor, requireSecrets, secrets, send, summaryOutputs } from './lib/k6-runtime.ts';
import { latencyByEndpoint, type K6Summary } from './lib/summary.ts';
import { documentedAnswerCheckNames, planTraffic, trafficGenerator } from './lib/traffic.ts';

/**
 * Throughput: a constant arrival rate over a weighted mix of the documented sign-in calls and providers,
 * with the SLOs as thresholds: failed requests, p95/p99 latency per endpoint, checks.
 *   npm run load -- throughput --rate 200 --duration 60
 */

const traffic = planTraffic(config);
const nextRequest = trafficGenerator(config, secrets, traffic);
const { latency } = config.slo;
const CHECK_NAMES = documentedAnswerCheckNames();

const perEndpoint: Record<string, string[]> = {};
for (const endpoint of Object.keys(traffic.mix)) {
  // The profile may set an endpoint's own SLO (load.slo.endpoints); otherwise the common one.
  const slo = config.slo.endpoints?.[endpoint] ?? latency;
  perEndpoint[`http_req_duration{endpoint:${endpoint}}`] = [`p(95)<${slo.p95}`, `p(99)<${slo.p99}`];
}

export const options: Options = {
  ...COMMON_OPTIONS,
  scenarios: {
    throughput: {
      executor: 'constant-arrival-rate',
      rate: Math.round(config.rate),
      timeUnit: '1s',
      duration: `${config.durationSeconds}s`,
      preAllocatedVUs: preAllocatedFor(config.rate),
      maxVUs: config.maxVUs,
      gracefulStop: '5s',
    },
  },
  thresholds: {
    // The SLO, and a runaway guard: when half the requests fail there is nothing left to measure.
    http_req_failed: [`rate<${config.slo.failedRate}`, { threshold: 'rate<0.5', abortOnFail: true, delayAbortEval: '5s' }],
    checks: [`rate>${config.slo.checksRate}`],
    ...perEndpoint,
  },
};

export default function (): void {
  requireSecrets();
  const { index, id } = nextIteration();
  const { spec, state } = nextRequest(index, id);
  const res = send(spec);
  // One check per request (status and body together): every check is a metric sample, and at thousands of
  // requests a second the second sample costs the generator more than telling the two apart would earn.
  check(res, { [CHECK_NAMES[spec.endpoint]]: (r) => isSuccessStatus(spec.endpoint, r.status) && hasDocumentedSuccessBody(spec.endpoint, parseJson(r.body), state) });
}

export function handleSummary(data: K6Summary): Record<string, string> {
  return summaryOutputs(data, {
    scenario: `constant-arrival-rate ${config.rate} req/s for ${config.durationSeconds} s over ${Object.entries(traffic.mix).map(([e, w]) => `${e} ${w}`).join(', ')}`,
    latency: latencyByEndpoint(data),
  });
}
