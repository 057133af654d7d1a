/**
 * What a k6 script needs to know about its run, as plain data. The Node side (load/run/) builds it from the
 * target profile and the command line and writes it to a JSON file the script `open()`s in its init context;
 * secrets never go in that file: they travel in the environment (`LOAD_SECRETS`), so they cannot end up in a
 * report, an archive or the summary.
 *
 * Pure TypeScript without Node built-ins: imported by the k6 scripts and by the Node runner alike.
 */

export type LoadScriptName = 'smoke' | 'throughput' | 'ratelimit' | 'soak';
export const LOAD_SCRIPTS: readonly LoadScriptName[] = ['smoke', 'throughput', 'ratelimit', 'soak'];

export interface OAuthClientRef {
  clientId: number;
  redirectUri: string;
}

/** Latency SLOs per endpoint, in milliseconds. */
export interface LatencySlo {
  p95: number;
  p99: number;
}

export interface LoadConfig {
  script: LoadScriptName;
  target: { name: string; kind: 'simulator' | 'remote'; baseUrl: string };
  projectId: string;
  /** Social providers of the profile (the JWT and OAuth login calls). */
  providers: string[];
  /** Platforms of silent authentication (cross_auth) the run can sign in with. */
  platforms: string[];
  /** The OAuth client the load uses (one registered redirect URI, so redirect_uri is unambiguous). */
  oauthClient: OAuthClientRef;
  /** Arrival rate in requests per second (throughput, soak) or the expected limit (ratelimit). */
  rate: number;
  durationSeconds: number;
  /** Largest number of VUs the arrival-rate executors may start. */
  maxVUs: number;
  /** Per-request timeout (the profile's timeouts.requestMs). */
  requestTimeoutMs: number;
  /** Unique per run: makes minted account ids unique across runs and instances. */
  runId: string;
  /** From the profile's load.slo (defaults in lib/slo.ts); `endpoints` overrides `latency` for one endpoint. */
  slo: { failedRate: number; checksRate: number; latency: LatencySlo; endpoints?: Record<string, LatencySlo> };
  ratelimit?: {
    /** The project whose limiter the ramp drives into 429 (every request of the ramp goes to it). */
    projectId: string;
    /**
     * The limit the profile or the command expects, or null: then the script searches for it (a ramp that
     * doubles from maxRate / 256 up to maxRate and stops once 429s hold; onset.ts searchPlan).
     */
    expectedPerSecond: number | null;
    /** The target's burst where known (it delays the first 429 past the limit; see onset.ts). Informational. */
    burst?: number;
    /** Relative tolerance of the measured sustained limit (and of the 429 bands around the expected limit). */
    tolerance: number;
    /** The highest rate the search may offer (the profile's load.maxRate). */
    maxRate: number;
    /**
     * The 429 must carry Retry-After: the profile pins it (rateLimit.retryAfter), or the target is the simulator,
     * which sends it. The pages document the 429 body, not the header (RFC 6585 §4: a 429 MAY include it).
     */
    retryAfterRequired: boolean;
  };
  /**
   * Also print the harness section of the summary on stdout, as one line (load/lib/summary.ts
   * HARNESS_LINE_PREFIX): a k6-operator runner's files are gone with its pod, its log is kept.
   */
  summaryOnStdout?: boolean;
  soak?: { windows: number; maxDriftRatio: number };
  /** Where handleSummary writes summary.json (a directory, absolute). */
  outDir: string;
}

/** An account as the profile's credentials or templates give it (field names of targets/profile.schema.json). */
export type AccountFields = Record<string, string>;
export type TemplateValue = string | { base64: string };

/** The secret half of the run: passed to k6 only through the environment variable `LOAD_SECRETS`. */
export interface LoadSecrets {
  /** Per provider or platform: templates that mint a fresh account per request (targets with a test network). */
  templates: Record<string, Record<string, TemplateValue>>;
  /** Per provider or platform: the profile's fixed accounts, used round-robin where nothing can be minted. */
  accounts: Record<string, AccountFields[]>;
  /** The load client's secret, for the code exchange (smoke.ts). */
  clientSecret: string;
}

export const LOAD_CONFIG_ENV = 'LOAD_CONFIG';
export const LOAD_SECRETS_ENV = 'LOAD_SECRETS';

export class LoadConfigError extends Error {}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validates the parsed JSON; a k6 run with a broken config stops in init with the field named. */
export function parseLoadConfig(raw: unknown): LoadConfig {
  if (!isRecord(raw)) throw new LoadConfigError('load config: not a JSON object');
  const need = (field: string, ok: boolean): void => {
    if (!ok) throw new LoadConfigError(`load config: ${field} is missing or invalid`);
  };
  need('script', typeof raw.script === 'string' && (LOAD_SCRIPTS as readonly string[]).includes(raw.script));
  need('target.baseUrl', isRecord(raw.target) && typeof raw.target.baseUrl === 'string');
  need('projectId', typeof raw.projectId === 'string');
  need('providers', Array.isArray(raw.providers));
  need('platforms', Array.isArray(raw.platforms));
  need('oauthClient', isRecord(raw.oauthClient) && typeof raw.oauthClient.clientId === 'number');
  need('rate', typeof raw.rate === 'number' && raw.rate > 0);
  need('durationSeconds', typeof raw.durationSeconds === 'number' && raw.durationSeconds > 0);
  need('maxVUs', typeof raw.maxVUs === 'number' && raw.maxVUs >= 1);
  need('requestTimeoutMs', typeof raw.requestTimeoutMs === 'number' && raw.requestTimeoutMs > 0);
  need('runId', typeof raw.runId === 'string');
  need('slo', isRecord(raw.slo) && isRecord(raw.slo.latency));
  need('outDir', typeof raw.outDir === 'string');
  return raw as unknown as LoadConfig;
}

export function parseLoadSecrets(raw: string | undefined): LoadSecrets {
  if (raw === undefined || raw === '') return { templates: {}, accounts: {}, clientSecret: '' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new LoadConfigError(`${LOAD_SECRETS_ENV}: not valid JSON`);
  }
  if (!isRecord(parsed)) throw new LoadConfigError(`${LOAD_SECRETS_ENV}: not a JSON object`);
  return {
    templates: isRecord(parsed.templates) ? (parsed.templates as LoadSecrets['templates']) : {},
    accounts: isRecord(parsed.accounts) ? (parsed.accounts as LoadSecrets['accounts']) : {},
    clientSecret: typeof parsed.clientSecret === 'string' ? parsed.clientSecret : '',
  };
}
