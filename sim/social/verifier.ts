import { Pool, errors as undiciErrors } from 'undici';
import type { SocialProfile, VerifyRequest } from './fake-networks.ts';

/**
 * How the simulator asks a social network whether a credential is good: an HTTP call through undici's
 * keep-alive pool, bounded by a timeout, as the real service calls Facebook or Steam.
 */
export type VerifyResult = { ok: true; profile: SocialProfile } | { ok: false; reason: 'rejected' | 'unavailable' };

export class SocialVerifier {
  private readonly pool: Pool;

  constructor(origin: string, private readonly timeoutMs: number) {
    this.pool = new Pool(origin, { connections: 64, keepAliveTimeout: 30_000 });
  }

  async verify(provider: string, credential: VerifyRequest): Promise<VerifyResult> {
    try {
      const { statusCode, body } = await this.pool.request({
        method: 'POST',
        path: `/${encodeURIComponent(provider)}/verify`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(credential),
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      if (statusCode === 200) return { ok: true, profile: (await body.json()) as SocialProfile };
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
