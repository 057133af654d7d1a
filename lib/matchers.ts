import { expect as baseExpect } from '@playwright/test';
import { ANSWERS, DOCUMENTED_ERROR_STATUSES, ENDPOINTS, type AnswerCase } from '../contract/index.ts';
import { validateErrorBody } from './generated/error-body-validator.js';
import { isDeepStrictEqual } from 'node:util';
import { preview, redactAbout, type Exchange } from './exchange.ts';
import { decodeLoginJwt, type LoginClaims } from './jwt.ts';
import type { Expectation } from './profile.ts';
import { noteExpectationCase } from './drift/answers.ts';

/**
 * Domain matchers for exchanges. Every message says what was expected, what came, and the cURL line that
 * reproduces it. What the documents say (status set, error shape, login_url contents) is checked the same on
 * every target; which 4xx and which code comes from the target's expectations file (`toMatchExpectation`).
 */

type MatcherResult = { pass: boolean; message: () => string; name: string; expected?: unknown; actual?: unknown };

/** The expectations of the worker's target, registered by the profile fixture. */
let activeExpectations: { file: string; cases: Record<AnswerCase, Expectation> } | null = null;
export function useExpectations(file: string, cases: Record<AnswerCase, Expectation>): void {
  activeExpectations = { file, cases };
}

// ERROR_BODY_SCHEMA compiled ahead of time (scripts/generate-validators.ts): no Ajv import or compile on each worker start.
const isErrorBody = (value: unknown): boolean => validateErrorBody(value) === true;

function report(name: string, pass: boolean, isNot: boolean, expected: string, actual: string, exchange: Exchange): MatcherResult {
  return {
    pass,
    name,
    expected,
    actual,
    // The answer may hold a JWT or a refresh token: the message is redacted like every attachment.
    message: () =>
      redactAbout(
        exchange,
        `${name}${isNot ? ' (negated)' : ''} for ${exchange.request.method} ${new URL(exchange.request.url).pathname}\n` +
          `  expected: ${isNot ? 'not ' : ''}${expected}\n  actual:   ${actual}\n  reproduce: ${exchange.curl}`,
      ),
  };
}

const answerOf = (x: Exchange): string => `status ${x.status}: ${preview(x.text, 300)}`;

function errorCode(x: Exchange): string | undefined {
  const code = (x.json as { error?: { code?: unknown } } | undefined)?.error?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The URL a successful OAuth call hands back: `login_url` in a 200 body, or the 302 `Location`. */
export function loginUrlOf(x: Exchange): string | undefined {
  if (x.status === 302) return x.headers.location;
  const url = (x.json as { login_url?: unknown } | undefined)?.login_url;
  return typeof url === 'string' ? url : undefined;
}

export interface LoginUrlExpectation {
  redirectUri: string;
  state: string;
}

/**
 * Whether a URL is the redirect URI with parameters added: same origin and path. Not a prefix test: the page says
 * only "URL generated from the redirect_uri with additional parameters.", so where the added parameters go in the
 * query, and how state is percent-encoded, is the server's choice (RFC 6749 §3.1.2 keeps the URI's own query).
 */
export function isOnRedirectUri(url: string, redirectUri: string): boolean {
  try {
    const u = new URL(url);
    const r = new URL(redirectUri);
    return u.origin === r.origin && u.pathname === r.pathname;
  } catch {
    return false;
  }
}

/**
 * What is wrong with a login URL (empty when nothing): same origin and path as the redirect URI, its own query
 * parameters kept ("URL generated from the redirect_uri with additional parameters."), exactly one non-empty code
 * ("The code parameter is the user authentication code"), and the state exactly as sent, compared decoded ("The
 * value will be returned in the response."), wherever in the query they stand.
 */
export function loginUrlProblems(loginUrl: string, want: LoginUrlExpectation): string[] {
  let url: URL;
  try {
    url = new URL(loginUrl);
  } catch {
    return [`login_url is not an absolute URL: ${loginUrl}`];
  }
  const redirect = new URL(want.redirectUri);
  const problems: string[] = [];
  if (url.origin !== redirect.origin || url.pathname !== redirect.pathname) {
    problems.push(`points to ${url.origin}${url.pathname}, not the redirect URI ${redirect.origin}${redirect.pathname}`);
  }
  for (const [name, value] of redirect.searchParams) {
    if (url.searchParams.get(name) !== value) problems.push(`lost the redirect URI's own query parameter ${name}=${value}`);
  }
  const codes = url.searchParams.getAll('code');
  if (codes.length !== 1 || codes[0] === '') problems.push(`has ${codes.length === 0 ? 'no' : codes.length === 1 ? 'an empty' : `${codes.length}`} code parameter(s)`);
  const states = url.searchParams.getAll('state');
  if (states.length !== 1) problems.push(`has ${states.length} state parameters, expected exactly one`);
  else if (states[0] !== want.state) problems.push(`state came back as ${JSON.stringify(states[0])}, sent ${JSON.stringify(want.state)}`);
  return problems;
}

/** The JWT an answer carries: `token` (JWT login) or `access_token` (code exchange). */
export function jwtOf(x: Exchange): string | undefined {
  const body = x.json as { token?: unknown; access_token?: unknown } | undefined;
  const token = body?.token ?? body?.access_token;
  return typeof token === 'string' ? token : undefined;
}

/** What is wrong with a Login JWT's claims: the expected values exactly, a non-empty sub, an exp in the future. */
export function claimProblems(claims: LoginClaims, expected: Record<string, unknown>, nowMs = Date.now()): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(expected)) {
    if (!isDeepStrictEqual(claims[name], value)) problems.push(`${name}: expected ${JSON.stringify(value)}, got ${JSON.stringify(claims[name]) ?? '(absent)'}`);
  }
  if (typeof claims.sub !== 'string' || claims.sub.length === 0) problems.push(`sub: expected a non-empty string, got ${JSON.stringify(claims.sub) ?? '(absent)'}`);
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= nowMs) {
    problems.push(`exp: expected a time in the future, got ${claims.exp === undefined ? '(absent)' : `${JSON.stringify(claims.exp)}${typeof claims.exp === 'number' ? ` (${new Date(claims.exp * 1000).toISOString()})` : ''}`}`);
  }
  return problems;
}

