import { parseArgs } from 'node:util';
import { isAbsolute, resolve } from 'node:path';
import { CROSS_AUTH_PLATFORMS } from '../../contract/index.ts';
import type { TargetProfile } from '../../lib/profile.ts';
import { reusableAccounts } from '../../lib/credentials.ts';
import { LOAD_SCRIPTS, type LoadConfig, type LoadScriptName, type LoadSecrets } from '../lib/config.ts';
import { rampPlan, searchPlan } from '../lib/onset.ts';
import { assertTargetAllowed, boundedDuration, boundedRate, HARD_MAX_VUS, SafetyError } from '../lib/safety.ts';
import { simulatorBurstFor, simulatorLimiters, type SimulatorLimit } from './simulator-process.ts';

/**
 * From `npm run load -- <script> ...` and the target profile to what the run will be: the config the script
 * reads, the secrets it gets through the environment, and the simulator to start (if any). Every safety rule is
 * applied here, before anything is started.
 */

export const USAGE = `usage: npm run load -- <${LOAD_SCRIPTS.join('|')}> [options]
  --target <profile.json>   target profile (default: TARGET_PROFILE, else targets/simulator.json)
  --duration <s>            run length in seconds (bounded by the profile's load.maxDurationSeconds and ${3600} s)
  --rate <rps>              arrival rate; for ratelimit: the expected limit (the ramp goes from 0.5x to 1.5x of it;
                            without it and without the profile's rateLimit.expectedPerSecond, the script searches)
  --base-url <url>          an already running target instead of the profile's (a simulator profile then starts none)
  --burst <n>               ratelimit: the target's burst, when known (reported beside the measured one); for the
                            simulator this command starts: its burst (default: a tenth of a second of --rate)
  --limiter <kind>          ratelimit, simulator this command starts: its limiter (npm run sim -- --list-limiters;
                            default: the simulator's, a token bucket)
  --instances <n>           run n local k6 processes, each with its execution segment, and merge them into one result
  --tolerance <f>           ratelimit: relative tolerance of the measured limit (default 0.1)
  --max-vus <n>             most VUs the arrival-rate executors may start
  --i-own-this-target       required (with the profile's load.allowNonLoopback) for a target that is not loopback
  --no-dashboard            do not export k6's web dashboard HTML
  --no-report               do not write Allure results
  --archive <file.tar>      do not run: write a k6 archive (script, helpers, contract/, config) for k6-operator
  --write-secrets <file>    with --archive: write the LOAD_SECRETS value for a Kubernetes Secret (mode 0600)`;

export interface LoadArgs {
  script: LoadScriptName;
  target?: string;
  duration?: number;
  rate?: number;
  baseUrl?: string;
  burst?: number;
  tolerance?: number;
  maxVUs?: number;
  /** A limiter the simulator lists (`npm run sim -- --list-limiters`). */
  limiter?: string;
  instances?: number;
  iOwnThisTarget: boolean;
  dashboard: boolean;
  report: boolean;
  archive?: string;
  writeSecrets?: string;
}

export class UsageError extends Error {}

/** More local k6 processes than this only fight over the same cores. */
export const MAX_LOCAL_INSTANCES = 8;

