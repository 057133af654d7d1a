import {
  ANSWERS,
  isCrossAuthPlatform,
  DOCUMENTED_SCOPES,
  STATE_MIN_EXCLUSIVE_LENGTH,
  codePointLength,
  type CrossAuthPlatform,
  type SocialProvider,
} from '../contract/index.ts';
import { ApiError, fail } from './api-error.ts';
import type { SimOptions } from './context.ts';
import { NOT_A_JSON_OBJECT, type Answer } from './http-io.ts';
import * as good from './rules.ts';
import type { Rules } from './rules.ts';
import { LENIENT_COMPARISONS, type LenientComparison } from './redirect-comparisons.ts';
import { MAIN_PROJECT_ID, RATE_LIMIT_PROJECT_ID } from './seed.ts';

/**
 * Defect modes: each is one spec violation a real server could ship, made by swapping one rule (or one
 * option, or one answer transform) and leaving every other rule as the documents say. `npm run verify:harness`
 * starts the simulator with each and expects the suites to notice; a defect nobody notices is a missing check.
 *
 * Broken rules are written as small variants of the good ones in sim/rules.ts (reusing them wherever the
 * defect does not differ), so the difference between a defect and the contract is visible at a glance.
 */
export type RouteId = 'jwtLogin' | 'oauthLogin' | 'crossAuth' | 'oauthToken' | 'usersMe' | 'other';

/** What a defect breaks, for the verify-harness table and for choosing which suites must catch it. */
export type DefectArea =
  | 'state' | 'with_logout' | 'error-shape' | 'status' | 'provider' | 'project' | 'required-field' | 'redirect'
  | 'redirect_uri' | 'jwt-claims' | 'oauth-params' | 'cross-auth' | 'code-exchange' | 'rate-limit' | 'robustness';

export interface Defect {
  description: string;
  area: DefectArea;
  /** The one thing swapped: a rule of sim/rules.ts, an option, or an answer transform. */
  swaps: `rule:${keyof Rules}` | `option:${keyof SimOptions}` | 'transform';
  rules?: Partial<Rules>;
  options?: Partial<SimOptions>;
  /** Rewrites an answer after the rules made it (for defects in the answer's shape rather than in a rule). */
  transform?: (answer: Answer, route: RouteId) => Answer | Promise<Answer>;
}

const DOCUMENTED_ROUTES: readonly RouteId[] = ['jwtLogin', 'oauthLogin', 'crossAuth', 'oauthToken', 'usersMe'];

/** How late the `slow-answers` defect answers; beyond the 10 s per-request timeout of the default profiles. */
export const SLOW_ANSWER_MS = Number(process.env.SIM_SLOW_ANSWER_MS ?? 12_000);

/** The good `state` rule with another way of counting the length. */
const stateCountedBy = (length: (value: string) => number): Rules['state'] => (value) => {
  if (value === undefined) fail('missingParameter', { parameter: 'state' });
  if (length(value!) <= STATE_MIN_EXCLUSIVE_LENGTH) {
    fail('stateTooShort', { parameter: 'state', length: length(value!), must_be_longer_than: STATE_MIN_EXCLUSIVE_LENGTH });
  }
  return value!;
};

/** The good `with_logout` validation, with what the valid values mean replaced. */
const withLogoutMeaning = (meaning: (value: '0' | '1' | undefined) => boolean): Rules['withLogout'] => (value) => {
  good.withLogout(value); // still refuses values other than 0 and 1
  return meaning(value as '0' | '1' | undefined);
};

/** The good boolean rule, except that one parameter's value is replaced by a constant. */
const booleanFixed = (param: string, fixed: boolean): Rules['booleanParam'] => (name, value, fallback) => {
  const parsed = good.booleanParam(name, value, fallback);
  return name === param ? fixed : parsed;
};

/** The good social-credential rule for every provider but one, whose extra field is treated as optional. */
const socialExtraOptional = (provider: SocialProvider): Rules['socialCredential'] => (p, body) =>
  p === provider ? good.socialCredential('facebook', body) : good.socialCredential(p, body);