export const expect = baseExpect.extend({
  /** The answer's JWT has these claims exactly, a sub, and an exp in the future. */
  toHaveJwtClaims(x: Exchange, expected: Record<string, unknown>) {
    const token = jwtOf(x);
    let problems: string[];
    if (token === undefined) problems = [`no JWT in the answer (${answerOf(x)})`];
    else {
      try {
        problems = claimProblems(decodeLoginJwt(token), expected);
      } catch (error) {
        problems = [`the token is not a decodable JWT (${(error as Error).message})`];
      }
    }
    return report('toHaveJwtClaims', problems.length === 0, this.isNot, `a JWT with ${JSON.stringify(expected)}, a sub and an exp in the future`, problems.join('; '), x);
  },

  toHaveStatus(x: Exchange, expected: number | readonly number[]) {
    const list = typeof expected === 'number' ? [expected] : expected;
    return report('toHaveStatus', list.includes(x.status), this.isNot, `status ${list.join(' or ')}`, answerOf(x), x);
  },

  /** The documented error answer: a documented 4xx status with the documented body. */
  toBeDocumentedError(x: Exchange) {
    const statuses = x.endpoint ? ENDPOINTS[x.endpoint].statuses.filter((s) => s >= 400) : [...DOCUMENTED_ERROR_STATUSES];
    const pass = statuses.includes(x.status) && isErrorBody(x.json);
    return report('toBeDocumentedError', pass, this.isNot, `a documented error (${statuses.join('/')}) with body {"error": {"code", "description", "details"?}}`, answerOf(x), x);
  },

  /** A refusal, as the documents require for this input: a documented 4xx error, never a 2xx or 3xx. */
  toBeRejected(x: Exchange, why: string) {
    const statuses = (x.endpoint ? ENDPOINTS[x.endpoint].statuses : DOCUMENTED_ERROR_STATUSES).filter((s) => s >= 400 && s < 500 && s !== 429);
    const pass = statuses.includes(x.status) && isErrorBody(x.json);
    return report('toBeRejected', pass, this.isNot, `a refusal (${statuses.join('/')} with the documented error body) because ${why}`, answerOf(x), x);
  },

  /**
   * The answer for a case the documents leave open: the documented error shape, and the status and code this
   * target's expectations file gives for the case (contract/answers.ts names the cases).
   */
  toMatchExpectation(x: Exchange, caseName: AnswerCase) {
    if (!activeExpectations) throw new Error('toMatchExpectation: no target expectations registered (use the suites\' test fixtures)');
    const want = activeExpectations.cases[caseName];
    // The run's record (and --learn) reads which case each answer was checked against.
    if (!this.isNot) noteExpectationCase(x, caseName);
    const code = errorCode(x);
    // The documented body is the pages' promise; the flow calls they do not describe (token exchange, /users/me)
    // are held to the status and, when the expectations name one, the code.
    const documented = x.endpoint !== null && ENDPOINTS[x.endpoint].documented;
    const pass = want.status.includes(x.status) && (!documented || isErrorBody(x.json)) && (want.code === null || code === want.code);
    const expected = `status ${want.status.join(' or ')}${want.code ? ` with error.code ${want.code}` : ' with any documented error.code'}${documented ? ' and the documented error body' : ''} ` +
      `(case ${caseName}: "${ANSWERS[caseName].description}", from ${activeExpectations.file})`;
    return report('toMatchExpectation', pass, this.isNot, expected, answerOf(x), x);
  },

  /** login_url (200 body) or Location (302) built from the redirect URI, with one code and the state exactly as sent. */
  toHaveLoginUrlWith(x: Exchange, want: LoginUrlExpectation) {
    const url = loginUrlOf(x);
    const problems = url === undefined ? [`no login URL in the answer (${answerOf(x)})`] : loginUrlProblems(url, want);
    return report(
      'toHaveLoginUrlWith',
      problems.length === 0,
      this.isNot,
      `a login URL on ${want.redirectUri} with one code and state=${JSON.stringify(want.state)}`,
      `${problems.join('; ')}${url ? ` (login URL: ${url.replace(/([?&]code=)[^&#]*/, '$1[REDACTED]')})` : ''}`,
      x,
    );
  },
});
