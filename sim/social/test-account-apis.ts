import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { CROSS_AUTH_PLATFORMS, SOCIAL_PROVIDERS } from '../../contract/providers.ts';
import { EPIC_TEST_ACCOUNT, FACEBOOK_TEST_APP, STEAM_APP_IDS, TEST_ACCOUNTS_BEARER } from '../seed.ts';
import { EPIC_EXCHANGE_CODE_SECONDS, type CredentialLifetimes } from './credential-lifetimes.ts';

/**
 * The fake networks' test-account APIs, shaped like the real platforms' so a credential source written for the
 * real one runs against them by changing a base URL and a secret (targets/credential-sources/):
 *
 *   Facebook   GET  /facebook/graph[/vNN.N]/{app-id}/accounts?access_token={app-id}|{app-secret}
 *                   -> {"data": [{"id", "access_token", "login_url"}...]} (the Graph API's test users; each
 *                   listing hands every user a token issued now)
 *              POST /facebook/graph[/vNN.N]/{app-id}/accounts?access_token=… -> {"id", "access_token",
 *                   "login_url", "email", "password"}: a new test user, at most 10 per app; refused while
 *                   creation is paused (--facebook-test-users-paused), as Facebook pauses it at times
 *              A wrong app token: 400 {"error": {"type": "OAuthException", "code": 190, …}}, as the Graph API.
 *   Epic       GET  /epicgames/account/api/oauth/exchange with `Authorization: bearer <account access token>`
 *                   -> {"code", "expiresInSeconds": 300, "creatingClientId"}: an exchange code for the account
 *                   the token belongs to. A wrong token: 401 {"errorCode":
 *                   "errors.com.epicgames.common.authentication.token_verification_failed", …}.
 *   any other  POST /test-accounts/{provider} with `Authorization: Bearer <secret>` -> one new account in the
 *                   profile's own format; `?credentials=N` (1-10): a list of N credentials of one new account.
 *                   A wrong secret: 401 with `WWW-Authenticate: Bearer error="invalid_token"`.
 *
 * The secrets are the simulator's throwaway values in sim/seed.ts.
 */

export interface TestAccountOptions {
  /** Facebook's creation of new test users is paused (existing ones still list). */
  facebookTestUsersPaused: boolean;
}

export interface ApiAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** The Graph API's limit: "Apps are limited to 10 test users." */
export const FACEBOOK_TEST_USER_LIMIT = 10;

const FACEBOOK_PATH = /^\/facebook\/graph(?:\/v\d+\.\d+)?\/([^/]+)\/accounts\/?$/;
const EPIC_PATH = /^\/epicgames\/account\/api\/oauth\/exchange\/?$/;
const GENERIC_PATH = /^\/test-accounts\/([^/]+)\/?$/;

function graphError(message: string, code: number, extra: Record<string, unknown> = {}): ApiAnswer {
  return { status: 400, body: { error: { message, type: 'OAuthException', code, ...extra, fbtrace_id: randomBytes(8).toString('base64url') } } };
}

function epicError(status: number, errorCode: string, errorMessage: string, numericErrorCode: number): ApiAnswer {
  return { status, body: { errorCode, errorMessage, messageVars: [], numericErrorCode, originatingService: 'com.epicgames.account.public', intent: 'prod' } };
}

export class TestAccountApis {
  /** Facebook test users of the one fake app, by id. */
  private readonly facebookUsers: string[] = [];
  private nextFacebookId = 100_000_000_000_001;

  constructor(
    private readonly lifetimes: CredentialLifetimes,
    private readonly options: TestAccountOptions,
    private readonly origin: () => string,
  ) {}

  /** The answer for a test-account API call, or null when the path is not one (the caller routes it on). */
  handle(req: IncomingMessage, url: URL): ApiAnswer | null {
    const facebook = FACEBOOK_PATH.exec(url.pathname);
    if (facebook) return this.facebook(req.method ?? 'GET', decodeURIComponent(facebook[1]!), url.searchParams);
    if (EPIC_PATH.test(url.pathname)) return req.method === 'GET' ? this.epicExchange(req) : { status: 405, body: { error: 'method not allowed' }, headers: { allow: 'GET' } };
    const generic = GENERIC_PATH.exec(url.pathname);
    if (generic) return req.method === 'POST' ? this.generic(req, decodeURIComponent(generic[1]!), url.searchParams) : { status: 405, body: { error: 'method not allowed' }, headers: { allow: 'POST' } };
    return null;
  }

