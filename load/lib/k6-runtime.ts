import exec from 'k6/execution';
import http, { type RefinedParams, type RefinedResponse, type ResponseType } from 'k6/http';
import { LOAD_CONFIG_ENV, LOAD_SECRETS_ENV, parseLoadConfig, parseLoadSecrets, type LoadConfig, type LoadSecrets } from './config.ts';
import { clampDuration, clampRate, clampVUs } from './safety.ts';
import { textSummary, type HarnessSection, type K6Summary } from './summary.ts';
import type { RequestSpec } from './requests.ts';

/**
 * The k6 side of every script: reading the run's config (a JSON file `open()`ed in the init context) and
 * secrets (the environment), sending a RequestSpec, and writing the summary. Imports k6 modules, so only the
 * scripts import this file; everything it calls is a pure helper tested under Node.
 */

function readConfig(): LoadConfig {
  const path = __ENV[LOAD_CONFIG_ENV];
  if (!path) {
    throw new Error(`${LOAD_CONFIG_ENV} is not set: run the scripts through \`npm run load -- <script>\`, which writes the run's config from the target profile (or pass -e ${LOAD_CONFIG_ENV}=<config.json>)`);
  }
  const config = parseLoadConfig(JSON.parse(open(path)));
  // The runner has already refused anything out of bounds; a hand-made config is clamped, never trusted.
  config.durationSeconds = clampDuration(config.durationSeconds);
  config.rate = clampRate(config.rate);
  config.maxVUs = clampVUs(config.maxVUs);
  return config;
}

export const config: LoadConfig = readConfig();
export const secrets: LoadSecrets = parseLoadSecrets(__ENV[LOAD_SECRETS_ENV]);

/**
 * Options every script shares. `url` is left out of the system tags: cross_auth carries the session ticket in
 * its query, and per-request URLs would also make one time series per request.
 */
export const COMMON_OPTIONS = {
  systemTags: ['proto', 'status', 'method', 'name', 'group', 'check', 'error', 'error_code', 'scenario', 'expected_response'],
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'],
  discardResponseBodies: false,
  noConnectionReuse: false,
};

/** VUs to pre-allocate for an arrival rate: enough for ~50 ms answers, never more than the run's maximum. */
export function preAllocatedFor(rate: number): number {
  return Math.min(config.maxVUs, Math.max(5, Math.ceil(rate * 0.05)));
}

export function send(spec: RequestSpec, params: Partial<RefinedParams<ResponseType>> = {}): RefinedResponse<'text'> {
  return http.request(spec.method, spec.url, spec.body, {
    headers: spec.headers,
    tags: spec.tags,
    timeout: `${config.requestTimeoutMs}ms`,
    ...params,
    responseType: 'text',
  }) as RefinedResponse<'text'>;
}

/** A unique id for this iteration, across VUs, runs and (with execution segments) instances. */
export function iterationId(): string {
  return `${config.runId}-${exec.scenario.iterationInTest}`;
}

export function elapsedInScenarioMs(): number {
  return Date.now() - exec.scenario.startTime;
}

/** handleSummary's answer: summary.json beside the run (with the harness section) and a short console text. */
export function summaryOutputs(data: K6Summary, harness: Omit<HarnessSection, 'script' | 'target' | 'rate' | 'durationSeconds' | 'finishedAtMs'>, extraLines: string[] = []): Record<string, string> {
  const { setup_data: _dropped, ...rest } = data; // setup data never reaches a file: it could carry tokens
  const full: K6Summary = {
    ...rest,
    harness: { script: config.script, target: config.target, rate: config.rate, durationSeconds: config.durationSeconds, finishedAtMs: Date.now(), ...harness },
  };
  return {
    [`${config.outDir}/summary.json`]: JSON.stringify(full, null, 1),
    stdout: textSummary(full, extraLines),
  };
}