/** The good platform rule, with one platform's field no longer required (passed on to the platform as given). */
const platformFieldOptional = (platform: CrossAuthPlatform, field: 'app_id'): Rules['platformCredential'] => (p, get) => {
  if (p !== platform) return good.platformCredential(p, get);
  const given = get(field);
  // The good rule still checks everything else; the field itself is filled in only to get past its check.
  const checked = good.platformCredential(p, (name) => (name === field ? (given ?? 'not-given') : get(name)));
  return { ...checked, [field]: given };
};

/** The good error answer with one change to each answer made from it. */
const errorAnswerWith = (change: (answer: Answer, error: ApiError) => Answer): Rules['errorAnswer'] => (error) => change(good.errorAnswer(error), error);

const errorOf = (answer: Answer): Record<string, unknown> => ((answer.body as { error?: Record<string, unknown> }).error ?? {});

/** What each lenient redirect_uri comparison lets through, for the defect's description. */
const EXACT_MATCH = 'RFC 6749 §3.1.2.3 and RFC 9700 §4.1.3 ask for exact string matching';
export const LENIENT_REDIRECT: Record<string, { comparison: LenientComparison; accepts: string }> = {
  'redirect-uri-normalised': { comparison: 'normalising', accepts: 'equal after RFC 3986 §6.2.2 normalisation (HTTP://, %63allback, /./callback, an explicit default port)' },
  'redirect-uri-case-insensitive': { comparison: 'case-insensitive', accepts: 'the same but for letter case (/CALLBACK)' },
  'redirect-uri-percent-decoded': { comparison: 'percent-decoding', accepts: 'equal after percent-decoding, repeatedly (%2F, %2563)' },
  'redirect-uri-prefix-match': { comparison: 'prefix', accepts: 'a registered one with anything appended (it starts with it)' },
  'redirect-uri-host-substring': { comparison: 'host-substring', accepts: 'the same but for an authority that contains the registered host (attacker.<host>, <host>.attacker.example, userinfo, another port)' },
  'redirect-uri-pattern': { comparison: 'pattern', accepts: 'matching a registered one read as a pattern in which "." matches any character (127x0.0.1)' },
  'redirect-uri-trailing-slash': { comparison: 'trailing-slash', accepts: 'equal once trailing slashes of the path (and of the whole URI) are dropped' },
  'redirect-uri-fragment-ignored': { comparison: 'fragment-ignored', accepts: 'equal once the fragment is dropped (…/callback#x)' },
  'redirect-uri-query-subset': { comparison: 'query-subset', accepts: 'the same but for a query holding at least the registered parameters, in any order (?, ?x=1)' },
  'redirect-uri-scheme-ignored': { comparison: 'scheme-ignored', accepts: 'equal but for the scheme (https for http, //host/path)' },
  'redirect-uri-trimmed': { comparison: 'trimmed', accepts: 'equal once surrounding whitespace is trimmed' },
};

/** One defect per lenient comparison: the good redirect_uri rule, except that a URI the comparison matches is accepted as given. */
function lenientRedirectDefects(): Record<string, Defect> {
  return Object.fromEntries(
    Object.entries(LENIENT_REDIRECT).map(([name, { comparison, accepts }]) => {
      const matches = LENIENT_COMPARISONS[comparison];
      const defect: Defect = {
        description: `a redirect_uri is accepted when it is ${accepts}; ${EXACT_MATCH}`,
        area: 'redirect_uri',
        swaps: 'rule:redirectUri',
        rules: {
          redirectUri: (client, given) => {
            const matched = given === undefined || given === '' ? undefined : client.redirectUris.find((r) => matches(given, r));
            if (matched === undefined) return good.redirectUri(client, given);
            // Accepted: the login URL is built on the URI as given, or on the registered one it matched where the given
            // one is no URL to build on (127x0.0.1, http%3A//…): a 200 either way, never a crash.
            return URL.canParse(given!) ? given! : matched;
          },
        },
      };
      return [name, defect];
    }),
  );
}

