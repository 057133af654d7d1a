import { ENDPOINTS, endpointPath, RESPONSE_TYPE_CODE, type EndpointId } from '../../contract/index.ts';
import type { AccountFields, LoadConfig } from './config.ts';

/**
 * The requests the load sends, built from the contract (contract/) and the run's config as plain data, so the
 * shapes are unit-tested under Node and k6 only has to send them.
 */

export interface RequestSpec {
  endpoint: EndpointId;
  /** Provider or platform in the path ('' for the calls without one). */
  provider: string;
  method: 'GET' | 'POST';
  url: string;
  body: string | null;
  headers: Record<string, string>;
  /** Metric tags: `name` is the URL template, so per-request values (and secrets) never become tag values. */
  tags: { endpoint: EndpointId; provider: string; name: string };
}

/** Profile account fields to the documented wire names. */
const SOCIAL_FIELDS: Record<string, string> = { accessToken: 'access_token', accessTokenSecret: 'access_token_secret', openid: 'openid' };
const PLATFORM_FIELDS: Record<string, string> = { sessionTicket: 'session_ticket', appId: 'app_id', code: 'code', deploymentId: 'deployment_id' };

export function query(params: Record<string, string | number | undefined>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(params)) if (v !== undefined) parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.join('&');
}

function tags(endpoint: EndpointId, provider: string): RequestSpec['tags'] {
  return { endpoint, provider, name: `${ENDPOINTS[endpoint].method} ${ENDPOINTS[endpoint].path.replace('{provider}', provider)}` };
}

function socialBody(account: AccountFields): string {
  const body: Record<string, string> = {};
  for (const [field, wire] of Object.entries(SOCIAL_FIELDS)) if (account[field] !== undefined) body[wire] = account[field];
  return JSON.stringify(body);
}

/** `state` "must be longer than 8 symbols": a per-request value well past that. */
export function stateFor(id: string): string {
  return `load-state-${id}`;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

export function jwtLoginRequest(config: LoadConfig, provider: string, account: AccountFields, projectId = config.projectId): RequestSpec {
  return {
    endpoint: 'jwtLogin',
    provider,
    method: 'POST',
    url: `${config.target.baseUrl}${endpointPath('jwtLogin', provider)}?${query({ projectId })}`,
    body: socialBody(account),
    headers: JSON_HEADERS,
    tags: tags('jwtLogin', provider),
  };
}

export function oauthLoginRequest(config: LoadConfig, provider: string, account: AccountFields, id: string): RequestSpec {
  const q = query({ client_id: config.oauthClient.clientId, response_type: RESPONSE_TYPE_CODE, state: stateFor(id), redirect_uri: config.oauthClient.redirectUri });
  return {
    endpoint: 'oauthLogin',
    provider,
    method: 'POST',
    url: `${config.target.baseUrl}${endpointPath('oauthLogin', provider)}?${q}`,
    body: socialBody(account),
    headers: JSON_HEADERS,
    tags: tags('oauthLogin', provider),
  };
}

/** Silent authentication; `isRedirect` false answers 200 with `{login_url}`, true answers 302 with Location. */
export function crossAuthRequest(config: LoadConfig, platform: string, account: AccountFields, id: string, isRedirect = false): RequestSpec {
  const params: Record<string, string | number | undefined> = {
    client_id: config.oauthClient.clientId,
    response_type: RESPONSE_TYPE_CODE,
    state: stateFor(id),
    redirect_uri: config.oauthClient.redirectUri,
    is_redirect: String(isRedirect),
  };
  for (const [field, wire] of Object.entries(PLATFORM_FIELDS)) if (account[field] !== undefined) params[wire] = account[field];
  return {
    endpoint: 'crossAuth',
    provider: platform,
    method: 'GET',
    url: `${config.target.baseUrl}${endpointPath('crossAuth', platform)}?${query(params)}`,
    body: null,
    headers: {},
    tags: tags('crossAuth', platform),
  };
}

/** The code exchange (RFC 6749 §4.1.3, form-encoded): finishes an OAuth 2.0 sign-in. */
export function tokenExchangeRequest(config: LoadConfig, code: string, clientSecret: string): RequestSpec {
  return {
    endpoint: 'oauthToken',
    provider: '',
    method: 'POST',
    url: `${config.target.baseUrl}${endpointPath('oauthToken')}`,
    body: query({ grant_type: 'authorization_code', client_id: config.oauthClient.clientId, client_secret: clientSecret, code, redirect_uri: config.oauthClient.redirectUri }),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    tags: tags('oauthToken', ''),
  };
}

export function usersMeRequest(config: LoadConfig, jwt: string): RequestSpec {
  return {
    endpoint: 'usersMe',
    provider: '',
    method: 'GET',
    url: `${config.target.baseUrl}${endpointPath('usersMe')}`,
    body: null,
    headers: { authorization: `Bearer ${jwt}` },
    tags: tags('usersMe', ''),
  };
}

/** The value of one query parameter of a URL (the first), decoded; undefined when absent. */
export function queryParam(url: string, name: string): string | undefined {
  const q = url.indexOf('?');
  if (q < 0) return undefined;
  const hash = url.indexOf('#', q);
  for (const part of url.slice(q + 1, hash < 0 ? undefined : hash).split('&')) {
    const eq = part.indexOf('=');
    const key = decodeURIComponent((eq < 0 ? part : part.slice(0, eq)).replace(/\+/g, ' '));
    if (key === name) return eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1).replace(/\+/g, ' '));
  }
  return undefined;
}
