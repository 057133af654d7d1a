import { LRUCache } from 'lru-cache';
import type { TokenIdentity } from './tokens.ts';

/**
 * Everything the simulator remembers, each store bounded in size (LRU) and, where the thing expires, in time
 * (TTL), so a long load run cannot grow memory without limit. What eviction forgets is documented where it
 * matters: an evicted user is treated as new (no_user_creation) and forgets its with_logout watermark.
 */

/** Keyed by `sub`, which is derived from (project, provider, social account) and so names the user. */
export interface UserRecord {
  sub: string;
  /** Tokens whose session number is below this are deactivated (with_logout=1 raised it). */
  activeFromSession: number;
}

export interface AuthorizationCode {
  clientId: number;
  /** The redirect URI the code was issued for; the exchange must name the same one (RFC 6749 §4.1.3). */
  redirectUri: string;
  identity: TokenIdentity;
  scope: readonly string[];
  audience: string | undefined;
}

export type RefreshGrant = Omit<AuthorizationCode, 'redirectUri'>;

export interface StateLimits {
  maxUsers: number;
  maxCodes: number;
  codeTtlSeconds: number;
  maxRefreshTokens: number;
  refreshTtlSeconds: number;
}

export const DEFAULT_STATE_LIMITS: StateLimits = {
  maxUsers: 200_000,
  maxCodes: 100_000,
  codeTtlSeconds: 60,
  maxRefreshTokens: 100_000,
  refreshTtlSeconds: 7 * 24 * 3600,
};

export class SimState {
  readonly users: LRUCache<string, UserRecord>;
  readonly codes: LRUCache<string, AuthorizationCode>;
  readonly refreshTokens: LRUCache<string, RefreshGrant>;
  private sessionCounter = 0;

  constructor(limits: StateLimits = DEFAULT_STATE_LIMITS) {
    this.users = new LRUCache({ max: limits.maxUsers });
    this.codes = new LRUCache({ max: limits.maxCodes, ttl: limits.codeTtlSeconds * 1000 });
    this.refreshTokens = new LRUCache({ max: limits.maxRefreshTokens, ttl: limits.refreshTtlSeconds * 1000 });
  }

  /** Every issued JWT gets the next session number; with_logout compares against it. */
  nextSession(): number {
    return ++this.sessionCounter;
  }

  /** A code is single use: taking it removes it. */
  takeCode(code: string): AuthorizationCode | undefined {
    const found = this.codes.get(code);
    if (found) this.codes.delete(code);
    return found;
  }

  takeRefreshToken(token: string): RefreshGrant | undefined {
    const found = this.refreshTokens.get(token);
    if (found) this.refreshTokens.delete(token);
    return found;
  }
}
