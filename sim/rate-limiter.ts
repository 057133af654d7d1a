import { LRUCache } from 'lru-cache';

/**
 * Rate limiters, one state per key (a project or an OAuth client), of the four kinds real APIs use. The
 * documents say a request over the limit gets 429 with `Retry-After`; they do not say which algorithm counts,
 * so the simulator offers each, and the load estimators are tested against every one:
 *
 * - `token-bucket`: a bucket of `burst` tokens refilled at `ratePerSecond`; a request takes one token.
 * - `gcra` (generic cell rate algorithm, as in Redis-cell or Envoy): the same admitted rate and burst as a token
 *   bucket, kept as one "theoretical arrival time" instead of a token count.
 * - `fixed-window`: at most `burst` requests per window of `burst / ratePerSecond` seconds, windows aligned to
 *   the clock (a burst of a whole second is the classic "N per second" counter).
 * - `sliding-window`: the sliding log: at most `burst` requests in any `burst / ratePerSecond` seconds, whenever
 *   they start (no double burst at a window edge, unlike the fixed window).
 *
 * Every kind lets through `ratePerSecond` on average under sustained overload, and `burst` requests at once
 * after a quiet spell. The states live in a bounded LRU: a key idle long enough to be evicted would have
 * recovered anyway.
 */
export interface Limit {
  ratePerSecond: number;
  /** Requests admitted at once after a quiet spell (at least 1). */
  burst: number;
}

export const LIMITER_KINDS = ['token-bucket', 'fixed-window', 'sliding-window', 'gcra'] as const;
export type LimiterKind = (typeof LIMITER_KINDS)[number];

/** One line each for `npm run sim -- --list-limiters`, which is how the load stage learns the names. */
export const LIMITER_DESCRIPTIONS: Record<LimiterKind, string> = {
  'token-bucket': 'a bucket of --burst tokens refilled at --rate-limit per second; a request takes one',
  'fixed-window': 'at most --burst requests per window of burst / rate seconds, windows aligned to the clock',
  'sliding-window': 'at most --burst requests in any burst / rate seconds (a sliding log: no double burst at a window edge)',
  gcra: 'generic cell rate algorithm: the token bucket\'s rate and burst, kept as one theoretical arrival time',
};

export function isLimiterKind(value: string): value is LimiterKind {
  return (LIMITER_KINDS as readonly string[]).includes(value);
}

export type TakeResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Retry-After is whole seconds (RFC 9110 delay-seconds): rounded up, never 0. */
function refused(waitMs: number): TakeResult {
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
}

interface Algorithm<S> {
  fresh(now: number, limit: Limit): S;
  take(state: S, now: number, limit: Limit): TakeResult;
}

const tokenBucket: Algorithm<{ tokens: number; updatedMs: number }> = {
  fresh: (now, limit) => ({ tokens: limit.burst, updatedMs: now }),
  take(bucket, now, limit) {
    bucket.tokens = Math.min(limit.burst, bucket.tokens + ((now - bucket.updatedMs) / 1000) * limit.ratePerSecond);
    bucket.updatedMs = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return refused(((1 - bucket.tokens) / limit.ratePerSecond) * 1000);
  },
};

const gcra: Algorithm<{ tatMs: number }> = {
  fresh: (now) => ({ tatMs: now }),
  take(state, now, limit) {
    const interval = 1000 / limit.ratePerSecond;
    const tolerance = (limit.burst - 1) * interval;
    const tat = Math.max(state.tatMs, now);
    // Small epsilon: float sums of the interval must not refuse a request that is exactly on time.
    if (tat - now > tolerance + 1e-6) return refused(tat - tolerance - now);
    state.tatMs = tat + interval;
    return { allowed: true };
  },
};

const windowMs = (limit: Limit): number => (limit.burst / limit.ratePerSecond) * 1000;

const fixedWindow: Algorithm<{ startMs: number; count: number }> = {
  fresh: (now, limit) => ({ startMs: Math.floor(now / windowMs(limit)) * windowMs(limit), count: 0 }),
  take(state, now, limit) {
    const w = windowMs(limit);
    const start = Math.floor(now / w) * w;
    if (start !== state.startMs) {
      state.startMs = start;
      state.count = 0;
    }
    if (state.count + 1 <= limit.burst) {
      state.count++;
      return { allowed: true };
    }
    return refused(start + w - now);
  },
};

const slidingWindow: Algorithm<{ admittedMs: number[]; next: number }> = {
  // The admission times of the last `burst` requests, in a ring: the oldest is the one to slide out next.
  fresh: (_now, limit) => ({ admittedMs: Array.from({ length: Math.max(1, Math.round(limit.burst)) }, () => Number.NEGATIVE_INFINITY), next: 0 }),
  take(state, now, limit) {
    const oldest = state.admittedMs[state.next]!;
    const w = windowMs(limit);
    if (oldest <= now - w) {
      state.admittedMs[state.next] = now;
      state.next = (state.next + 1) % state.admittedMs.length;
      return { allowed: true };
    }
    return refused(oldest + w - now);
  },
};

const ALGORITHMS: Record<LimiterKind, Algorithm<never>> = {
  'token-bucket': tokenBucket as Algorithm<never>,
  gcra: gcra as Algorithm<never>,
  'fixed-window': fixedWindow as Algorithm<never>,
  'sliding-window': slidingWindow as Algorithm<never>,
};

export class RateLimiter {
  private readonly states = new LRUCache<string, object>({ max: 50_000 });
  private readonly algorithm: Algorithm<object>;

  constructor(
    readonly kind: LimiterKind = 'token-bucket',
    private readonly now: () => number = () => performance.now(),
  ) {
    this.algorithm = ALGORITHMS[kind] as Algorithm<object>;
  }

  take(key: string, limit: Limit | null): TakeResult {
    if (limit === null) return { allowed: true };
    const now = this.now();
    let state = this.states.get(key);
    if (!state) {
      state = this.algorithm.fresh(now, limit);
      this.states.set(key, state);
    }
    return this.algorithm.take(state, now, limit);
  }
}
