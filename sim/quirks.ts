import { randomBytes } from 'node:crypto';
import { ANSWERS, type AnswerCase } from '../contract/index.ts';
import { ApiError } from './api-error.ts';
import type { SimOptions } from './context.ts';
import type { RouteId } from './defects.ts';
import type { Answer, WireStyle } from './http-io.ts';
import type { Rules } from './rules.ts';

/**
 * Quirk modes: conforming variations a real Login server may well have, where the four documents (or the RFCs
 * they build on) leave room. The suites must stay green on every one: a check that fails on a quirk is a false
 * alarm waiting for a real server. `npm run verify:harness` runs them beside the defect modes (sim/defects.ts).
 *
 * Each quirk says what it changes and what allows it (`allowedBy`: the document's words that leave the room,
 * or the RFC that permits it). Unlike a defect, quirks compose: each layer wraps the rules below it, so the
 * simulator can run several at once (`--quirk a,b`). Where QA would adapt to such a server by editing data, the
 * quirk says how (`redirectUris` for the profile's registered URIs, `expectations` for its expectations file).
 */

export type QuirkArea = 'error-body' | 'success-body' | 'jwt' | 'login-url' | 'status' | 'headers' | 'encoding' | 'timing' | 'rate-limit';

/** An expectations case as targets/expectations/*.json writes it. */
export interface ExpectedAnswer {
  status: number | number[];
  code: string | null;
}

export interface Quirk {
  description: string;
  /** What leaves room for it: a quote of the documents, or the RFC that allows it. */
  allowedBy: string;
  area: QuirkArea;
  /** A browser flow (e2e) can see it: the suites of that stage must stay green too. */
  e2e: boolean;
  /** Wraps the rules below (the good ones, or earlier quirks'): returns the rules it replaces. */
  rules?: (inner: Rules, options: SimOptions) => Partial<Rules>;
  options?: Partial<SimOptions>;
  /** Rewrites an answer after the rules made it (before CORS and the wire). */
  transform?: (answer: Answer, route: RouteId) => Answer | Promise<Answer>;
  /** How answers are written on the wire (header names, content type, transfer coding, JSON text). */
  wire?: WireStyle;
  /** A client's registered redirect URIs, as this server registers them (QA's profile lists the same). */
  redirectUris?: (uris: readonly string[]) => string[];
  /** How QA's target profile for such a server differs from the simulator's (e.g. what its limiter sends). */
  profile?: (doc: Record<string, any>) => void;
  /** How QA's expectations file for such a server differs from the simulator's (the status or code it pins). */
  expectations?: (cases: Record<AnswerCase, ExpectedAnswer>) => void;
  /** Quirks this one cannot be combined with (they change the same thing in opposite ways). */
  conflictsWith?: readonly string[];
}

const errorOf = (answer: Answer): Record<string, unknown> => ((answer.body as { error?: Record<string, unknown> } | undefined)?.error ?? {});
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Another code of the documented form NNN-NNN for every code, one to one (so distinct cases stay distinct). */
export function otherErrorCode(code: string): string {
  const m = /^(\d{3})-(\d{3})$/.exec(code);
  if (!m) return code;
  const pad = (n: number): string => String(n).padStart(3, '0');
  return `${pad((Number(m[1]) + 500) % 1000)}-${pad((Number(m[2]) * 7 + 11) % 1000)}`;
}

