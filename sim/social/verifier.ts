import { LRUCache } from 'lru-cache';
import { Pool, errors as undiciErrors } from 'undici';
import type { SocialProfile, VerifyRequest } from './fake-networks.ts';

/**
 * How the simulator asks a social network whether a credential is good: an HTTP call through undici's
 * keep-alive pool, bounded by a timeout, as the real service calls Facebook or Steam.
 *
 * A network's "yes" is remembered for `cacheTtlMs` (bounded LRU), as an identity service caches provider lookups:
 * the same token presented again within the window is not asked about twice. Refusals and outages are never
 * remembered, so a bad or unlucky token is asked about every time. `--social-cache-ttl 0` turns this off.
 * A "yes" that says how long the credential stays good (`expires_in_ms`, sent when the simulator gives credentials
 * a lifetime) is remembered no longer than that, and not at all for a credential used up by the check (an Epic
 * exchange code): an expired or spent credential is asked about again, and refused.
 */
export type VerifyResult = { ok: true; profile: SocialProfile } | { ok: false; reason: 'rejected' | 'unavailable' };

export class SocialVerifier {
  private readonly pool: Pool;
  private readonly accepted: LRUCache<string, SocialProfile> | null;

  constructor(origin: string, private readonly timeoutMs: number, private readonly cacheTtlMs = 0) {
    this.pool = new Pool(origin, { connections: 64, keepAliveTimeout: 30_000 });
    this.accepted = cacheTtlMs > 0 ? new LRUCache({ max: 100_000, ttl: cacheTtlMs }) : null;
  }

  async verify(provider: string, credential: VerifyRequest): Promise<VerifyResult> {
    if (!this.accepted) return this.ask(provider, credential);
    // Every field the network judges is part of the key: the same token with another secret is another question.
    const key = [provider, credential.access_token, credential.access_token_secret, credential.openid, credential.ticket, credential.app_id, credential.code, credential.deployment_id].join('\u0000');
    const known = this.accepted.get(key);
    if (known) return { ok: true, profile: known };
    const result = await this.ask(provider, credential);
    if (result.ok) {
      // lru-cache reads a ttl of 0 as "for ever": a credential good for no longer is simply not remembered.
      if (result.expiresInMs === null) this.accepted.set(key, result.profile);
      else if (result.expiresInMs > 0) this.accepted.set(key, result.profile, { ttl: Math.min(this.cacheTtlMs, result.expiresInMs) });
    }
    return result.ok ? { ok: true, profile: result.profile } : result;
  }

  private async ask(provider: string, credential: VerifyRequest): Promise<(VerifyResult & { ok: false }) | { ok: true; profile: SocialProfile; expiresInMs: number | null }> {
    try {
      const { statusCode, body } = await this.pool.request({
        method: 'POST',
        path: `/${encodeURIComponent(provider)}/verify`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(credential),
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      if (statusCode === 200) {
        const { expires_in_ms: expiresInMs, ...profile } = (await body.json()) as SocialProfile & { expires_in_ms?: number };
        return { ok: true, profile, expiresInMs: typeof expiresInMs === 'number' ? expiresInMs : null };
      }
      await body.dump();
      return { ok: false, reason: statusCode === 401 || statusCode === 403 ? 'rejected' : 'unavailable' };
    } catch (error) {
      if (error instanceof undiciErrors.UndiciError) return { ok: false, reason: 'unavailable' };
      throw error;
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
