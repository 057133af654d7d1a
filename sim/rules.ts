import {
  ANSWERS,
  CROSS_AUTH_REQUIRED,
  INTEGER_PATTERN,
  RESPONSE_TYPE_CODE,
  SOCIAL_REQUIRED_EXTRAS,
  UUID_PATTERN,
  WITH_LOGOUT_VALUES,
  isBase64,
  isCrossAuthPlatform,
  isSocialProvider,
  isValidState,
  codePointLength,
  STATE_MIN_EXCLUSIVE_LENGTH,
  type CrossAuthPlatform,
  type SocialProvider,
} from '../contract/index.ts';
import { ApiError, fail } from './api-error.ts';
import type { Answer } from './http-io.ts';
import type { SimClient, SimProject } from './seed.ts';
import type { VerifyRequest } from './social/fake-networks.ts';
import type { Limit, TakeResult } from './rate-limiter.ts';
import type { AuthorizationCode, SimState } from './state.ts';

/**
 * Every documented rule as a small named function. The routes call them through a `Rules` object, so a defect
 * mode can swap exactly one rule for a broken variant and leave every other rule as the documents say.
 */

export interface World {
  projects: ReadonlyMap<string, SimProject>;
  clients: ReadonlyMap<number, SimClient>;
}

export interface Rules {
  /** Path `provider_name`: one of the documented social networks. */
  socialProvider(name: string): SocialProvider;
  /** Path `oauth2_cross_social_provider_name`: steam, xbox or epicgames. */
  crossAuthPlatform(name: string): CrossAuthPlatform;
  /** Query `projectId`: required, a UUID, a project that exists. */
  project(value: string | undefined, world: World): SimProject;
  /** Query `with_logout`: "1" deactivates earlier tokens, "0" (default) keeps them. */
  withLogout(value: string | undefined): boolean;
  /** Query `payload`: echoed exactly into the `payload` claim. */
  payload(value: string | undefined): string | undefined;
  /** Body `access_token` plus the fields a provider requires (twitter's secret, wechat's openid). */
  socialCredential(provider: SocialProvider, body: Record<string, unknown>): VerifyRequest;
  /** Query `client_id`: required, an integer, a client that exists. */
  client(value: string | undefined, world: World): SimClient;
  /** Query `response_type`: required, must be `code`. */
  responseType(value: string | undefined): void;
  /** Query `state`: required, longer than 8 characters (code points). */
  state(value: string | undefined): string;
  /** Query `redirect_uri`: a registered URI (exact match); omitted only when exactly one is registered. */
  redirectUri(client: SimClient, given: string | undefined): string;
  /** Query `scope`: space-separated; documented values are acted on, unknown ones passed through. */
  scope(value: string | undefined): string[];
  /** Query booleans (`is_redirect`, `no_user_creation`): `true` or `false`, else the default. */
  booleanParam(name: string, value: string | undefined, fallback: boolean): boolean;
  /**
   * What a platform sign-in carries: steam's `app_id` (the page's one "Required if"), the credential the simulator's
   * fake platform verifies (steam and xbox a `session_ticket`, epicgames a `code`), a Base64 `session_ticket`
   * whenever one is given; `deployment_id` optional, passed on to the platform.
   */
  platformCredential(platform: CrossAuthPlatform, get: (name: string) => string | undefined): VerifyRequest;
  /** `login_url`: the redirect URI with `code` and `state` added to its query, nothing of it altered. */
  loginUrl(redirectUri: string, code: string, state: string): string;
  /** The documented error body. */
  errorAnswer(error: ApiError): Answer;
  /** A request over the limit: the documented 429 with `Retry-After`. */
  rateLimit(result: TakeResult): void;
  /** The limit enforced for a project or client: the one it is configured with. */
  limit(configured: Limit | null): Limit | null;
  /** Query `audience` of cross_auth: "passed in the aud JWT field" (empty means none). */
  audience(value: string | undefined): string | undefined;
  /** Redeeming an authorization code at `POST /oauth2/token`: a code works exactly once. */
  redeemCode(state: SimState, code: string): AuthorizationCode | undefined;
  /** The claims a Login JWT carries besides the registered ones (iss, sub, jti, iat, exp, aud), as the documented example token shows. */
  jwtClaims(claims: Record<string, unknown>): Record<string, unknown>;
}

