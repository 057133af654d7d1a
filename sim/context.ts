import type { RateLimiter, Limit, LimiterKind } from './rate-limiter.ts';
import type { Rules, World } from './rules.ts';
import type { SimProject } from './seed.ts';
import type { SimState } from './state.ts';
import type { SocialVerifier } from './social/verifier.ts';
import { ISSUER, type TokenIssuer } from './tokens.ts';

export interface SimOptions {
  host: string;
  port: number;
  /** Requests per second per project/client; `null` turns rate limiting off (benchmarks). */
  rateLimit: number | null;
  burst: number | null;
  /** Which algorithm counts the requests (sim/rate-limiter.ts); the documents do not say. */
  limiter: LimiterKind;
  maxBodyBytes: number;
  tokenTtlSeconds: number;
  codeTtlSeconds: number;
  socialTimeoutMs: number;
  /** How long a social network's acceptance of a credential is remembered; 0 asks every time. */
  socialCacheTtlSeconds: number;
  socialLatencyMs: number;
  socialOutage: string[];
  socialSlowMs: number;
  /** Seconds a social credential lives after it was issued (sim/social/credential-lifetimes.ts); null: for ever. */
  socialTokenTtlSeconds: number | null;
  /** Epic exchange codes work once and for 300 s, as the real ones. */
  epicCodesSingleUse: boolean;
  /** The fake Facebook refuses to create new test users, as Facebook pauses it at times. */
  facebookTestUsersPaused: boolean;
  defect: string | null;
  /** Quirk modes (sim/quirks.ts): conforming variations a real server may have, several at once. */
  quirks: string[];
  /** How the Login JWTs are signed: HS256 with a secret key, or an asymmetric key published as a JWKS. */
  jwtAlgorithm: 'HS256' | 'RS256' | 'ES256';
  /** The `iss` of every Login JWT. */
  jwtIssuer: string;
  /** How authorization codes are written: URL-safe Base64, or standard Base64 (`+`, `/`, `=`, percent-encoded in URLs). */
  codeEncoding: 'base64url' | 'base64';
  /** Added to every API answer (not the health check): a slower server, for the drift comparison to catch. */
  latencyMs: number;
}

export const DEFAULT_OPTIONS: SimOptions = {
  host: '127.0.0.1',
  port: 8787,
  rateLimit: 1000,
  burst: null,
  limiter: 'token-bucket',
  maxBodyBytes: 64 * 1024,
  tokenTtlSeconds: 86_400,
  codeTtlSeconds: 60,
  socialTimeoutMs: 2000,
  socialCacheTtlSeconds: 60,
  socialLatencyMs: 0,
  socialOutage: [],
  socialSlowMs: 5000,
  socialTokenTtlSeconds: null,
  epicCodesSingleUse: false,
  facebookTestUsersPaused: false,
  defect: null,
  quirks: [],
  jwtAlgorithm: 'HS256',
  jwtIssuer: ISSUER,
  codeEncoding: 'base64url',
  latencyMs: 0,
};

/** What every route handler works with. */
export interface SimContext {
  rules: Rules;
  world: World;
  state: SimState;
  issuer: TokenIssuer;
  verifier: SocialVerifier;
  limiter: RateLimiter;
  options: SimOptions;
  /** The limit of a project (its own, or the one given at start). */
  limitFor(project: SimProject): Limit | null;
}
