/**
 * The safety rules every load run obeys, as pure functions (the Node runner enforces them before k6 starts and
 * the scripts clamp again, so a hand-started script cannot exceed them either).
 */

/** No run lasts longer than this, whatever a profile says. */
export const HARD_MAX_DURATION_SECONDS = 3600;
/** No run asks for more than this many requests per second, whatever a profile says. */
export const HARD_MAX_RATE = 20_000;
/** Above this the arrival-rate executors would need more VUs than a small machine has memory for. */
export const HARD_MAX_VUS = 2000;

export class SafetyError extends Error {}

/** Hostnames that stay on this machine. Parsed without URL (not every k6 runtime has it). */
export function hostOf(url: string): string {
  const match = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i.exec(url);
  if (!match) throw new SafetyError(`not an absolute URL: ${url}`);
  return match[1]!.toLowerCase();
}

export function isLoopbackUrl(url: string): boolean {
  const host = hostOf(url);
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * A target that is not loopback is refused unless its profile allows load (`load.allowNonLoopback`) and the
 * command says `--i-own-this-target`: both, because either alone is too easy to leave on by accident.
 */
export function assertTargetAllowed(baseUrl: string, profileAllows: boolean, ownerConfirmed: boolean): void {
  if (isLoopbackUrl(baseUrl)) return;
  if (!profileAllows) {
    throw new SafetyError(`refusing to load ${baseUrl}: it is not loopback and the profile's load.allowNonLoopback is not true`);
  }
  if (!ownerConfirmed) {
    throw new SafetyError(`refusing to load ${baseUrl}: it is not loopback; add --i-own-this-target to confirm you own it`);
  }
}

/** The duration a run gets: the requested one, refused above the profile's bound or the hard cap. */
export function boundedDuration(requested: number, profileMax: number): number {
  if (!Number.isFinite(requested) || requested <= 0) throw new SafetyError(`--duration must be a positive number of seconds, got ${requested}`);
  const cap = Math.min(profileMax, HARD_MAX_DURATION_SECONDS);
  if (requested > cap) {
    throw new SafetyError(`--duration ${requested}s exceeds the bound of ${cap}s (profile load.maxDurationSeconds ${profileMax}, hard cap ${HARD_MAX_DURATION_SECONDS})`);
  }
  return Math.ceil(requested);
}

/** The peak rate a run may reach: refused above the profile's `load.maxRate` or the hard cap. */
export function boundedRate(peak: number, profileMax: number): number {
  if (!Number.isFinite(peak) || peak <= 0) throw new SafetyError(`--rate must be a positive number of requests per second, got ${peak}`);
  const cap = Math.min(profileMax, HARD_MAX_RATE);
  if (peak > cap) throw new SafetyError(`a peak of ${peak} req/s exceeds the bound of ${cap} req/s (profile load.maxRate ${profileMax}, hard cap ${HARD_MAX_RATE})`);
  return peak;
}

/** The same bounds, clamped rather than refused: the scripts' own last line of defence. */
export function clampDuration(seconds: number): number {
  return Math.max(1, Math.min(Math.ceil(seconds), HARD_MAX_DURATION_SECONDS));
}

export function clampRate(rate: number): number {
  return Math.max(1, Math.min(rate, HARD_MAX_RATE));
}

export function clampVUs(vus: number): number {
  return Math.max(1, Math.min(Math.ceil(vus), HARD_MAX_VUS));
}
