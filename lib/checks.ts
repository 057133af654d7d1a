import { validateErrorBody } from './generated/error-body-validator.js';
import { ENDPOINTS, ERROR_BODY_SOURCE, cite, type Source } from '../contract/index.ts';
import { preview, type Exchange } from './exchange.ts';

/**
 * The always-on checks, Schemathesis style: small named conditions applied to EVERY response any test receives,
 * whatever the test itself asserts. Each names the document line it enforces and, when it fails, says what was
 * expected and what came. The API client runs them on each exchange before handing it to the test.
 */

export interface CheckViolation {
  check: string;
  source: Source;
  expected: string;
  actual: string;
}

export interface Check {
  name: string;
  source: Source;
  /** null when the exchange passes; otherwise what was expected and what came. */
  run(exchange: Exchange): Omit<CheckViolation, 'check' | 'source'> | null;
}

// ERROR_BODY_SCHEMA compiled ahead of time (scripts/generate-validators.ts): no Ajv import or compile on each worker start.

const documented = (exchange: Exchange) => (exchange.endpoint ? ENDPOINTS[exchange.endpoint] : null);

export const notAServerError: Check = {
  name: 'not_a_server_error',
  source: { doc: 'jwtLogin', item: 'responses', quote: 'The pages list 200, 400, 404, 422 and 429 (cross_auth also 302); none is a 5xx.' },
  run: (x) => (x.status >= 500 ? { expected: 'a status below 500', actual: `${x.status}: ${preview(x.text, 200)}` } : null),
};

export const statusCodeConformance: Check = {
  name: 'status_code_conformance',
  source: { doc: 'jwtLogin', item: 'responses', quote: 'Responses: 200 OK, 400 Bad Request, 404 Not Found, 422 Unprocessable Entity, 429 Too Many Requests' },
  run: (x) => {
    const endpoint = documented(x);
    if (!endpoint || endpoint.statuses.includes(x.status)) return null;
    return { expected: `one of the statuses ${endpoint.doc} documents: ${endpoint.statuses.join(', ')}`, actual: `${x.status}` };
  },
};

export const errorBodyConformance: Check = {
  name: 'error_body_conformance',
  source: ERROR_BODY_SOURCE,
  run: (x) => {
    const endpoint = documented(x);
    if (!endpoint?.documented || x.status < 400 || x.status >= 500) return null;
    const contentType = x.headers['content-type'] ?? '';
    if (!/\bjson\b/i.test(contentType)) {
      return { expected: 'a JSON error body (content-type application/json)', actual: `content-type "${contentType}": ${preview(x.text, 200)}` };
    }
    if (x.json === undefined) return { expected: 'a JSON error body', actual: `not JSON: ${preview(x.text, 200)}` };
    if (validateErrorBody(x.json)) return null;
    const problems = (validateErrorBody.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''}`.trim());
    return {
      expected: '{"error": {"code": "NNN-NNN", "description": non-empty string, "details"?: object}}',
      actual: `${preview(x.text, 200)} (${problems.join('; ')})`,
    };
  },
};

/**
 * An absolute URL of any scheme. The page: "URL generated from the redirect_uri with additional parameters.", and a
 * redirect URI is any absolute URI (RFC 6749 §3.1.2), a native app's private-use scheme included (RFC 8252 §7.1):
 * requiring http(s) here failed every login URL of such a registered URI. Which URI it must be, the tests check
 * against the registered one (toHaveLoginUrlWith).
 */
const isAbsoluteUrl = (value: unknown): boolean => {
  if (typeof value !== 'string' || !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(value)) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
};

export const successBodyConformance: Check = {
  name: 'response_schema_conformance',
  source: { doc: 'oauthLogin', item: 'responses.200', quote: '`login_url` (string, required) ... / `token` (string, required) Xsolla Login user JWT.' },
  run: (x) => {
    const body = x.json as Record<string, unknown> | undefined;
    if (x.endpoint === 'jwtLogin' && x.status === 200) {
      const token = body?.token;
      if (typeof token === 'string' && token.split('.').length === 3) return null;
      return { expected: '200 body {"token": "<JWT>"}', actual: preview(x.text, 200) };
    }
    if ((x.endpoint === 'oauthLogin' || x.endpoint === 'crossAuth') && x.status === 200) {
      if (isAbsoluteUrl(body?.login_url)) return null;
      return { expected: '200 body {"login_url": "<absolute URL>"}', actual: preview(x.text, 200) };
    }
    if (x.endpoint === 'crossAuth' && x.status === 302) {
      if (isAbsoluteUrl(x.headers.location)) return null;
      return { expected: '302 with a Location header holding the absolute login URL', actual: `Location: ${x.headers.location ?? '(none)'}` };
    }
    return null;
  },
};

/** Secrets shorter than this are too likely to occur by chance (and are not real credentials anyway). */
const MIN_SECRET_LENGTH = 6;

export const noSecretEchoed: Check = {
  name: 'no_secret_echoed',
  source: { doc: 'jwtLogin', item: 'body.access_token', quote: 'Access token received from a social network.' },
  run: (x) => {
    const haystack = [x.text, ...Object.values(x.headers)].join('\n');
    for (const secret of x.secrets) {
      if (secret.length < MIN_SECRET_LENGTH) continue;
      const forms = new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]);
      for (const form of forms) {
        if (haystack.includes(form)) {
          return { expected: 'no secret the request carried (social token, client secret) in the response', actual: `a secret of ${secret.length} characters came back in the response` };
        }
      }
    }
    return null;
  },
};

export const ALWAYS_ON_CHECKS: readonly Check[] = [notAServerError, statusCodeConformance, errorBodyConformance, successBodyConformance, noSecretEchoed];

export function runChecks(exchange: Exchange, checks: readonly Check[] = ALWAYS_ON_CHECKS): CheckViolation[] {
  const out: CheckViolation[] = [];
  for (const check of checks) {
    const violation = check.run(exchange);
    if (violation) out.push({ check: check.name, source: check.source, ...violation });
  }
  return out;
}

/** The message a failing check reports: which check, what was expected, what came, how to reproduce. */
export function describeViolations(exchange: Exchange, violations: readonly CheckViolation[]): string {
  const lines = [`${violations.length} always-on check(s) failed for ${exchange.request.method} ${pathOf(exchange)} → ${exchange.status}`];
  for (const v of violations) {
    lines.push(`  check ${v.check} (${cite(v.source)})`, `    expected: ${v.expected}`, `    actual:   ${v.actual}`);
  }
  lines.push(`  reproduce: ${exchange.curl}`);
  return lines.join('\n');
}

export function pathOf(exchange: Exchange): string {
  try {
    return new URL(exchange.request.url).pathname;
  } catch {
    return exchange.request.url;
  }
}