const requireString = (name: string, value: unknown): string => {
  if (value === undefined || value === null) fail('missingParameter', { parameter: name });
  if (typeof value !== 'string') fail('invalidParameter', { parameter: name, reason: 'must be a string' });
  if ((value as string).length === 0) fail('invalidParameter', { parameter: name, reason: 'must not be empty' });
  return value as string;
};

const optionalString = (name: string, value: unknown): string | undefined => {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') fail('invalidParameter', { parameter: name, reason: 'must be a string' });
  return value as string;
};

export const socialProvider: Rules['socialProvider'] = (name) => {
  if (!isSocialProvider(name)) fail('unknownProvider', { provider_name: name });
  return name as SocialProvider;
};

export const crossAuthPlatform: Rules['crossAuthPlatform'] = (name) => {
  if (!isCrossAuthPlatform(name)) fail('unknownProvider', { provider_name: name });
  return name as CrossAuthPlatform;
};

export const project: Rules['project'] = (value, world) => {
  if (value === undefined || value === '') fail('missingParameter', { parameter: 'projectId' });
  if (!UUID_PATTERN.test(value!)) fail('invalidParameter', { parameter: 'projectId', reason: 'must be a UUID' });
  const found = world.projects.get(value!.toLowerCase());
  if (!found) fail('unknownProject', { parameter: 'projectId' });
  return found!;
};

export const withLogout: Rules['withLogout'] = (value) => {
  if (value === undefined) return false;
  if (!(WITH_LOGOUT_VALUES as readonly string[]).includes(value)) {
    fail('invalidParameter', { parameter: 'with_logout', reason: 'must be 0 or 1' });
  }
  return value === '1';
};

export const payload: Rules['payload'] = (value) => value;

export const socialCredential: Rules['socialCredential'] = (provider, body) => {
  const credential: VerifyRequest = { access_token: requireString('access_token', body.access_token) };
  for (const extra of SOCIAL_REQUIRED_EXTRAS[provider] ?? []) credential[extra] = requireString(extra, body[extra]);
  // Optional for other providers, but when sent it must still be a string.
  credential.access_token_secret ??= optionalString('access_token_secret', body.access_token_secret);
  credential.openid ??= optionalString('openid', body.openid);
  return credential;
};

export const client: Rules['client'] = (value, world) => {
  if (value === undefined || value === '') fail('missingParameter', { parameter: 'client_id' });
  if (!INTEGER_PATTERN.test(value!) || value!.length > 15) fail('invalidParameter', { parameter: 'client_id', reason: 'must be an integer' });
  const found = world.clients.get(Number(value));
  if (!found) fail('unknownClient', { parameter: 'client_id' });
  return found!;
};

export const responseType: Rules['responseType'] = (value) => {
  if (value === undefined || value === '') fail('missingParameter', { parameter: 'response_type' });
  if (value !== RESPONSE_TYPE_CODE) fail('invalidParameter', { parameter: 'response_type', reason: 'must be code' });
};

export const state: Rules['state'] = (value) => {
  if (value === undefined) fail('missingParameter', { parameter: 'state' });
  if (!isValidState(value!)) {
    fail('stateTooShort', { parameter: 'state', length: codePointLength(value!), must_be_longer_than: STATE_MIN_EXCLUSIVE_LENGTH });
  }
  return value!;
};

export const redirectUri: Rules['redirectUri'] = (registeredFor, given) => {
  if (given === undefined || given === '') {
    if (registeredFor.redirectUris.length === 1) return registeredFor.redirectUris[0]!;
    fail('redirectUriAmbiguous', { parameter: 'redirect_uri' });
  }
  if (!registeredFor.redirectUris.includes(given!)) fail('redirectUriNotRegistered', { parameter: 'redirect_uri' });
  return given!;
};

