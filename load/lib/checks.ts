import { ENDPOINTS, ERROR_CODE_PATTERN, type EndpointId } from '../../contract/index.ts';
import { queryParam } from './requests.ts';

/**
 * What a response must look like, as pure predicates over status, headers and body text: the k6 scripts wrap
 * them in `check()`, the unit tests feed them recorded answers.
 */

export function parseJson(text: string | null | undefined): unknown {
  if (typeof text !== 'string' || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The documented error body: `{"error": {"code": "NNN-NNN", "description": "...", "details"?: {...}}}`. */
export function isDocumentedErrorBody(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const error = (body as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return false;
  const { code, description, details } = error as Record<string, unknown>;
  if (typeof code !== 'string' || !ERROR_CODE_PATTERN.test(code)) return false;
  if (typeof description !== 'string' || description.length === 0) return false;
  return details === undefined || (typeof details === 'object' && details !== null && !Array.isArray(details));
}

/** Retry-After (RFC 9110 §10.2.3): delay-seconds (a non-negative integer) or an HTTP-date. */
export function isValidRetryAfter(value: string | undefined | null): boolean {
  if (value === undefined || value === null) return false;
  const v = value.trim();
  if (/^\d+$/.test(v)) return true;
  return /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(v) && !Number.isNaN(Date.parse(v));
}

/** k6 canonicalises header names (`Retry-After`); tests pass any casing. */
export function header(headers: Record<string, string | undefined>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

export function looksLikeJwt(value: unknown): boolean {
  return typeof value === 'string' && /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(value);
}

export function isDocumentedStatus(endpoint: EndpointId, status: number): boolean {
  return ENDPOINTS[endpoint].statuses.includes(status);
}

export function isSuccessStatus(endpoint: EndpointId, status: number): boolean {
  return ENDPOINTS[endpoint].successStatus.includes(status);
}

/** A login URL carries the authorization `code` and echoes the request's `state`. */
export function loginUrlCarries(url: unknown, state: string): boolean {
  if (typeof url !== 'string') return false;
  const code = queryParam(url, 'code');
  return code !== undefined && code !== '' && queryParam(url, 'state') === state;
}

/** The success body each endpoint documents. */
export function hasDocumentedSuccessBody(endpoint: EndpointId, body: unknown, state: string): boolean {
  const record = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  switch (endpoint) {
    case 'jwtLogin':
      return looksLikeJwt(record.token);
    case 'oauthLogin':
    case 'crossAuth':
      return loginUrlCarries(record.login_url, state);
    case 'oauthToken':
      return looksLikeJwt(record.access_token);
    case 'usersMe':
      return Object.keys(record).length > 0;
  }
}

/**
 * Every 429 must carry the documented error body. Retry-After is not in the pages (RFC 6585 §4: a 429 MAY include
 * it): one that is sent must be valid (RFC 9110 §10.2.3); its absence is a problem only where the target is known
 * to send it (`retryAfterRequired`: the profile's rateLimit.retryAfter, or the simulator).
 */
export function rateLimitAnswerProblems(
  status: number,
  headers: Record<string, string | undefined>,
  bodyText: string | null,
  retryAfterRequired: boolean,
): string[] {
  if (status !== 429) return [];
  const problems: string[] = [];
  if (!isDocumentedErrorBody(parseJson(bodyText))) problems.push('body is not the documented error shape');
  const retryAfter = header(headers, 'retry-after');
  if (retryAfter === undefined ? retryAfterRequired : !isValidRetryAfter(retryAfter)) problems.push('Retry-After is missing or malformed');
  return problems;
}