/** Every character but ASCII letters and digits percent-encoded (UTF-8, lower-case hex): decodes to the same value. */
export function encodeEverything(value: string): string {
  return [...Buffer.from(value, 'utf8')].map((b) => (/[A-Za-z0-9]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0')}`)).join('');
}

/** Replaces the value of one query parameter in a URL string, leaving every other byte as it was. */
function withQueryValue(url: string, name: string, encoded: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const parts = url.slice(q + 1).split('&').map((part) => (part.split('=')[0] === name ? `${name}=${encoded}` : part));
  return `${url.slice(0, q + 1)}${parts.join('&')}`;
}

/** An IMF-fixdate (RFC 9110 §5.6.7) at least `seconds` from now: rounded up, so a client waiting until then is never early. */
export function httpDateIn(seconds: number, nowMs = Date.now()): string {
  return new Date(Math.ceil((nowMs + seconds * 1000) / 1000) * 1000).toUTCString();
}

const titleCase = (name: string): string => name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => `${dash}${c.toUpperCase()}`);

/** PHP's json_encode by default: `/` escaped as `\/`, every non-ASCII character as `\uXXXX` (applied to JSON text). */
function phpJson(text: string): string {
  return text.replace(/\//g, '\\/').replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export const QUIRK_ISSUER = 'https://auth.login-staging.example';

export const QUIRKS: Record<string, Quirk> = {
  // ── the error body ────────────────────────────────────────────────────────────────────────────────────
  'error-body-extra-keys': {
    description: 'error answers carry extra keys at the top level, inside "error" and inside "error.details" (which is always present)',
    allowedBy: 'The pages list the fields of the error body ("`error.code` (string, required) ... `error.description` (string, required) ... `error.details` (object) Additional information.") and forbid none besides them.',
    area: 'error-body',
    e2e: false,
    rules: (inner) => ({
      errorAnswer: (error) => {
        const answer = inner.errorAnswer(error);
        if (!isObject(answer.body) || !isObject(answer.body.error)) return answer;
        const e = answer.body.error;
        const details = { ...(isObject(e.details) ? e.details : {}), trace_id: randomBytes(8).toString('hex') };
        return { ...answer, body: { ...answer.body, request_id: randomBytes(6).toString('hex'), error: { ...e, message: e.description, details } } };
      },
    }),
    conflictsWith: ['error-details-absent'],
  },
  'error-details-absent': {
    description: 'error answers never carry "error.details"',
    allowedBy: '"`error.details` (object) Additional information." is the only field of the error object not marked required.',
    area: 'error-body',
    e2e: false,
    rules: (inner) => ({
      errorAnswer: (error) => {
        const answer = inner.errorAnswer(error);
        if (!isObject(answer.body) || !isObject(answer.body.error)) return answer;
        const { details: _dropped, ...rest } = answer.body.error;
        return { ...answer, body: { ...answer.body, error: rest } };
      },
    }),
    conflictsWith: ['error-body-extra-keys'],
  },
  'other-error-codes': {
    description: 'every error.code differs from the simulator\'s, still of the form NNN-NNN (e.g. 003-003 → 503-032); the expectations file pins the new ones',
    allowedBy: 'The pages give one example code ("Example: \\"003-061\\"") and never say which input earns which code; which code is the server\'s choice, recorded in its expectations file.',
    area: 'error-body',
    e2e: true,
    rules: (inner) => ({
      errorAnswer: (error) => {
        const answer = inner.errorAnswer(error);
        const e = errorOf(answer);
        return typeof e.code === 'string' && isObject(answer.body) ? { ...answer, body: { ...answer.body, error: { ...e, code: otherErrorCode(e.code) } } } : answer;
      },
    }),
    expectations: (cases) => {
      for (const c of Object.values(cases)) if (c.code !== null) c.code = otherErrorCode(c.code);
    },
  },
  'status-400-for-validation': {
    description: 'every refusal the simulator answers with 422 (missing or invalid parameters, state, redirect_uri, a rejected token) answers 400 instead; the expectations file says 400',
    allowedBy: 'The pages list "400 Bad Request" and "422 Unprocessable Entity" with the same fields ("Response 400 fields" and "Response 422 fields" are identical) and never say which input earns which.',
    area: 'status',
    e2e: true,
    rules: (inner) => ({
      errorAnswer: (error) => {
        const answer = inner.errorAnswer(error);
        return answer.status === 422 ? { ...answer, status: 400 } : answer;
      },
    }),
    expectations: (cases) => {
      for (const [name, c] of Object.entries(cases)) if (ANSWERS[name as AnswerCase]?.status === 422) c.status = 400;
    },
  },

  // ── 200 bodies and the JWT ────────────────────────────────────────────────────────────────────────────
  'success-body-extra-keys': {
    description: '200 bodies carry extra keys besides token / login_url (and the token and user answers of the flow calls too)',
    allowedBy: 'The pages list the 200 fields ("`token` (string, required)", "`login_url` (string, required)") and forbid none besides them; RFC 6749 §5.1: "The client MUST ignore unrecognized value names in the response."',
    area: 'success-body',
    e2e: true,
    transform: (answer, route) => {
      if (answer.status !== 200 || !isObject(answer.body)) return answer;
      if (route === 'jwtLogin') return { ...answer, body: { ...answer.body, token_type: 'bearer', expires_in: 86_400, user: { new: false } } };
      if (route === 'oauthLogin' || route === 'crossAuth') return { ...answer, body: { ...answer.body, expires_in: 60 } };
      if (route === 'oauthToken') return { ...answer, body: { ...answer.body, token_type: 'Bearer', id_token_issued: false } };
      if (route === 'usersMe') return { ...answer, body: { ...answer.body, is_anonymous: false, connection_information: null } };
      return answer;
    },
  },
  'jwt-extra-claims': {
    description: 'the JWT carries claims the simulator leaves out (the documented example token\'s server_custom_id and xsolla_login_access_key) and some of its own (nbf, a nested object)',
    allowedBy: 'The documented example token carries claims besides the ones the pages explain; RFC 7519 §4: "all claims that are not understood by implementations MUST be ignored".',
    area: 'jwt',
    e2e: true,
    rules: (inner) => ({
      jwtClaims: (claims) => {
        const shaped = inner.jwtClaims(claims);
        return { ...shaped, server_custom_id: randomBytes(5).toString('hex'), xsolla_login_access_key: randomBytes(16).toString('base64url'), nbf: shaped.iat, connection_information: { device: 'web' } };
      },
    }),
  },
  'jwt-es256-jwks': {
    description: 'JWTs signed ES256 with a kid, the public key published at /api/.well-known/jwks.json (instead of HS256)',
    allowedBy: 'The pages call the token an "Xsolla Login user JWT" and never name its algorithm; the example token\'s HS256 is an example. RFC 7518 §3.4 defines ES256.',
    area: 'jwt',
    e2e: true,
    options: { jwtAlgorithm: 'ES256' },
  },
  'jwt-other-issuer': {
    description: `JWTs issued by ${QUIRK_ISSUER} rather than https://login.xsolla.com`,
    allowedBy: 'No page names the issuer; a staging or regional Login deployment signs with its own (RFC 7519 §4.1.1: "The processing of this claim is generally application specific").',
    area: 'jwt',
    e2e: true,
    options: { jwtIssuer: QUIRK_ISSUER },
  },
  'jwt-aud-as-array': {
    description: 'the aud claim is an array of one string when cross_auth is given an audience',
    allowedBy: 'RFC 7519 §4.1.3: "In the general case, the \\"aud\\" value is an array of case-sensitive strings"; the page says only "Parameter value will be passed in the aud JWT field."',
    area: 'jwt',
    e2e: false,
    rules: (inner) => ({
      jwtClaims: (claims) => {
        const shaped = inner.jwtClaims(claims);
        return typeof shaped.aud === 'string' ? { ...shaped, aud: [shaped.aud] } : shaped;
      },
    }),
  },

  'jwt-scope-as-array': {
    description: 'the scope claim is a JSON array of the scope values rather than one space-separated string',
    allowedBy: 'The page says of unknown scope values only "The Xsolla Login server does not process these values, but returns them in the received JWT." and never gives the claim\'s form.',
    area: 'jwt',
    e2e: false,
    rules: (inner) => ({
      jwtClaims: (claims) => {
        const shaped = inner.jwtClaims(claims);
        return typeof shaped.scope === 'string' ? { ...shaped, scope: shaped.scope.split(' ').filter(Boolean) } : shaped;
      },
    }),
  },

  // ── the login URL ─────────────────────────────────────────────────────────────────────────────────────
  'redirect-uri-with-query': {
    description: 'the registered redirect URIs carry a query of their own (…/callback?src=game); login_url and Location keep it and add code and state',
    allowedBy: 'The page: "URL generated from the redirect_uri with additional parameters."; RFC 6749 §3.1.2: the redirection URI "MAY include an application/x-www-form-urlencoded formatted ... query component, which MUST be retained when adding additional query parameters."',
    area: 'login-url',
    e2e: true,
    redirectUris: (uris) => uris.map((uri) => `${uri}${uri.includes('?') ? '&' : '?'}src=game`),
  },
  'redirect-uri-custom-scheme': {
    description: 'a client with several redirect URIs also registers a native app\'s private-use scheme (com.example.game:/oauth2redirect), used like the others',
    allowedBy: 'The page: "URL to redirect the user to after account confirmation, successful authentication ..." with no scheme named; RFC 6749 §3.1.2: "The redirection endpoint URI MUST be an absolute URI"; RFC 8252 §7.1: native apps use private-use URI scheme redirection.',
    area: 'login-url',
    e2e: false,
    redirectUris: (uris) => (uris.length > 1 ? [...uris, 'com.example.game:/oauth2redirect'] : [...uris]),
  },
  'login-url-param-order': {
    description: 'login_url and Location put state first, then code, then the redirect URI\'s own query parameters',
    allowedBy: 'The page says only "URL generated from the redirect_uri with additional parameters."; RFC 6749 §4.1.2 adds code and state to the query without an order, and a query\'s parameters are named, not positional.',
    area: 'login-url',
    e2e: true,
    rules: (inner) => ({
      loginUrl: (redirect, code, state) => {
        // Reorders the raw parameters of the URL below (other quirks' encodings stay byte for byte).
        const url = inner.loginUrl(redirect, code, state);
        const q = url.indexOf('?');
        const parts = url.slice(q + 1).split('&');
        const named = (name: string) => parts.filter((p) => p.split('=')[0] === name);
        const rest = parts.filter((p) => !['state', 'code'].includes(p.split('=')[0]!));
        return `${url.slice(0, q + 1)}${[...named('state'), ...named('code'), ...rest].join('&')}`;
      },
    }),
  },
  'state-percent-encoding': {
    description: 'state in login_url and Location has every character but letters and digits percent-encoded, in lower-case hex (decodes to exactly the state sent)',
    allowedBy: 'The page: "The value will be returned in the response." RFC 3986 §2.1: "The uppercase hexadecimal digits \'A\' through \'F\' are equivalent to the lowercase digits"; §2.3: percent-encoded unreserved characters are equivalent to them.',
    area: 'login-url',
    e2e: true,
    rules: (inner) => ({ loginUrl: (redirect, code, state) => withQueryValue(inner.loginUrl(redirect, code, state), 'state', encodeEverything(state)) }),
  },
  'code-with-reserved-characters': {
    description: 'authorization codes are standard Base64 (with "+", "/" and "="), percent-encoded in login_url and Location',
    allowedBy: 'The page: "The code parameter is the user authentication code which must be exchanged to a JWT." and nothing on its alphabet; RFC 6749 §4.1.2 leaves the code opaque, and Appendix B has it form-encoded in the query.',
    area: 'login-url',
    e2e: true,
    options: { codeEncoding: 'base64' },
  },
  'login-url-iss-param': {
    description: 'login_url and Location also carry the issuer identifier, iss=<issuer> (RFC 9207)',
    allowedBy: 'The page: "URL generated from the redirect_uri with additional parameters."; RFC 9207 §2 adds the iss parameter to the authorization response.',
    area: 'login-url',
    e2e: true,
    rules: (inner, options) => ({
      loginUrl: (redirect, code, state) => {
        const url = inner.loginUrl(redirect, code, state);
        return `${url}${url.includes('?') ? '&' : '?'}iss=${encodeURIComponent(options.jwtIssuer)}`;
      },
    }),
  },
  'redirect-with-body': {
    description: 'the 302 of cross_auth carries a short HTML page linking to the Location',
    allowedBy: 'The page puts the URL "in the Location header" and says nothing of the 302 body; RFC 9110 §15.4: a 3xx representation "ought to contain a short hypertext note with a hyperlink".',
    area: 'login-url',
    e2e: true,
    transform: (answer, route) => {
      const location = answer.headers?.location;
      if (route !== 'crossAuth' || answer.status !== 302 || location === undefined) return answer;
      const href = location.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
      return { ...answer, headers: { ...answer.headers, 'content-type': 'text/html; charset=utf-8' }, rawBody: `<!doctype html><title>Found</title><p>Redirecting to <a href="${href}">${href}</a>.</p>` };
    },
  },

  // ── headers and encodings ─────────────────────────────────────────────────────────────────────────────
  'content-type-casing': {
    description: 'JSON answers are labelled "Application/JSON;Charset=UTF-8" (other casing, no space)',
    allowedBy: 'RFC 9110 §8.3.1: "The type and subtype tokens are case-insensitive"; §5.6.6: parameter names are case-insensitive and whitespace around ";" is optional; charset values are case-insensitive (§8.3.2).',
    area: 'headers',
    e2e: true,
    wire: { contentType: 'Application/JSON;Charset=UTF-8' },
  },
  'header-case-and-order': {
    description: 'response header names in Title-Case, in reverse order, with extra headers (X-Request-Id, Server, Vary, X-Content-Type-Options)',
    allowedBy: 'RFC 9110 §5.1: "Field names are case-insensitive"; §5.3: the order of different field names is not significant; §5.1: unrecognized fields are ignored.',
    area: 'headers',
    e2e: true,
    wire: {
      headerName: titleCase,
      reverseHeaders: true,
      extraHeaders: () => ({ 'x-request-id': randomBytes(8).toString('hex'), server: 'login', vary: 'Origin', 'x-content-type-options': 'nosniff' }),
    },
  },
  'chunked-transfer': {
    description: 'answers are sent with Transfer-Encoding: chunked and no Content-Length',
    allowedBy: 'RFC 9112 §6.1: chunked transfer coding; a recipient "MUST be able to parse the chunked transfer coding".',
    area: 'encoding',
    e2e: true,
    wire: { chunked: true },
  },
  'gzip-responses': {
    description: 'answers are gzip-compressed (Content-Encoding: gzip) whenever the request accepts it',
    allowedBy: 'RFC 9110 §8.4.1.3 (gzip) and §12.5.3: a server may apply a content coding the request\'s Accept-Encoding lists.',
    area: 'encoding',
    e2e: true,
    wire: { gzip: true },
  },
  'connection-close': {
    description: 'every answer says Connection: close and the server closes the connection after it (no keep-alive)',
    allowedBy: 'RFC 9112 §9.6: a server that does not want to keep a connection open sends "close" and closes it; clients must open a new one.',
    area: 'headers',
    e2e: true,
    wire: { connectionClose: true },
  },
  'pretty-json': {
    description: 'JSON bodies are pretty-printed (two-space indent, a newline at the end)',
    allowedBy: 'RFC 8259 §2: "Insignificant whitespace is allowed before or after any of the six structural characters."',
    area: 'encoding',
    e2e: true,
    wire: { json: (body) => `${JSON.stringify(body, null, 2)}\n` },
  },
  'php-style-json': {
    description: 'JSON bodies escape "/" as "\\/" and every non-ASCII character as \\uXXXX (as PHP\'s json_encode does by default)',
    allowedBy: 'RFC 8259 §7: "Any character may be escaped", including "\\/" for the solidus.',
    area: 'encoding',
    e2e: true,
    wire: { jsonText: phpJson },
  },
  'retry-after-http-date': {
    description: 'the 429 gives Retry-After as an HTTP date (IMF-fixdate) rather than seconds',
    allowedBy: 'RFC 9110 §10.2.3: "Retry-After = HTTP-date / delay-seconds".',
    area: 'rate-limit',
    e2e: false,
    conflictsWith: ['no-retry-after'],
    rules: (inner) => ({
      rateLimit: (result) => {
        try {
          inner.rateLimit(result);
        } catch (error) {
          if (!(error instanceof ApiError) || error.headers['retry-after'] === undefined) throw error;
          throw new ApiError(error.answer, error.details, { ...error.headers, 'retry-after': httpDateIn(Number(error.headers['retry-after'])) });
        }
      },
    }),
  },
  'no-retry-after': {
    description: 'the 429 has the documented body but no Retry-After header; the profile says so (rateLimit.retryAfter: false)',
    allowedBy: 'The pages document the 429 body only ("Response 429 fields (application/json)"); RFC 6585 §4: the 429 "MAY include a Retry-After header".',
    area: 'rate-limit',
    e2e: false,
    rules: (inner) => ({
      rateLimit: (result) => {
        try {
          inner.rateLimit(result);
        } catch (error) {
          if (!(error instanceof ApiError) || error.headers['retry-after'] === undefined) throw error;
          const { 'retry-after': _dropped, ...headers } = error.headers;
          throw new ApiError(error.answer, error.details, headers);
        }
      },
    }),
    profile: (doc) => {
      if (doc.rateLimit) doc.rateLimit.retryAfter = false;
    },
    conflictsWith: ['retry-after-http-date'],
  },
  'rate-limit-more-generous': {
    description: 'the limiter lets half a burst more through before its first 429 than the profile expects',
    allowedBy: 'The pages list "429 Too Many Requests" and give no limit; how many requests a fresh limit accepts is the server\'s choice (the profile only sets the floor the suites check).',
    area: 'rate-limit',
    e2e: false,
    rules: (inner) => ({
      limit: (configured) => {
        const limit = inner.limit(configured);
        return limit === null ? null : { ...limit, burst: Math.ceil(limit.burst * 1.5) };
      },
    }),
  },
  'latency-jitter': {
    description: 'every answer of the documented endpoints and the flow calls waits 0–100 ms at random (answers arrive out of order)',
    allowedBy: 'The pages say what an answer carries ("Response 200 fields (application/json)"), never how soon; concurrent requests on separate connections (RFC 9112 §9.3) may complete in any order.',
    area: 'timing',
    e2e: true,
    transform: async (answer, route) => {
      if (route !== 'other') await new Promise((resolve) => setTimeout(resolve, Math.random() * 100).unref());
      return answer;
    },
  },
};

export function quirkNamed(name: string): Quirk {
  const quirk = QUIRKS[name];
  if (!quirk) throw new Error(`unknown quirk "${name}"; known quirks: ${Object.keys(QUIRKS).sort().join(', ')}`);
  return quirk;
}

/** `--quirk a,b --quirk c` → ['a', 'b', 'c'], each name checked, duplicates dropped, conflicts refused. */
export function parseQuirkList(values: readonly string[]): string[] {
  const names = [...new Set(values.flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean))];
  for (const name of names) quirkNamed(name);
  for (const name of names) {
    const clash = (QUIRKS[name]!.conflictsWith ?? []).find((other) => names.includes(other));
    if (clash) throw new Error(`quirks "${name}" and "${clash}" cannot be combined (they change the same thing in opposite ways)`);
  }
  return names;
}

/**
 * The largest set of quirks that can run together, in name order: each quirk joins unless it conflicts with one
 * already in. The quirks left out are returned too, so a caller can give them runs of their own.
 */
export function combinableQuirks(names: readonly string[] = Object.keys(QUIRKS).sort()): { together: string[]; apart: string[] } {
  const together: string[] = [];
  const apart: string[] = [];
  for (const name of names) {
    const conflicts = QUIRKS[name]!.conflictsWith ?? [];
    (conflicts.some((c) => together.includes(c)) ? apart : together).push(name);
  }
  return { together, apart };
}

/** The quirks' layers over a set of rules, in the order given. */
export function rulesWithQuirks(base: Rules, quirks: readonly Quirk[], options: SimOptions): Rules {
  let rules = base;
  for (const quirk of quirks) if (quirk.rules) rules = { ...rules, ...quirk.rules(rules, options) };
  return rules;
}

/** Every quirk's answer transform, chained in order. */
export async function transformWithQuirks(answer: Answer, route: RouteId, quirks: readonly Quirk[]): Promise<Answer> {
  let out = answer;
  for (const quirk of quirks) if (quirk.transform) out = await quirk.transform(out, route);
  return out;
}

/** The quirks' wire styles merged into one. */
export function wireOf(quirks: readonly Quirk[]): WireStyle {
  return Object.assign({}, ...quirks.map((q) => q.wire ?? {})) as WireStyle;
}

/** A client's registered redirect URIs as the quirks register them. */
export function redirectUrisWithQuirks(uris: readonly string[], quirks: readonly Quirk[]): string[] {
  return quirks.reduce<string[]>((list, q) => (q.redirectUris ? q.redirectUris(list) : list), [...uris]);
}

/** An expectations document (`{cases: {...}}`) as QA would write it for a server with these quirks. */
export function expectationsWithQuirks<T extends { cases: Record<string, ExpectedAnswer> }>(doc: T, quirks: readonly Quirk[]): T {
  const copy = structuredClone(doc);
  for (const quirk of quirks) quirk.expectations?.(copy.cases as Record<AnswerCase, ExpectedAnswer>);
  return copy;
}
