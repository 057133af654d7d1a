import { CROSS_AUTH_PLATFORMS, SOCIAL_PROVIDERS } from './providers.ts';
import { DOCUMENTED_SCOPES, RESPONSE_TYPE_CODE, WITH_LOGOUT_VALUES } from './rules.ts';
import type { DocumentId, Source } from './sources.ts';

/**
 * The three documented endpoints and the two calls the flows need, as data: every parameter with where it
 * goes, whether it is required, its type, its allowed values and the document line it comes from.
 * The simulator validates against this, the suites derive cases and the coverage table from it.
 */

export type ParamLocation = 'path' | 'query' | 'body' | 'form' | 'header';
export type ParamType = 'string' | 'integer' | 'boolean' | 'uuid' | 'base64';

export interface Parameter {
  name: string;
  in: ParamLocation;
  type: ParamType;
  /** `true`: always; `'conditional'`: required in the situation `requiredWhen` describes. */
  required: boolean | 'conditional';
  requiredWhen?: string;
  enum?: readonly string[];
  default?: string;
  source: Source;
}

export type EndpointId = 'jwtLogin' | 'oauthLogin' | 'crossAuth' | 'oauthToken' | 'usersMe';

export interface Endpoint {
  id: EndpointId;
  method: 'GET' | 'POST';
  /** Relative to the base URL (which ends in `/api`); `{provider}` is the path parameter. */
  path: string;
  title: string;
  doc: DocumentId;
  /** Every status the document lists for this endpoint. */
  statuses: readonly number[];
  successStatus: readonly number[];
  params: readonly Parameter[];
  /** False for the two calls the four pages do not describe. */
  documented: boolean;
}

const p = (doc: DocumentId, name: string, rest: Omit<Parameter, 'name' | 'source'> & { quote?: string }): Parameter => {
  const { quote, ...param } = rest;
  return { name, ...param, source: { doc, item: `${rest.in}.${name}`, ...(quote ? { quote } : {}) } };
};

const socialBody = (doc: DocumentId): Parameter[] => [
  p(doc, 'access_token', { in: 'body', type: 'string', required: true, quote: 'Access token received from a social network.' }),
  p(doc, 'access_token_secret', { in: 'body', type: 'string', required: 'conditional', requiredWhen: 'provider is twitter', quote: 'Required for Twitter only.' }),
  p(doc, 'openid', { in: 'body', type: 'string', required: 'conditional', requiredWhen: 'provider is wechat', quote: 'Required for Wechat only.' }),
];

const oauthQuery = (doc: DocumentId): Parameter[] => [
  p(doc, 'client_id', { in: 'query', type: 'integer', required: true, quote: 'Your application ID. Get it after creating an OAuth 2.0 client.' }),
  p(doc, 'response_type', { in: 'query', type: 'string', required: true, enum: [RESPONSE_TYPE_CODE], quote: 'Must be code to get the user authentication code in the response.' }),
  p(doc, 'redirect_uri', { in: 'query', type: 'string', required: 'conditional', requiredWhen: 'more than one redirect URI is registered', quote: 'The parameter is required if you have more than one redirect URI in your project settings.' }),
  p(doc, 'state', { in: 'query', type: 'string', required: true, quote: 'Must be longer than 8 symbols.' }),
  p(doc, 'scope', { in: 'query', type: 'string', required: false, enum: DOCUMENTED_SCOPES, quote: 'If you process your own values of the scope parameter, that are not mentioned above, you can set them when using this call.' }),
];