export const scope: Rules['scope'] = (value) => (value ?? '').split(' ').filter((s) => s.length > 0);

export const booleanParam: Rules['booleanParam'] = (name, value, fallback) => {
  if (value === undefined) return fallback;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return fail('invalidParameter', { parameter: name, reason: 'must be true or false' });
};

/**
 * The parameter that carries each fake platform's credential (sim/social/fake-networks.ts). Not a documented rule:
 * the page calls none of session_ticket and code required. A request without its platform's credential has nothing
 * to exchange ("Exchanges the user JWT from Steam, Xbox, or Epic Games"); the simulator names the missing parameter
 * (missingParameter) rather than ask its platform. Which case a real server answers comes from its expectations file.
 */
export const SIM_PLATFORM_CREDENTIAL: Record<CrossAuthPlatform, 'session_ticket' | 'code'> = { steam: 'session_ticket', xbox: 'session_ticket', epicgames: 'code' };

const PLATFORM_PARAMS = ['session_ticket', 'app_id', 'code', 'deployment_id'] as const;
type PlatformValues = Partial<Record<(typeof PLATFORM_PARAMS)[number], string>>;

/** The platform parameters as given, with the documented required ones and the fake platform's credential present. */
export function platformValues(platform: CrossAuthPlatform, get: (name: string) => string | undefined): PlatformValues {
  const values: PlatformValues = {};
  for (const name of CROSS_AUTH_REQUIRED[platform]) values[name as keyof PlatformValues] = requireString(name, get(name));
  const credential = SIM_PLATFORM_CREDENTIAL[platform];
  values[credential] = requireString(credential, get(credential));
  for (const name of PLATFORM_PARAMS) values[name] ??= optionalString(name, get(name));
  return values;
}

export const verifyRequestOf = (values: PlatformValues): VerifyRequest =>
  ({ ticket: values.session_ticket, app_id: values.app_id, code: values.code, deployment_id: values.deployment_id });

export const platformCredential: Rules['platformCredential'] = (platform, get) => {
  const values = platformValues(platform, get);
  // "Session ticket received from the platform encoded according to the Base64 standard."
  if (values.session_ticket !== undefined && !isBase64(values.session_ticket)) {
    fail('invalidParameter', { parameter: 'session_ticket', reason: 'must be Base64' });
  }
  return verifyRequestOf(values);
};

export const loginUrl: Rules['loginUrl'] = (redirect, code, st) => {
  const url = new URL(redirect);
  url.searchParams.append('code', code);
  url.searchParams.append('state', st);
  return url.toString();
};

export const errorAnswer: Rules['errorAnswer'] = (error) => {
  const answer = ANSWERS[error.answer];
  const body = { error: { code: answer.code, description: answer.description, ...(error.details ? { details: error.details } : {}) } };
  return { status: answer.status, headers: error.headers, body };
};

export const rateLimit: Rules['rateLimit'] = (result) => {
  if (!result.allowed) {
    throw new ApiError('rateLimited', { retry_after_seconds: result.retryAfterSeconds }, { 'retry-after': String(result.retryAfterSeconds) });
  }
};

export const limit: Rules['limit'] = (configured) => configured;

export const audience: Rules['audience'] = (value) => (value === '' ? undefined : value);

export const redeemCode: Rules['redeemCode'] = (st, code) => st.takeCode(code);

export const jwtClaims: Rules['jwtClaims'] = (claims) => claims;

export const defaultRules: Rules = {
  socialProvider,
  crossAuthPlatform,
  project,
  withLogout,
  payload,
  socialCredential,
  client,
  responseType,
  state,
  redirectUri,
  scope,
  booleanParam,
  platformCredential,
  loginUrl,
  errorAnswer,
  rateLimit,
  limit,
  audience,
  redeemCode,
  jwtClaims,
};

export { ApiError };
