import type { EndpointId } from '../../spec/index.ts';
import { accountFor, usableProviders } from './credentials.ts';
import { LOAD_SECRETS_ENV, type LoadConfig, type LoadSecrets } from './config.ts';
import { DEFAULT_MIX, pickProvider, pickWeighted, spread, usableMix, type MixWeights } from './mix.ts';
import { crossAuthRequest, jwtLoginRequest, oauthLoginRequest, stateFor, type RequestSpec } from './requests.ts';

/**
 * One iteration of mixed sign-in traffic (throughput.ts, soak.ts): which endpoint and provider the i-th
 * iteration calls, with a fresh account, as a RequestSpec plus the `state` its answer must echo.
 */

export interface Traffic {
  mix: MixWeights;
  providersOf: Partial<Record<EndpointId, string[]>>;
}

/**
 * The mix comes from the config alone (the providers and platforms the runner found credentials for), never
 * from the secrets: `k6 archive` evaluates options without the secrets, and the thresholds per endpoint must
 * be the same there as in a local run.
 */
export function planTraffic(config: LoadConfig, weights: MixWeights = DEFAULT_MIX): Traffic {
  const providersOf: Partial<Record<EndpointId, string[]>> = { jwtLogin: config.providers, oauthLogin: config.providers, crossAuth: config.platforms };
  const mix = usableMix(weights, providersOf);
  if (Object.keys(mix).length === 0) throw new Error('load: the config names no provider or platform; nothing to send');
  return { mix, providersOf };
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

export function nextRequest(config: LoadConfig, secrets: LoadSecrets, traffic: Traffic, iteration: number, id: string): { spec: RequestSpec; state: string } {
  const endpoint = pickWeighted(traffic.mix, spread(iteration));
  const provider = pickProvider(traffic.providersOf[endpoint]!, iteration);
  const account = accountFor(secrets, provider, id, iteration);
  if (!account) throw new Error(`load: ${LOAD_SECRETS_ENV} holds no credentials for ${provider}`);
  const spec =
    endpoint === 'jwtLogin' ? jwtLoginRequest(config, provider, account)
    : endpoint === 'oauthLogin' ? oauthLoginRequest(config, provider, account, id)
    : crossAuthRequest(config, provider, account, id, false);
  return { spec, state: stateFor(id) };
}
