import exec from 'k6/execution';
import http, { type RefinedParams, type RefinedResponse, type ResponseType } from 'k6/http';
import { LOAD_CONFIG_ENV, LOAD_SECRETS_ENV, parseLoadConfig, parseLoadSecrets, type LoadConfig, type LoadSecrets } from './config.ts';
import { clampDuration, clampRate, clampVUs } from './safety.ts';
import { HARNESS_LINE_PREFIX, summaryFileName } from './ratelimit-result.ts';
import { textSummary, type HarnessSection, type K6Summary } from './summary.ts';
import type { RequestSpec } from './requests.ts';
import { missingCredentials } from './traffic.ts';

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

let secretsChecked = false;
/**
 * Called at the top of every iteration: the first one stops the test, with the reason, when the secrets do not
 * cover the config (LOAD_SECRETS unset in a k6-operator pod, say). Not in init: `k6 archive` runs init without them.
 */
export function requireSecrets(): void {
  if (secretsChecked) return;
  secretsChecked = true;
  const missing = missingCredentials(config, secrets);
  if (missing.length > 0) {
    exec.test.abort(`${LOAD_SECRETS_ENV} holds no credentials for ${missing.join(', ')}: \`npm run load\` sets it from the target profile; under k6-operator it comes from the Secret (load/README.md)`);
  }
}

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

/**
 * VUs to pre-allocate for the arrival-rate executors: all of them. A VU started mid-run first runs the init
 * code (the script, contract/, the config), and on a busy load generator the rate dips while it does; the
 * runner sizes maxVUs to the rate (load/run/plan.ts), so this costs memory only.
 */
export function preAllocatedFor(_rate: number): number {
  return config.maxVUs;
}

const timeout = `${config.requestTimeoutMs}ms`;

export function send(spec: RequestSpec, params: Partial<RefinedParams<ResponseType>> = {}): RefinedResponse<'text'> {
  return http.request(spec.method, spec.url, spec.body, { headers: spec.headers, tags: spec.tags, timeout, ...params }) as RefinedResponse<'text'>;
}

/*
 * Iteration numbering without k6/execution: reading `exec.scenario` builds an object on every call and cost
 * as much CPU per request as the request itself (measured), so each VU counts its own iterations. The VU's
 * random salt keeps ids unique across the instances of a distributed run, where VU numbers repeat.
 */
const vuSalt = Math.random().toString(36).slice(2, 8);
let vuIteration = 0;
let scenarioStartMs: number | undefined;

export interface IterationRef {
  /** Spreads the mix: distinct per VU and iteration. */
  index: number;
  /** Unique across VUs, runs and instances: minted accounts and `state` use it. */
  id: string;
}

export function nextIteration(): IterationRef {
  const n = vuIteration++;
  return { index: n * 1009 + __VU, id: `${config.runId}-${vuSalt}-${__VU}-${n}` };
}

/** Milliseconds since the scenario started (read from k6/execution once per VU). */
export function elapsedInScenarioMs(): number {
  scenarioStartMs ??= exec.scenario.startTime;
  return Date.now() - scenarioStartMs;
}

/** This instance's execution segment ("0:1/2"), or null when it runs the whole test. */
export function executionSegment(): string | null {
  const segment = (exec.test.options as { executionSegment?: unknown }).executionSegment;
  return typeof segment === 'string' && segment !== '' && segment !== '0:1' ? segment : null;
}

/**
 * handleSummary's answer: the summary (with the harness section) beside the run, one file per execution segment
 * (N instances on one machine share the directory), and a short console text; with an execution segment or
 * `summaryOnStdout` (an archive for k6-operator), the harness section also as one line on stdout.
 */
export function summaryOutputs(data: K6Summary, harness: Omit<HarnessSection, 'script' | 'target' | 'rate' | 'durationSeconds' | 'finishedAtMs'>, extraLines: string[] = []): Record<string, string> {
  const { setup_data: _dropped, ...rest } = data; // setup data never reaches a file: it could carry tokens
  const segment = executionSegment();
  const full: K6Summary = {
    ...rest,
    harness: { script: config.script, target: config.target, rate: config.rate, durationSeconds: config.durationSeconds, finishedAtMs: Date.now(), ...harness },
  };
  const line = segment !== null || config.summaryOnStdout === true ? `${HARNESS_LINE_PREFIX}${JSON.stringify({ segment, harness: full.harness })}\n` : '';
  return {
    [`${config.outDir}/${summaryFileName(segment)}`]: JSON.stringify(full, null, 1),
    stdout: textSummary(full, extraLines) + line,
  };
}