export const DEFECTS: Record<string, Defect> = {
  // ── state ─────────────────────────────────────────────────────────────────────────────────────────────
  'state-off-by-one': {
    description: 'state of exactly 8 characters is accepted ("longer than 8" read as "at least 8")',
    area: 'state',
    swaps: 'rule:state',
    rules: { state: stateCountedBy((v) => codePointLength(v) + 1) },
  },
  'state-counted-in-bytes': {
    description: 'state length counted in UTF-8 bytes, so 8 non-ASCII characters pass',
    area: 'state',
    swaps: 'rule:state',
    rules: { state: stateCountedBy((v) => Buffer.byteLength(v, 'utf8')) },
  },
  'state-counted-in-utf16': {
    description: 'state length counted in UTF-16 code units, so 8 astral characters (emoji) pass',
    area: 'state',
    swaps: 'rule:state',
    rules: { state: stateCountedBy((v) => v.length) },
  },
  'state-altered-in-login-url': {
    description: 'state percent-encoded twice in login_url, so special characters do not come back exactly',
    area: 'state',
    swaps: 'rule:loginUrl',
    rules: { loginUrl: (redirect, code, st) => good.loginUrl(redirect, code, encodeURIComponent(st)) },
  },

  // ── with_logout ───────────────────────────────────────────────────────────────────────────────────────
  'with-logout-ignored': {
    description: 'with_logout=1 keeps the earlier tokens active',
    area: 'with_logout',
    swaps: 'rule:withLogout',
    rules: { withLogout: withLogoutMeaning(() => false) },
  },
  'with-logout-inverted': {
    description: 'with_logout=0 deactivates the earlier tokens and 1 keeps them',
    area: 'with_logout',
    swaps: 'rule:withLogout',
    rules: { withLogout: withLogoutMeaning((v) => v === '0') },
  },
  'with-logout-any-value': {
    description: 'with_logout accepts values other than 0 and 1 (treated as 0)',
    area: 'with_logout',
    swaps: 'rule:withLogout',
    rules: { withLogout: (v) => v === '1' },
  },

  // ── the error body ────────────────────────────────────────────────────────────────────────────────────
  'error-body-not-wrapped': {
    description: 'error answers are {code, description} at the top level, not inside "error"',
    area: 'error-shape',
    swaps: 'rule:errorAnswer',
    rules: { errorAnswer: errorAnswerWith((a) => ({ ...a, body: errorOf(a) })) },
  },
  'error-code-missing': {
    description: 'error answers have no error.code',
    area: 'error-shape',
    swaps: 'rule:errorAnswer',
    rules: { errorAnswer: errorAnswerWith((a) => ({ ...a, body: { error: { ...errorOf(a), code: undefined } } })) },
  },
  'error-code-not-nnn-nnn': {
    description: 'error.code is a symbolic name (e.g. INVALID_PARAMETER), not of the documented form NNN-NNN',
    area: 'error-shape',
    swaps: 'rule:errorAnswer',
    rules: {
      errorAnswer: errorAnswerWith((a, e) => ({ ...a, body: { error: { ...errorOf(a), code: e.answer.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase() } } })),
    },
  },
  'error-description-empty': {
    description: 'error.description is an empty string',
    area: 'error-shape',
    swaps: 'rule:errorAnswer',
    rules: { errorAnswer: errorAnswerWith((a) => ({ ...a, body: { error: { ...errorOf(a), description: '' } } })) },
  },
  'error-details-not-object': {
    description: 'error.details is a string (the details serialised) rather than an object',
    area: 'error-shape',
    swaps: 'rule:errorAnswer',
    rules: {
      errorAnswer: errorAnswerWith((a, e) => ({ ...a, body: { error: { ...errorOf(a), details: JSON.stringify(e.details ?? {}) } } })),
    },
  },
  'error-html-body': {
    description: 'error answers are an HTML page (as a proxy or framework default would send), not the JSON body',
    area: 'error-shape',
    swaps: 'rule:errorAnswer',
    rules: {
      errorAnswer: errorAnswerWith((a) => ({
        status: a.status,
        headers: { ...a.headers, 'content-type': 'text/html; charset=utf-8' },
        rawBody: `<!doctype html><html><head><title>${a.status}</title></head><body><h1>Error ${a.status}</h1><p>${String(errorOf(a).description)}</p></body></html>`,
      })),
    },
  },

  // ── statuses ──────────────────────────────────────────────────────────────────────────────────────────
  'wrong-4xx-for-invalid-input': {
    description: 'missing or invalid parameters answer 400 instead of the expected 422',
    area: 'status',
    swaps: 'rule:errorAnswer',
    rules: { errorAnswer: errorAnswerWith((a) => (a.status === 422 && errorOf(a).code === ANSWERS.invalidParameter.code ? { ...a, status: 400 } : a)) },
  },
  '500-on-bad-json': {
    description: 'a body that is not valid JSON answers 500',
    area: 'robustness',
    swaps: 'rule:errorAnswer',
    rules: { errorAnswer: errorAnswerWith((a, e) => (e.answer === 'malformedBody' ? { ...a, status: 500 } : a)) },
  },
  'malformed-json-500': {
    description: 'a body its JSON parser cannot read (a syntax error, invalid UTF-8) answers 500; valid JSON that is not an object still gets the 400',
    area: 'robustness',
    swaps: 'rule:errorAnswer',
    // Narrower than 500-on-bad-json: only a parser failure breaks, as an unhandled parse exception would. A body
    // re-serialised into a JSON string literal on the way (what a string given to Playwright becomes) still gets
    // the good 400, so only a test that really sends malformed bytes sees this defect.
    rules: { errorAnswer: errorAnswerWith((a, e) => (e.answer === 'malformedBody' && e.details?.reason !== NOT_A_JSON_OBJECT ? { ...a, status: 500 } : a)) },
  },
  'upstream-outage-as-503': {
    description: 'a social network that is down or too slow is passed on as 503 instead of the documented 422',
    area: 'robustness',
    swaps: 'rule:errorAnswer',
    rules: { errorAnswer: errorAnswerWith((a, e) => (e.answer === 'socialNetworkUnavailable' ? { ...a, status: 503 } : a)) },
  },
  'slow-answers': {
    description: `the documented endpoints answer after ${SLOW_ANSWER_MS} ms (beyond a per-request timeout)`,
    area: 'robustness',
    swaps: 'transform',
    transform: async (answer, route) => {
      // unref: a pending slow answer never keeps a process (a test, a closing simulator) alive.
      if (DOCUMENTED_ROUTES.includes(route)) await new Promise((resolve) => setTimeout(resolve, SLOW_ANSWER_MS).unref());
      return answer;
    },
  },

  // ── providers and platforms ───────────────────────────────────────────────────────────────────────────
  'unknown-provider-accepted': {
    description: 'a provider_name that is not documented is accepted and sent on to a social network (no 404)',
    area: 'provider',
    swaps: 'rule:socialProvider',
    rules: { socialProvider: (name) => name as SocialProvider },
  },
  'unknown-platform-accepted': {
    description: 'cross_auth with an undocumented platform is handled as steam (no 404)',
    area: 'provider',
    swaps: 'rule:crossAuthPlatform',
    rules: { crossAuthPlatform: (name) => (isCrossAuthPlatform(name) ? name : 'steam') },
  },
  'battlenet-missing': {
    description: 'a documented provider (battlenet) answers 404',
    area: 'provider',
    swaps: 'rule:socialProvider',
    rules: { socialProvider: (name) => (name === 'battlenet' ? fail('unknownProvider', { provider_name: name }) : good.socialProvider(name)) },
  },

  // ── fields a provider or platform requires ────────────────────────────────────────────────────────────
  'twitter-secret-not-required': {
    description: 'twitter without access_token_secret is not refused as a missing parameter (the network is asked anyway)',
    area: 'required-field',
    swaps: 'rule:socialCredential',
    rules: { socialCredential: socialExtraOptional('twitter') },
  },
  'wechat-openid-not-required': {
    description: 'wechat without openid is not refused as a missing parameter (the network is asked anyway)',
    area: 'required-field',
    swaps: 'rule:socialCredential',
    rules: { socialCredential: socialExtraOptional('wechat') },
  },
  'steam-app-id-not-required': {
    description: 'steam cross_auth without app_id is not refused as a missing parameter',
    area: 'required-field',
    swaps: 'rule:platformCredential',
    rules: { platformCredential: platformFieldOptional('steam', 'app_id') },
  },
  'session-ticket-not-base64-checked': {
    description: 'a session_ticket that is not Base64 is not refused as an invalid parameter (the platform is asked anyway)',
    area: 'required-field',
    swaps: 'rule:platformCredential',
    rules: { platformCredential: (platform, get) => good.verifyRequestOf(good.platformValues(platform, get)) },
  },
  'unknown-project-accepted': {
    description: 'a well-formed projectId that names no project signs in to the default project',
    area: 'project',
    swaps: 'rule:project',
    rules: {
      project: (value, world) => {
        try {
          return good.project(value, world);
        } catch (error) {
          if (error instanceof ApiError && error.answer === 'unknownProject') return world.projects.get(MAIN_PROJECT_ID)!;
          throw error;
        }
      },
    },
  },

  // ── is_redirect and Location ──────────────────────────────────────────────────────────────────────────
  'is-redirect-always-302': {
    description: 'is_redirect=false is ignored: cross_auth always answers 302',
    area: 'redirect',
    swaps: 'rule:booleanParam',
    rules: { booleanParam: booleanFixed('is_redirect', true) },
  },
  'is-redirect-always-200': {
    description: 'is_redirect is ignored the other way: cross_auth always answers 200 {login_url}',
    area: 'redirect',
    swaps: 'rule:booleanParam',
    rules: { booleanParam: booleanFixed('is_redirect', false) },
  },
  'location-without-state': {
    description: 'the 302 Location of cross_auth carries the code but not the state',
    area: 'redirect',
    swaps: 'transform',
    transform: (answer, route) => {
      const location = answer.headers?.location;
      if (route !== 'crossAuth' || answer.status !== 302 || location === undefined) return answer;
      const url = new URL(location);
      url.searchParams.delete('state');
      return { ...answer, headers: { ...answer.headers, location: url.toString() } };
    },
  },

  // ── redirect_uri ──────────────────────────────────────────────────────────────────────────────────────
  'open-redirect': {
    description: 'a redirect_uri that is not registered is accepted (open redirect)',
    area: 'redirect_uri',
    swaps: 'rule:redirectUri',
    rules: { redirectUri: (client, given) => (given === undefined || given === '' ? good.redirectUri(client, given) : given) },
  },
  ...lenientRedirectDefects(),
  'redirect-uri-silent-default': {
    description: 'no redirect_uri with several registered silently uses the first one instead of refusing',
    area: 'redirect_uri',
    swaps: 'rule:redirectUri',
    rules: { redirectUri: (client, given) => good.redirectUri(client, given === undefined || given === '' ? client.redirectUris[0] : given) },
  },

  // ── the JWT ───────────────────────────────────────────────────────────────────────────────────────────
  'payload-claim-dropped': {
    description: 'the payload query parameter does not reach the payload claim',
    area: 'jwt-claims',
    swaps: 'rule:payload',
    rules: { payload: () => undefined },
  },
  'wrong-project-claim': {
    description: 'xsolla_login_project_id names another project than the one signed in to',
    area: 'jwt-claims',
    swaps: 'rule:jwtClaims',
    rules: { jwtClaims: (claims) => ({ ...claims, xsolla_login_project_id: RATE_LIMIT_PROJECT_ID }) },
  },
  'expired-jwt': {
    description: 'issued JWTs expired an hour before they were issued',
    area: 'jwt-claims',
    swaps: 'option:tokenTtlSeconds',
    options: { tokenTtlSeconds: -3600 },
  },

  // ── OAuth 2.0 parameters ──────────────────────────────────────────────────────────────────────────────
  'lenient-client-id': {
    description: 'client_id read with parseInt, so non-integers such as "7001abc" or "7001.5" are accepted',
    area: 'oauth-params',
    swaps: 'rule:client',
    rules: {
      client: (value, world) => {
        const parsed = Number.parseInt(value ?? '', 10);
        return good.client(Number.isNaN(parsed) ? value : String(parsed), world);
      },
    },
  },
  'lenient-response-type': {
    description: 'any response_type is accepted, not only code',
    area: 'oauth-params',
    swaps: 'rule:responseType',
    rules: { responseType: (value) => (value === undefined || value === '' ? good.responseType(value) : undefined) },
  },
  'offline-scope-ignored': {
    description: 'scope=offline gives no refresh token after the exchange',
    area: 'oauth-params',
    swaps: 'rule:scope',
    rules: { scope: (value) => good.scope(value).filter((s) => s !== 'offline') },
  },
  'unknown-scope-dropped': {
    description: 'scope values that are not documented are dropped instead of passed through to the JWT',
    area: 'oauth-params',
    swaps: 'rule:scope',
    rules: { scope: (value) => good.scope(value).filter((s) => (DOCUMENTED_SCOPES as readonly string[]).includes(s)) },
  },

  // ── cross_auth ────────────────────────────────────────────────────────────────────────────────────────
  'no-user-creation-ignored': {
    description: 'no_user_creation=true still creates a new user',
    area: 'cross-auth',
    swaps: 'rule:booleanParam',
    rules: { booleanParam: booleanFixed('no_user_creation', false) },
  },
  'audience-ignored': {
    description: 'audience does not reach the aud claim',
    area: 'cross-auth',
    swaps: 'rule:audience',
    rules: { audience: () => undefined },
  },

  // ── the code exchange ─────────────────────────────────────────────────────────────────────────────────
  'reusable-code': {
    description: 'an authorization code can be exchanged more than once',
    area: 'code-exchange',
    swaps: 'rule:redeemCode',
    rules: { redeemCode: (st, code) => st.codes.get(code) },
  },

  // ── rate limiting ─────────────────────────────────────────────────────────────────────────────────────
  'no-429': {
    description: 'no rate limit at all: never a 429',
    area: 'rate-limit',
    swaps: 'rule:rateLimit',
    rules: { rateLimit: () => undefined },
  },
  '429-without-retry-after': {
    description: 'the 429 has the documented body but no Retry-After header',
    area: 'rate-limit',
    swaps: 'rule:rateLimit',
    rules: { rateLimit: (result) => (result.allowed ? undefined : fail('rateLimited', { retry_after_seconds: result.retryAfterSeconds })) },
  },
  '429-without-body': {
    description: 'the 429 has Retry-After but an empty body',
    area: 'rate-limit',
    swaps: 'transform',
    transform: (answer) => (answer.status === 429 ? { status: 429, headers: answer.headers } : answer),
  },
  '429-too-early': {
    description: 'the limit enforced is a fifth of the configured one, so 429 comes far too early',
    area: 'rate-limit',
    swaps: 'rule:limit',
    rules: {
      limit: (configured) =>
        configured === null ? null : { ratePerSecond: Math.max(1, configured.ratePerSecond / 5), burst: Math.max(1, Math.floor(configured.burst / 5)) },
    },
  },
};

/** Every defect keeps its promise of one swap: a rule, an option or a transform, never several. */
export function swapCount(defect: Defect): number {
  return Object.keys(defect.rules ?? {}).length + Object.keys(defect.options ?? {}).length + (defect.transform ? 1 : 0);
}

export function defectNamed(name: string): Defect {
  const defect = DEFECTS[name];
  if (!defect) {
    throw new Error(`unknown defect "${name}"; known defects: ${Object.keys(DEFECTS).sort().join(', ') || '(none)'}`);
  }
  return defect;
}
