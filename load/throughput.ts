import { check } from 'k6';
import exec from 'k6/execution';
import type { Options } from 'k6/options';
import { hasDocumentedSuccessBody, isSuccessStatus, parseJson } from './lib/checks.ts';
import { COMMON_OPTIONS, config, iterationId, preAllocatedFor, send, summaryOutputs } from './lib/k6-runtime.ts';
import { latencyByEndpoint, type K6Summary } from './lib/summary.ts';
import { nextRequest, planTraffic } from './lib/traffic.ts';
import { secrets } from './lib/k6-runtime.ts';

/**
 * Throughput: a constant arrival rate over a weighted mix of the documented sign-in calls and providers,
 * with the SLOs as thresholds: failed requests, p95/p99 latency per endpoint, checks.
 *   npm run load -- throughput --rate 200 --duration 60
 */

const traffic = planTraffic(config, secrets);
const { latency } = config.slo;

const perEndpoint: Record<string, string[]> = {};
for (const endpoint of Object.keys(traffic.mix)) perEndpoint[`http_req_duration{endpoint:${endpoint}}`] = [`p(95)<${latency.p95}`, `p(99)<${latency.p99}`];

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
  const id = iterationId();
  const { spec, state } = nextRequest(config, secrets, traffic, exec.scenario.iterationInTest, id);
  const res = send(spec);
  const endpoint = spec.endpoint;
  check(res, {
    [`${endpoint}: success status`]: (r) => isSuccessStatus(endpoint, r.status),
    [`${endpoint}: documented success body`]: (r) => hasDocumentedSuccessBody(endpoint, parseJson(r.body), state),
  }, { endpoint });
}

export function handleSummary(data: K6Summary): Record<string, string> {
  return summaryOutputs(data, {
    scenario: `constant-arrival-rate ${config.rate} req/s for ${config.durationSeconds} s over ${Object.entries(traffic.mix).map(([e, w]) => `${e} ${w}`).join(', ')}`,
    latency: latencyByEndpoint(data),
  });
}