  private facebook(method: string, appId: string, query: URLSearchParams): ApiAnswer {
    const token = query.get('access_token');
    if (!token) return graphError('An access token is required to request this resource.', 104);
    // An app access token is `{app-id}|{app-secret}`, and it must be the token of the app in the path.
    if (appId !== FACEBOOK_TEST_APP.appId || token !== `${FACEBOOK_TEST_APP.appId}|${FACEBOOK_TEST_APP.appSecret}`) {
      return graphError('Invalid OAuth access token signature.', 190);
    }
    if (method === 'GET') return { status: 200, body: { data: this.facebookUsers.map((id) => this.facebookUser(id)), paging: {} } };
    if (method !== 'POST') return graphError(`Unsupported ${method} request.`, 100);
    if (this.options.facebookTestUsersPaused) {
      return graphError('(#2) Creating test users is temporarily unavailable for this app. Existing test users are not affected.', 2, { is_transient: true });
    }
    if (this.facebookUsers.length >= FACEBOOK_TEST_USER_LIMIT) return graphError(`(#2900) Too many test accounts: apps are limited to ${FACEBOOK_TEST_USER_LIMIT} test users`, 2900);
    const id = String(this.nextFacebookId++);
    this.facebookUsers.push(id);
    return { status: 200, body: { ...this.facebookUser(id), email: `${id}@tfbnw.example`, password: randomBytes(9).toString('base64url') } };
  }

  private facebookUser(id: string): { id: string; access_token: string; login_url: string } {
    return { id, access_token: this.lifetimes.issue('facebook', id), login_url: `${this.origin()}/facebook/test_account_login?user_id=${id}` };
  }

  private epicExchange(req: IncomingMessage): ApiAnswer {
    const auth = /^bearer (.+)$/i.exec(req.headers.authorization ?? '');
    if (!auth) return epicError(401, 'errors.com.epicgames.common.authentication.authentication_failed', 'Authentication failed for /account/api/oauth/exchange', 1032);
    if (auth[1] !== EPIC_TEST_ACCOUNT.accessToken) {
      return epicError(401, 'errors.com.epicgames.common.authentication.token_verification_failed', 'Sorry the token you are using is not valid', 1014);
    }
    return {
      status: 200,
      body: { expiresInSeconds: EPIC_EXCHANGE_CODE_SECONDS, code: this.lifetimes.issue('epicgames', EPIC_TEST_ACCOUNT.accountId, 'hex'), creatingClientId: EPIC_TEST_ACCOUNT.clientId },
    };
  }

  private generic(req: IncomingMessage, provider: string, query: URLSearchParams): ApiAnswer {
    if (req.headers.authorization !== `Bearer ${TEST_ACCOUNTS_BEARER}`) {
      return { status: 401, body: { error: 'invalid_token', error_description: 'The bearer token is missing or not valid.' }, headers: { 'www-authenticate': 'Bearer error="invalid_token"' } };
    }
    if (![...SOCIAL_PROVIDERS, ...CROSS_AUTH_PLATFORMS].includes(provider as never)) return { status: 404, body: { error: 'not_found', error_description: `no test accounts for provider "${provider}"` } };
    const uid = `test-${randomBytes(6).toString('hex')}`;
    // ?credentials=N: N credentials of the one new account (a test signs a new user in more than once, and an Epic
    // code works once), as a list; without it, one account.
    const wanted = query.get('credentials');
    if (wanted === null) return { status: 200, body: this.genericAccount(provider, uid) };
    const n = Number(wanted);
    if (!Number.isInteger(n) || n < 1 || n > 10) return { status: 400, body: { error: 'invalid_request', error_description: 'credentials must be a whole number from 1 to 10' } };
    return { status: 200, body: Array.from({ length: n }, () => this.genericAccount(provider, uid)) };
  }

  /** One new account in the profile's format (targets/profile.schema.json) for `provider`. */
  private genericAccount(provider: string, uid: string): Record<string, string> {
    switch (provider) {
      // A session ticket is recorded by what it decodes to, which is what the network reads from it.
      case 'steam':
        return { sessionTicket: Buffer.from(this.lifetimes.issue('steam', uid), 'utf8').toString('base64'), appId: STEAM_APP_IDS[0]! };
      case 'xbox':
        return { sessionTicket: Buffer.from(this.lifetimes.issue('xbox', uid), 'utf8').toString('base64') };
      case 'epicgames':
        return { code: this.lifetimes.issue('epicgames', uid, 'hex') };
      case 'twitter': {
        const secret = `simtu-secret-${randomBytes(12).toString('base64url')}`;
        return { accessToken: this.lifetimes.issue('twitter', uid, 'token', secret), accessTokenSecret: secret };
      }
      case 'wechat': {
        const openid = `sim-openid-${uid}`;
        return { accessToken: this.lifetimes.issue('wechat', uid, 'token', openid), openid };
      }
      default:
        return { accessToken: this.lifetimes.issue(provider, uid) };
    }
  }
}