function num(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${flag}: expected a positive number, got "${raw}"`);
  return n;
}

/** `limiters`: the names the simulator accepts for --limiter, asked of its command line only when --limiter is given. */
export function parseLoadArgs(argv: string[], limiters: () => readonly string[] = simulatorLimiters): LoadArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        target: { type: 'string' },
        duration: { type: 'string' },
        rate: { type: 'string' },
        'base-url': { type: 'string' },
        burst: { type: 'string' },
        tolerance: { type: 'string' },
        'max-vus': { type: 'string' },
        limiter: { type: 'string' },
        instances: { type: 'string' },
        'i-own-this-target': { type: 'boolean' },
        'no-dashboard': { type: 'boolean' },
        'no-report': { type: 'boolean' },
        archive: { type: 'string' },
        'write-secrets': { type: 'string' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError(`expected exactly one script name, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`);
  const script = positionals[0]!.replace(/^load\//, '').replace(/\.ts$/, '');
  if (!(LOAD_SCRIPTS as readonly string[]).includes(script)) throw new UsageError(`unknown script "${positionals[0]}": one of ${LOAD_SCRIPTS.join(', ')}`);
  const tolerance = num('tolerance', values.tolerance);
  if (tolerance !== undefined && tolerance >= 1) throw new UsageError(`--tolerance: expected a fraction below 1 (e.g. 0.1), got ${tolerance}`);
  if (values.limiter !== undefined && !limiters().includes(values.limiter)) {
    throw new UsageError(`--limiter: expected one of ${limiters().join(', ')} (npm run sim -- --list-limiters), got "${values.limiter}"`);
  }
  const instances = values.instances === undefined ? undefined : num('instances', values.instances)!;
  if (instances !== undefined && (!Number.isInteger(instances) || instances > MAX_LOCAL_INSTANCES)) throw new UsageError(`--instances: expected a whole number from 1 to ${MAX_LOCAL_INSTANCES}, got ${values.instances}`);
  if (instances !== undefined && values.archive !== undefined) throw new UsageError('--instances runs k6 here; an --archive runs elsewhere (k6-operator assigns the segments from parallelism)');
  return {
    script: script as LoadScriptName,
    ...(values.target !== undefined ? { target: values.target } : {}),
    ...(values.duration !== undefined ? { duration: num('duration', values.duration)! } : {}),
    ...(values.rate !== undefined ? { rate: num('rate', values.rate)! } : {}),
    ...(values['base-url'] !== undefined ? { baseUrl: values['base-url'].replace(/\/+$/, '') } : {}),
    ...(values.burst !== undefined ? { burst: Math.ceil(num('burst', values.burst)!) } : {}),
    ...(tolerance !== undefined ? { tolerance } : {}),
    ...(values['max-vus'] !== undefined ? { maxVUs: Math.ceil(num('max-vus', values['max-vus'])!) } : {}),
    ...(values.limiter !== undefined ? { limiter: values.limiter } : {}),
    ...(instances !== undefined ? { instances } : {}),
    iOwnThisTarget: values['i-own-this-target'] === true,
    dashboard: values['no-dashboard'] !== true,
    report: values['no-report'] !== true,
    ...(values.archive !== undefined ? { archive: values.archive } : {}),
    ...(values['write-secrets'] !== undefined ? { writeSecrets: values['write-secrets'] } : {}),
  };
}

/** What each script does when the command says nothing. */
export const DEFAULTS: Record<LoadScriptName, { rate: number; durationSeconds: number }> = {
  smoke: { rate: 1, durationSeconds: 60 },
  throughput: { rate: 100, durationSeconds: 30 },
  // The expected limit of a simulator this command starts itself (it is started with exactly this limit).
  ratelimit: { rate: 200, durationSeconds: 40 },
  soak: { rate: 50, durationSeconds: 600 },
};

export const DEFAULT_TOLERANCE = 0.1;

/** SLOs of the sign-in calls when the profile sets none (thresholds of throughput.ts and soak.ts); one source: lib/slo.ts. */
import { DEFAULT_SLO } from '../../lib/slo.ts';
export { DEFAULT_SLO };

export const SOAK_WINDOWS = 10;
export const SOAK_MAX_DRIFT_RATIO = 2;

export interface RunPlan {
  config: Omit<LoadConfig, 'outDir' | 'runId'>;
  secrets: LoadSecrets;
  /** Start the embedded simulator with this limit (then config.target.baseUrl is filled in once it listens). */
  simulator: SimulatorLimit | null;
  peakRate: number;
  /** Providers and platforms the profile has accounts for that the load cannot sign in with, each with why. */
  leftOut: LeftOut[];
}

export interface LeftOut {
  provider: string;
  reason: string;
}

/**
 * Why a provider with accounts in the profile is not in the load's mix: a load test signs in with the same accounts
 * again and again, so only reusable ones serve. `once` sources must have been run (lib/credential-sources.ts
 * prepareCredentials) before this is asked; a source that failed or an account refused before the suites is in
 * `profile.unavailable`.
 */
export function leftOutOfLoad(profile: TargetProfile, inMix: (provider: string) => boolean): LeftOut[] {
  const out: LeftOut[] = [];
  for (const provider of [...profile.providers, ...CROSS_AUTH_PLATFORMS]) {
    if (inMix(provider)) continue;
    const field = `credentials.${provider}`;
    const unavailable = profile.unavailable[field];
    const source = profile.sources.credentials[provider];
    const list = profile.credentials[provider] ?? [];
    let reason: string | undefined;
    if (unavailable !== undefined) reason = unavailable;
    else if (source?.run === 'perTest') reason = `${provider}: its accounts come from a perTest credential source (${field}): each works for one test, and a load test signs in with its accounts again and again`;
    else if (source) reason = `${provider}: its credential source (${field}) has not run: the load runner runs once sources before it plans`;
    else if (list.length > 0) reason = `${provider}: its accounts are single-use (singleUse): each signs in once, and a load test signs in with its accounts again and again`;
    if (reason !== undefined) out.push({ provider, reason });
  }
  return out;
}

/** VUs for a peak arrival rate: room for answers of 0.2 s on average, at least 40, never past the hard cap. */
export function maxVUsFor(peakRate: number): number {
  return Math.min(HARD_MAX_VUS, Math.max(40, Math.ceil(peakRate * 0.2)));
}

/**
 * ratelimit.ts: room for answers of half a second on average. A target slowed down near its limit (or a busy
 * machine) must not leave k6 short of VUs exactly where the limit is measured.
 */
export function rateLimitVUsFor(peakRate: number): number {
  return Math.min(HARD_MAX_VUS, Math.max(60, Math.ceil(peakRate * 0.5)));
}

export function planRun(args: LoadArgs, profile: TargetProfile): RunPlan {
  // An archive runs elsewhere (k6-operator): it never targets a simulator this command would start.
  const startsSimulator = profile.kind === 'simulator' && args.baseUrl === undefined && args.archive === undefined;
  const baseUrl = args.baseUrl ?? profile.baseUrl;
  if (!/^https?:\/\/\S+\/api$/.test(baseUrl)) throw new UsageError(`--base-url must be an http(s) URL ending in /api, got ${baseUrl}`);
  // The simulator this command starts listens on 127.0.0.1; any other target goes through the safety rule.
  if (!startsSimulator) assertTargetAllowed(baseUrl, profile.load.allowNonLoopback, args.iOwnThisTarget);

  const defaults = DEFAULTS[args.script];
  const durationRequested = args.duration ?? Math.min(defaults.durationSeconds, profile.load.maxDurationSeconds);
  const durationSeconds = boundedDuration(durationRequested, profile.load.maxDurationSeconds);

  let rate = args.rate ?? defaults.rate;
  let ratelimit: LoadConfig['ratelimit'];
  let projectId = profile.projectId;
  let simulator: SimulatorLimit | null = startsSimulator ? { rateLimit: null } : null;
  if (args.script === 'ratelimit') {
    if (!startsSimulator && !profile.intrusive.rateLimit) {
      throw new SafetyError(`refusing to drive ${baseUrl} into 429: the profile's intrusive.rateLimit is not true`);
    }
    const tolerance = args.tolerance ?? DEFAULT_TOLERANCE;
    const maxRate = profile.load.maxRate;
    if (startsSimulator || args.rate !== undefined) {
      // A limit the command knows: the simulator it starts with that limit, or the one the command names.
      const burst = startsSimulator ? (args.burst ?? simulatorBurstFor(rate)) : args.burst;
      if (startsSimulator) simulator = { rateLimit: rate, burst: burst!, ...(args.limiter ? { limiter: args.limiter } : {}) };
      const retryAfterRequired = startsSimulator || profile.rateLimit?.retryAfter === true;
      ratelimit = { projectId, expectedPerSecond: rate, tolerance, maxRate, retryAfterRequired, ...(burst !== undefined ? { burst } : {}) };
    } else {
      if (!profile.rateLimit) throw new UsageError('ratelimit: give --rate <expected limit>, or a rateLimit section (its isolated projectId) in the profile');
      projectId = profile.rateLimit.projectId;
      const burst = args.burst ?? profile.rateLimit.burst;
      const expectedPerSecond = profile.rateLimit.expectedPerSecond ?? null;
      // Without an expected limit the script searches up to the profile's load.maxRate; config.rate then names
      // that bound (the scripts' clamp applies to it too).
      rate = expectedPerSecond ?? maxRate;
      ratelimit = { projectId, expectedPerSecond, tolerance, maxRate, retryAfterRequired: profile.rateLimit.retryAfter === true, ...(burst !== undefined ? { burst } : {}) };
    }
  }
  const peakRate = ratelimit ? (ratelimit.expectedPerSecond === null ? searchPlan(ratelimit.maxRate, durationSeconds).endRate : rampPlan(rate, durationSeconds).endRate) : args.script === 'smoke' ? 1 : rate;
  boundedRate(peakRate, profile.load.maxRate);
  if (args.script === 'ratelimit' && durationSeconds < 5) throw new UsageError('ratelimit: --duration must be at least 5 s (hold, ramp through the limit, hold)');

  // Load signs in with an account again and again: single-use accounts and perTest sources' are never part of it; a
  // once source's accounts are, once the runner has run it (they are then in profile.credentials); a list the run
  // cannot use (its source failed, or the credential check saw it refused) is left out too. leftOutOfLoad says why.
  const reusable = Object.fromEntries(Object.entries(profile.credentials).map(([p, list]) => [p, profile.unavailable[`credentials.${p}`] === undefined ? reusableAccounts(list) : []]));
  const hasCredentials = (p: string): boolean => profile.credentialTemplates[p] !== undefined || (reusable[p]?.length ?? 0) > 0;
  const client = profile.oauth.singleRedirect;
  const config: RunPlan['config'] = {
    script: args.script,
    target: { name: profile.name, kind: profile.kind, baseUrl },
    projectId: profile.projectId,
    // Only what the profile holds credentials (or templates) for: the mix and its thresholds follow from these.
    providers: profile.providers.filter(hasCredentials),
    platforms: CROSS_AUTH_PLATFORMS.filter(hasCredentials),
    oauthClient: { clientId: client.clientId, redirectUri: client.redirectUris[0]! },
    rate,
    durationSeconds,
    maxVUs: Math.min(HARD_MAX_VUS, args.maxVUs ?? (args.script === 'ratelimit' ? rateLimitVUsFor(peakRate) : maxVUsFor(peakRate))),
    requestTimeoutMs: profile.timeouts.requestMs,
    // The target's own SLOs (profile load.slo; the defaults of lib/slo.ts where it sets none).
    slo: profile.load.slo ?? DEFAULT_SLO,
    ...(ratelimit ? { ratelimit } : {}),
    ...(args.script === 'soak' ? { soak: { windows: Math.max(2, Math.min(SOAK_WINDOWS, Math.floor(durationSeconds / 2))), maxDriftRatio: SOAK_MAX_DRIFT_RATIO } } : {}),
  };
  const secrets: LoadSecrets = {
    templates: profile.credentialTemplates,
    accounts: reusable as unknown as LoadSecrets['accounts'],
    clientSecret: client.clientSecret,
  };
  return { config, secrets, simulator, peakRate, leftOut: leftOutOfLoad(profile, hasCredentials) };
}

export function resolveProfilePath(args: LoadArgs, env: NodeJS.ProcessEnv, fallback: string): string {
  const chosen = args.target ?? env.TARGET_PROFILE;
  if (chosen === undefined || chosen === '') return fallback;
  return isAbsolute(chosen) ? chosen : resolve(chosen);
}
