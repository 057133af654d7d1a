import { ENDPOINTS, endpointPath, RESPONSE_TYPE_CODE, type EndpointId } from '../../contract/index.ts';
import { base64Utf8, usableProviders } from './credentials.ts';
import { LOAD_SECRETS_ENV, type AccountFields, type LoadConfig, type LoadSecrets } from './config.ts';
import { DEFAULT_MIX, spread, usableMix, type MixWeights } from './mix.ts';
import { query, stateFor, type RequestSpec } from './requests.ts';

/**
 * One iteration of mixed sign-in traffic (throughput.ts, soak.ts): which endpoint and provider the i-th
 * iteration calls, with a fresh account, as a RequestSpec plus the `state` its answer must echo.
 *
 * k6 runs JavaScript in an interpreter, so every allocation per request costs the generator rate. Everything
 * that does not change between requests (URL prefixes, tags, headers, the cumulative weights, the templates
 * split at `{id}`) is built once per VU here; per request only the id is spliced in. The result equals what
 * requests.ts builds (a unit test holds them equal).
 */

export interface Traffic {
  mix: MixWeights;
  providersOf: Partial<Record<EndpointId, string[]>>;
  /** Cumulative weights, in mix order. */
  cumulative: { endpoint: EndpointId; upTo: number }[];
}

/**
 * The mix comes from the config alone (the providers and platforms the runner found credentials for), never
 * from the secrets: `k6 archive` evaluates options without the secrets, and the thresholds per endpoint must
 * be the same there as in a local run.
 */
export function planTraffic(config: LoadConfig, weights: MixWeights = DEFAULT_MIX): Traffic {
  const providersOf: Partial<Record<EndpointId, string[]>> = { jwtLogin: config.providers, oauthLogin: config.providers, crossAuth: config.platforms };
  const mix = usableMix(weights, providersOf);
  const entries = Object.entries(mix) as [EndpointId, number][];
  if (entries.length === 0) throw new Error('load: the config names no provider or platform; nothing to send');
  const total = entries.reduce((n, [, w]) => n + w, 0);
  let acc = 0;
  const cumulative = entries.map(([endpoint, w]) => ({ endpoint, upTo: (acc += w) / total }));
  return { mix, providersOf, cumulative };
}

/** Providers and platforms of the config the secrets hold no credentials for (empty: all good). */
export function missingCredentials(config: LoadConfig, secrets: LoadSecrets): string[] {
  const covered = new Set(usableProviders(secrets, [...config.providers, ...config.platforms]));
  return [...config.providers, ...config.platforms].filter((p) => !covered.has(p));
}

/** The one check each mixed request gets, named per endpoint. */
export function documentedAnswerCheckNames(): Record<EndpointId, string> {
  const out = {} as Record<EndpointId, string>;
  for (const e of ['jwtLogin', 'oauthLogin', 'crossAuth', 'oauthToken', 'usersMe'] as const) out[e] = `${e}: documented success answer (status and body)`;
  return out;
}

type Minter = (id: string, sequence: number) => AccountFields | undefined;

/** A provider's templates split at `{id}` once; each mint only joins. Falls back to the profile's accounts. */
function minterFor(secrets: LoadSecrets, provider: string): Minter {
  const templates = secrets.templates[provider];
  if (templates) {
    const fields = Object.entries(templates).map(([field, t]) => ({ field, parts: (typeof t === 'string' ? t : t.base64).split('{id}'), base64: typeof t !== 'string' }));
    return (id) => {
      const account: AccountFields = {};
      for (const f of fields) {
        const value = f.parts.join(id);
        account[f.field] = f.base64 ? base64Utf8(value) : value;
      }
      return account;
    };
  }
  const list = secrets.accounts[provider] ?? [];
  return (_id, sequence) => (list.length === 0 ? undefined : list[sequence % list.length]);
}

