// The decode entry alone: jose's index loads every algorithm, about 70 ms in each Playwright worker, which starts
// again after every failed test.
import { decodeJwt } from 'jose/jwt/decode';
import type { JWTPayload } from 'jose';

/**
 * The Login user JWT as the suites read it: decoded without verification (the suites do not hold the
 * server's key), claim names as the documented example token has them.
 */
export interface LoginClaims extends JWTPayload {
  xsolla_login_project_id?: string;
  provider?: string;
  payload?: string;
  scope?: string | string[];
}

export function decodeLoginJwt(token: string): LoginClaims {
  return decodeJwt(token) as LoginClaims;
}

/** `scope` as a list, whether the server writes it space-separated or as an array. */
export function scopesOf(claims: LoginClaims): string[] {
  if (Array.isArray(claims.scope)) return claims.scope.map(String);
  if (typeof claims.scope === 'string') return claims.scope.split(' ').filter((s) => s.length > 0);
  return [];
}

/** `aud` as a list (RFC 7519 allows a string or an array). */
export function audiencesOf(claims: LoginClaims): string[] {
  if (Array.isArray(claims.aud)) return claims.aud;
  return typeof claims.aud === 'string' ? [claims.aud] : [];
}
