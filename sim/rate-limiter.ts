import { LRUCache } from 'lru-cache';

/**
 * Token buckets, one per key (a project or an OAuth client). A bucket holds `burst` tokens and refills at
 * `ratePerSecond`; a request takes one token or is refused with the seconds until one is back (Retry-After).
 * The buckets live in a bounded LRU: a key idle long enough to be evicted would have refilled anyway.
 */
export interface Limit {
  ratePerSecond: number;
  burst: number;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

export type TakeResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export class RateLimiter {
  private readonly buckets = new LRUCache<string, Bucket>({ max: 50_000 });

  constructor(private readonly now: () => number = () => performance.now()) {}

  take(key: string, limit: Limit | null): TakeResult {
    if (limit === null) return { allowed: true };
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: limit.burst, updatedMs: now };
      this.buckets.set(key, bucket);
    } else {
      const refilled = ((now - bucket.updatedMs) / 1000) * limit.ratePerSecond;
      bucket.tokens = Math.min(limit.burst, bucket.tokens + refilled);
      bucket.updatedMs = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    const secondsToOne = (1 - bucket.tokens) / limit.ratePerSecond;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(secondsToOne)) };
  }
}