const SOCIAL_FIELDS: [string, string][] = [['accessToken', 'access_token'], ['accessTokenSecret', 'access_token_secret'], ['openid', 'openid']];
const PLATFORM_FIELDS: [string, string][] = [['sessionTicket', 'session_ticket'], ['appId', 'app_id'], ['code', 'code'], ['deploymentId', 'deployment_id']];
const JSON_HEADERS = { 'content-type': 'application/json' };

function socialBody(account: AccountFields): string {
  const body: Record<string, string> = {};
  for (const [field, wire] of SOCIAL_FIELDS) if (account[field] !== undefined) body[wire] = account[field];
  return JSON.stringify(body);
}

type Builder = (id: string, sequence: number) => { spec: RequestSpec; state: string };

function builderFor(config: LoadConfig, secrets: LoadSecrets, endpoint: EndpointId, provider: string): Builder {
  const mint = minterFor(secrets, provider);
  const tags = { endpoint, provider, name: `${ENDPOINTS[endpoint].method} ${ENDPOINTS[endpoint].path.replace('{provider}', provider)}` };
  const base = `${config.target.baseUrl}${endpointPath(endpoint, provider)}?`;
  const account = (id: string, sequence: number): AccountFields => {
    const found = mint(id, sequence);
    if (!found) throw new Error(`load: ${LOAD_SECRETS_ENV} holds no credentials for ${provider}`);
    return found;
  };
  const oauth = `client_id=${encodeURIComponent(config.oauthClient.clientId)}&response_type=${RESPONSE_TYPE_CODE}`;
  const redirect = `&redirect_uri=${encodeURIComponent(config.oauthClient.redirectUri)}`;
  switch (endpoint) {
    case 'jwtLogin': {
      const url = `${base}${query({ projectId: config.projectId })}`;
      return (id, sequence) => ({ spec: { endpoint, provider, method: 'POST', url, body: socialBody(account(id, sequence)), headers: JSON_HEADERS, tags }, state: stateFor(id) });
    }
    case 'oauthLogin':
      return (id, sequence) => {
        const state = stateFor(id);
        return { spec: { endpoint, provider, method: 'POST', url: `${base}${oauth}&state=${encodeURIComponent(state)}${redirect}`, body: socialBody(account(id, sequence)), headers: JSON_HEADERS, tags }, state };
      };
    case 'crossAuth':
      return (id, sequence) => {
        const state = stateFor(id);
        const a = account(id, sequence);
        let url = `${base}${oauth}&state=${encodeURIComponent(state)}${redirect}&is_redirect=false`;
        for (const [field, wire] of PLATFORM_FIELDS) if (a[field] !== undefined) url += `&${wire}=${encodeURIComponent(a[field])}`;
        return { spec: { endpoint, provider, method: 'GET', url, body: null, headers: {}, tags }, state };
      };
    default:
      throw new Error(`load: ${endpoint} is not part of the mix`);
  }
}

/** Builds the per-VU request builders once; `next(i, id)` is then the whole per-request cost. */
export function trafficGenerator(config: LoadConfig, secrets: LoadSecrets, traffic: Traffic): (iteration: number, id: string) => { spec: RequestSpec; state: string } {
  const builders: Partial<Record<EndpointId, Builder[]>> = {};
  for (const { endpoint } of traffic.cumulative) builders[endpoint] = traffic.providersOf[endpoint]!.map((p) => builderFor(config, secrets, endpoint, p));
  const cumulative = traffic.cumulative;
  return (iteration, id) => {
    const f = spread(iteration);
    let pick = cumulative[cumulative.length - 1]!.endpoint;
    for (const c of cumulative) {
      if (f < c.upTo) {
        pick = c.endpoint;
        break;
      }
    }
    const list = builders[pick]!;
    return list[iteration % list.length]!(id, iteration);
  };
}

/** The same as one call of a trafficGenerator, without keeping builders (tests, the benchmark's bare requests). */
export function nextRequest(config: LoadConfig, secrets: LoadSecrets, traffic: Traffic, iteration: number, id: string): { spec: RequestSpec; state: string } {
  return trafficGenerator(config, secrets, traffic)(iteration, id);
}
