import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/**
 * How long the fake networks' credentials live, when a simulator option asks them to live as real ones do
 * (`--social-token-ttl`, `--epic-codes-single-use`). Off by default: every credential of the right form is good
 * for ever and as often as it is shown, as before these options existed.
 *
 * When was a credential issued?
 *   - A credential handed out by a fake test-account API (Facebook test users, Epic exchange codes, the generic
 *     one) is recorded here with the moment it was issued and the account it proves. It is opaque (`simtu.…`,
 *     or 32 hex digits for an Epic code, as real ones are) and never has the template form below, so a
 *     recorded credential is never mistaken for a minted one.
 *   - A template-minted credential (`sim-<provider>-<uid>`, the form the simulator's profile mints with
 *     credentialTemplates, or pastes as literal accounts) is not recorded anywhere: it counts as issued when the
 *     fake networks started. A profile of literal tokens therefore works for the TTL after the simulator starts,
 *     then is refused, like tokens pasted into a real profile once and left there.
 *
 * A refused credential (expired, spent or unknown) gets the same 401 as any credential the network does not
 * accept, so the Login simulator refuses it on the same path as any other refused token.
 */

/** The real Epic behaviour: an exchange code works once and expires 300 s after it was generated. */
export const EPIC_EXCHANGE_CODE_SECONDS = 300;

export interface LifetimeOptions {
  /** Seconds a social credential lives after it was issued; null: for ever (the default). */
  tokenTtlSeconds: number | null;
  /** Epic codes work once and for EPIC_EXCHANGE_CODE_SECONDS. */
  epicCodesSingleUse: boolean;
  /** The clock (ms since the epoch); injectable so a test can pass 300 s without waiting them. */
  now: () => number;
}

export interface IssuedCredential {
  /** The social account the credential proves. */
  uid: string;
  issuedAtMs: number;
  /** twitter's access_token_secret, wechat's openid, Steam's app id: what must come with the credential. */
  companion?: string;
}

export type LifetimeVerdict = { ok: true; expiresInMs: number | null } | { ok: false; why: 'expired' | 'spent' };

/** A recorded credential outlives its use by this many issuances at most (bounded memory on long load runs). */
const MAX_RECORDED = 100_000;
const MAX_SPENT = 200_000;

export class CredentialLifetimes {
  readonly startedAtMs: number;
  private readonly issued = new LRUCache<string, IssuedCredential>({ max: MAX_RECORDED });
  private readonly spent = new LRUCache<string, true>({ max: MAX_SPENT });

  constructor(private readonly options: LifetimeOptions) {
    this.startedAtMs = options.now();
  }

  now(): number {
    return this.options.now();
  }

  /** Records a new opaque credential for `uid` and answers it. */
  issue(provider: string, uid: string, form: 'token' | 'hex' = 'token', companion?: string): string {
    const credential = form === 'hex' ? randomBytes(16).toString('hex') : `simtu.${provider}.${randomBytes(18).toString('base64url')}`;
    this.issued.set(key(provider, credential), { uid, issuedAtMs: this.options.now(), ...(companion !== undefined ? { companion } : {}) });
    return credential;
  }

  /** The record of a credential a test-account API issued, if any. */
  recorded(provider: string, credential: string | undefined): IssuedCredential | undefined {
    return credential === undefined ? undefined : this.issued.get(key(provider, credential));
  }

  /**
   * Whether a credential the network otherwise accepts is still alive, issued at `issuedAtMs`; a single-use one
   * is spent by this call when it is. `expiresInMs` tells the Login simulator how long it may remember the answer.
   */
  check(provider: string, credential: string, issuedAtMs: number): LifetimeVerdict {
    const singleUse = provider === 'epicgames' && this.options.epicCodesSingleUse;
    const lifetimes: number[] = [];
    if (this.options.tokenTtlSeconds !== null) lifetimes.push(this.options.tokenTtlSeconds * 1000);
    if (singleUse) lifetimes.push(EPIC_EXCHANGE_CODE_SECONDS * 1000);
    if (lifetimes.length === 0) return { ok: true, expiresInMs: null };
    const left = issuedAtMs + Math.min(...lifetimes) - this.options.now();
    if (left <= 0) return { ok: false, why: 'expired' };
    if (singleUse) {
      const k = key(provider, credential);
      if (this.spent.has(k)) return { ok: false, why: 'spent' };
      this.spent.set(k, true);
      // Used up now: nobody may remember it as good.
      return { ok: true, expiresInMs: 0 };
    }
    return { ok: true, expiresInMs: left };
  }
}

function key(provider: string, credential: string): string {
  return `${provider}\u0000${credential}`;
}