export const ENDPOINTS: Record<EndpointId, Endpoint> = {
  jwtLogin: {
    id: 'jwtLogin',
    method: 'POST',
    path: '/social/{provider}/login_with_token',
    title: '[JWT] Auth via access token of social network',
    doc: 'jwtLogin',
    statuses: [200, 400, 404, 422, 429],
    successStatus: [200],
    documented: true,
    params: [
      p('jwtLogin', 'provider_name', { in: 'path', type: 'string', required: true, enum: SOCIAL_PROVIDERS }),
      p('jwtLogin', 'projectId', { in: 'query', type: 'uuid', required: true, quote: 'Login project ID from Publisher Account.' }),
      p('jwtLogin', 'payload', { in: 'query', type: 'string', required: false, quote: 'The value of the parameter will be returned in the payload claim of the user JWT.' }),
      p('jwtLogin', 'with_logout', { in: 'query', type: 'string', required: false, enum: WITH_LOGOUT_VALUES, default: '0' }),
      ...socialBody('jwtLogin'),
    ],
  },
  oauthLogin: {
    id: 'oauthLogin',
    method: 'POST',
    path: '/oauth2/social/{provider}/login_with_token',
    title: '[OAuth 2.0] Auth via access token of social network',
    doc: 'oauthLogin',
    statuses: [200, 400, 404, 422, 429],
    successStatus: [200],
    documented: true,
    params: [
      p('oauthLogin', 'provider_name', { in: 'path', type: 'string', required: true, enum: SOCIAL_PROVIDERS }),
      ...oauthQuery('oauthLogin'),
      ...socialBody('oauthLogin'),
    ],
  },
  crossAuth: {
    id: 'crossAuth',
    method: 'GET',
    path: '/oauth2/social/{provider}/cross_auth',
    title: 'Silent authentication',
    doc: 'crossAuth',
    statuses: [200, 302, 400, 404, 422, 429],
    successStatus: [200, 302],
    documented: true,
    params: [
      p('crossAuth', 'oauth2_cross_social_provider_name', { in: 'path', type: 'string', required: true, enum: CROSS_AUTH_PLATFORMS }),
      ...oauthQuery('crossAuth'),
      p('crossAuth', 'session_ticket', { in: 'query', type: 'base64', required: 'conditional', requiredWhen: 'platform is steam or xbox', quote: 'Session ticket received from the platform encoded according to the Base64 standard.' }),
      p('crossAuth', 'audience', { in: 'query', type: 'string', required: false, quote: 'Parameter value will be passed in the aud JWT field.' }),
      p('crossAuth', 'app_id', { in: 'query', type: 'string', required: 'conditional', requiredWhen: 'platform is steam', quote: 'Required if the platform where the user is authorized is Steam.' }),
      p('crossAuth', 'code', { in: 'query', type: 'string', required: 'conditional', requiredWhen: 'platform is epicgames', quote: 'Code received from the platform.' }),
      p('crossAuth', 'is_redirect', { in: 'query', type: 'boolean', required: false, default: 'true', enum: ['true', 'false'] }),
      p('crossAuth', 'no_user_creation', { in: 'query', type: 'boolean', required: false, default: 'false', enum: ['true', 'false'], quote: 'Do not create new user if they not exist yet.' }),
      p('crossAuth', 'deployment_id', { in: 'query', type: 'string', required: 'conditional', requiredWhen: 'platform is epicgames', quote: 'The deployment ID that the client is trying to authenticate with.' }),
    ],
  },
  oauthToken: {
    id: 'oauthToken',
    method: 'POST',
    path: '/oauth2/token',
    title: 'Generate JWT (code exchange)',
    doc: 'flowSupport',
    statuses: [200, 400, 401, 422, 429],
    successStatus: [200],
    documented: false,
    params: [
      p('flowSupport', 'grant_type', { in: 'form', type: 'string', required: true, enum: ['authorization_code', 'refresh_token'] }),
      p('flowSupport', 'client_id', { in: 'form', type: 'integer', required: true }),
      p('flowSupport', 'client_secret', { in: 'form', type: 'string', required: true }),
      p('flowSupport', 'code', { in: 'form', type: 'string', required: 'conditional', requiredWhen: 'grant_type is authorization_code' }),
      p('flowSupport', 'redirect_uri', { in: 'form', type: 'string', required: 'conditional', requiredWhen: 'grant_type is authorization_code' }),
      p('flowSupport', 'refresh_token', { in: 'form', type: 'string', required: 'conditional', requiredWhen: 'grant_type is refresh_token' }),
    ],
  },
  usersMe: {
    id: 'usersMe',
    method: 'GET',
    path: '/users/me',
    title: 'Get user details (token check)',
    doc: 'flowSupport',
    statuses: [200, 401, 429],
    successStatus: [200],
    documented: false,
    params: [p('flowSupport', 'Authorization', { in: 'header', type: 'string', required: true })],
  },
};

export const DOCUMENTED_ENDPOINTS: readonly Endpoint[] = Object.values(ENDPOINTS).filter((e) => e.documented);

export function endpointPath(id: EndpointId, provider?: string): string {
  const path = ENDPOINTS[id].path;
  return provider === undefined ? path : path.replace('{provider}', encodeURIComponent(provider));
}

export function param(id: EndpointId, name: string): Parameter {
  const found = ENDPOINTS[id].params.find((x) => x.name === name);
  if (!found) throw new Error(`contract: ${id} has no parameter ${name}`);
  return found;
}
