import http from 'k6/http';
import { SharedArray } from 'k6/data';
import type { Options } from 'k6/options';

/**
 * The baseline of `npm run bench:load`: the barest k6 script, one request per iteration at a constant arrival
 * rate, no checks, no tags, no helpers. It replays requests the benchmark pre-built with the same helpers and
 * mix as throughput.ts (so both scripts ask the server for the same work) and throughput.ts must reach at least
 * 0.95x its rate. Run by the benchmark with -e REQUESTS, RATE, DURATION, VUS, OUT_DIR.
 */

interface Prebuilt {
  method: string;
  url: string;
  body: string | null;
  headers: Record<string, string>;
}

const requests = new SharedArray<Prebuilt>('requests', () => JSON.parse(open(__ENV.REQUESTS ?? '')) as Prebuilt[]);
const vus = Number(__ENV.VUS ?? 20);
let i = 0;

export const options: Options = {
  systemTags: ['status', 'method', 'name', 'scenario', 'expected_response'],
  scenarios: {
    bare: {
      executor: 'constant-arrival-rate',
      rate: Number(__ENV.RATE ?? 100),
      timeUnit: '1s',
      duration: `${Number(__ENV.DURATION ?? 20)}s`,
      preAllocatedVUs: vus,
      maxVUs: vus,
      gracefulStop: '5s',
    },
  },
};

export default function (): void {
  const r = requests[(i++ * vus + __VU) % requests.length]!;
  http.request(r.method, r.url, r.body, { headers: r.headers });
}

export function handleSummary(data: { metrics: Record<string, { values: Record<string, number> }> }): Record<string, string> {
  return { [`${__ENV.OUT_DIR ?? '.'}/summary.json`]: JSON.stringify(data) };
}
