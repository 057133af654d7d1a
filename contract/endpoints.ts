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

/**
 * A document's own words for one claim, quoted verbatim (whitespace aside; ` ... ` joins two passages that follow
 * each other in the document). The document may be another page than the parameter's own when only that page says
 * it (the `<uuid>` format of `projectId` and the default of `with_logout` are on the public reference page only).
 */
export interface Evidence {
  doc: DocumentId;
  quote: string;
}

/** The claims a parameter can make beyond "an optional string"; each needs a document sentence that makes it. */
export type Claim = 'required' | 'type' | 'enum' | 'default';

export interface Parameter {
  name: string;
  in: ParamLocation;
  type: ParamType;
  /** `true`: always; `'conditional'`: required in the situation `requiredWhen` describes. */
  required: boolean | 'conditional';
  requiredWhen?: string;
  /** The documented values (a closed set unless the document says others pass, as for `scope`). */
  enum?: readonly string[];
  default?: string;
  source: Source;
  /**
   * For every claim made above (required or conditional, a type other than string, an enum, a default), the
   * sentence that makes it. test/contract.test.ts fails when a claim has none, when a quote is not in its
   * document, or when it lacks the document's wording for the claim ("required", "Required if", "Must be", "Default").
   */
  says: Partial<Record<Claim, Evidence>>;
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

type Says = Partial<Record<Claim, string | Evidence>>;

const p = (doc: DocumentId, name: string, rest: Omit<Parameter, 'name' | 'source' | 'says'> & { quote?: string; says?: Says }): Parameter => {
  const { quote, says = {}, ...param } = rest;
  const evidence: Partial<Record<Claim, Evidence>> = {};
  for (const [claim, e] of Object.entries(says) as [Claim, string | Evidence][]) evidence[claim] = typeof e === 'string' ? { doc, quote: e } : e;
  return { name, ...param, source: { doc, item: `${rest.in}.${name}`, ...(quote ? { quote } : {}) }, says: evidence };
};

/** The provider list of the JWT and OAuth pages (the reference page's shorter list is in providers.ts). */
const PROVIDER_VALUES = 'Can have the following values: xsolla, facebook, google, linkedin, twitter, discord, naver, baidu, battlenet, wechat, qq_mobile.';

const socialPath = (doc: 'jwtLogin' | 'oauthLogin'): Parameter =>
  p(doc, 'provider_name', { in: 'path', type: 'string', required: true, enum: SOCIAL_PROVIDERS, says: { required: '`provider_name` (string, required)', enum: PROVIDER_VALUES } });

const socialBody = (doc: DocumentId): Parameter[] => [
  p(doc, 'access_token', { in: 'body', type: 'string', required: true, quote: 'Access token received from a social network.', says: { required: '`access_token` (string, required)' } }),
  p(doc, 'access_token_secret', { in: 'body', type: 'string', required: 'conditional', requiredWhen: 'provider is twitter', quote: 'Required for Twitter only.', says: { required: 'Parameter oauth_token_secret received from the authorization request. Required for Twitter only.' } }),
  p(doc, 'openid', { in: 'body', type: 'string', required: 'conditional', requiredWhen: 'provider is wechat', quote: 'Required for Wechat only.', says: { required: 'Parameter openid received from a social network. Required for Wechat only.' } }),
];

/** The OAuth 2.0 query parameters, worded as each page words them (the Markdown page and the reference page differ in layout). */
const oauthQuery = (doc: 'oauthLogin' | 'crossAuth'): Parameter[] => {
  const md = doc === 'oauthLogin';
  const header = (name: string, type: string) => (md ? `\`${name}\` (${type}, required)` : `${name} required ${type}`);
  const bullet = md ? '*' : '•';
  return [
    p(doc, 'client_id', { in: 'query', type: 'integer', required: true, quote: 'Your application ID. Get it after creating an OAuth 2.0 client.', says: { required: header('client_id', 'integer'), type: header('client_id', 'integer') } }),
    p(doc, 'response_type', {
      in: 'query', type: 'string', required: true, enum: [RESPONSE_TYPE_CODE], quote: 'Must be code to get the user authentication code in the response.',
      says: { required: header('response_type', 'string'), enum: 'Must be code to get the user authentication code in the response.' },
    }),
    p(doc, 'redirect_uri', {
      in: 'query', type: 'string', required: 'conditional', requiredWhen: 'more than one redirect URI is registered',
      quote: 'The parameter is required if you have more than one redirect URI in your project settings.',
      says: { required: 'The parameter is required if you have more than one redirect URI in your project settings.' },
    }),
    p(doc, 'state', { in: 'query', type: 'string', required: true, quote: 'Must be longer than 8 symbols.', says: { required: header('state', 'string') } }),
    p(doc, 'scope', {
      in: 'query', type: 'string', required: false, enum: DOCUMENTED_SCOPES,
      quote: 'If you process your own values of the scope parameter, that are not mentioned above, you can set them when using this call.',
      says: { enum: `Can be: ${bullet} email for Auth via social network ... ${bullet} offline to use refresh_token ... ${bullet} playfab to write SessionTicket` },
    }),
  ];
};

/** The simulator page's description of the code exchange, docs/simulator.md (the four pages do not describe it). */
const FLOW_EXCHANGE =
  '`POST /oauth2/token`, form-encoded, `grant_type=authorization_code` with `code`, `client_id`, `client_secret` and the same `redirect_uri` the code was issued for ... or `grant_type=refresh_token`';

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
      socialPath('jwtLogin'),
      p('jwtLogin', 'projectId', {
        in: 'query', type: 'uuid', required: true, quote: 'Login project ID from Publisher Account.',
        says: { required: '`projectId` (string, required)', type: { doc: 'jwtLoginReferencePage', quote: 'projectId required string <uuid>' } },
      }),
      p('jwtLogin', 'payload', { in: 'query', type: 'string', required: false, quote: 'The value of the parameter will be returned in the payload claim of the user JWT.' }),
      p('jwtLogin', 'with_logout', {
        in: 'query', type: 'string', required: false, enum: WITH_LOGOUT_VALUES, default: '0',
        says: {
          enum: 'Can have the following values: * 1 to deactivate the existing values and activate a new one, * 0 to keep the existing values activated.',
          default: { doc: 'jwtLoginReferencePage', quote: 'with_logout string Default: "0"' },
        },
      }),
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
      socialPath('oauthLogin'),
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
      p('crossAuth', 'oauth2_cross_social_provider_name', {
        in: 'path', type: 'string', required: true, enum: CROSS_AUTH_PLATFORMS,
        says: { required: 'oauth2_cross_social_provider_name required string', enum: 'Can be steam, xbox, epicgames.' },
      }),
      ...oauthQuery('crossAuth'),
      // The page calls none of session_ticket, code and deployment_id required: optional here. Which of them a
      // platform's sign-in carries is the target profile's business (its accounts), not a documented rule.
      p('crossAuth', 'session_ticket', {
        in: 'query', type: 'base64', required: false, quote: 'Session ticket received from the platform encoded according to the Base64 standard.',
        says: { type: 'Session ticket received from the platform encoded according to the Base64 standard.' },
      }),
      p('crossAuth', 'audience', { in: 'query', type: 'string', required: false, quote: 'Parameter value will be passed in the aud JWT field.' }),
      p('crossAuth', 'app_id', {
        in: 'query', type: 'string', required: 'conditional', requiredWhen: 'platform is steam', quote: 'Required if the platform where the user is authorized is Steam.',
        says: { required: 'Your app ID on the platform. Required if the platform where the user is authorized is Steam.' },
      }),
      p('crossAuth', 'code', { in: 'query', type: 'string', required: false, quote: 'Code received from the platform.' }),
      p('crossAuth', 'is_redirect', {
        in: 'query', type: 'boolean', required: false, default: 'true', enum: ['true', 'false'],
        says: { type: 'is_redirect boolean Default: true', default: 'is_redirect boolean Default: true' },
      }),
      p('crossAuth', 'no_user_creation', {
        in: 'query', type: 'boolean', required: false, default: 'false', enum: ['true', 'false'], quote: 'Do not create new user if they not exist yet.',
        says: { type: 'no_user_creation boolean Default: false', default: 'no_user_creation boolean Default: false' },
      }),
      p('crossAuth', 'deployment_id', { in: 'query', type: 'string', required: false, quote: 'The deployment ID that the client is trying to authenticate with.' }),
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
      // Outside the four pages: RFC 6749 §4.1.3 and §6, as docs/simulator.md's "Calls the flows need" describes them.
      p('flowSupport', 'grant_type', { in: 'form', type: 'string', required: true, enum: ['authorization_code', 'refresh_token'], says: { required: FLOW_EXCHANGE, enum: FLOW_EXCHANGE } }),
      p('flowSupport', 'client_id', { in: 'form', type: 'integer', required: true, says: { required: FLOW_EXCHANGE, type: { doc: 'oauthLogin', quote: '`client_id` (integer, required)' } } }),
      p('flowSupport', 'client_secret', { in: 'form', type: 'string', required: true, says: { required: FLOW_EXCHANGE } }),
      p('flowSupport', 'code', { in: 'form', type: 'string', required: 'conditional', requiredWhen: 'grant_type is authorization_code', says: { required: FLOW_EXCHANGE } }),
      p('flowSupport', 'redirect_uri', { in: 'form', type: 'string', required: 'conditional', requiredWhen: 'grant_type is authorization_code', says: { required: FLOW_EXCHANGE } }),
      p('flowSupport', 'refresh_token', { in: 'form', type: 'string', required: 'conditional', requiredWhen: 'grant_type is refresh_token', says: { required: FLOW_EXCHANGE } }),
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
    params: [p('flowSupport', 'Authorization', { in: 'header', type: 'string', required: true, says: { required: '`GET /users/me` with `Authorization: Bearer <JWT>`' } })],
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
