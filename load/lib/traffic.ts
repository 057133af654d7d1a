import type { EndpointId } from '../../spec/index.ts';
import { accountFor, usableProviders } from './credentials.ts';
import type { LoadConfig, LoadSecrets } from './config.ts';
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

export function planTraffic(config: LoadConfig, secrets: LoadSecrets, weights: MixWeights = DEFAULT_MIX): Traffic {
  const social = usableProviders(secrets, config.providers);
  const platforms = usableProviders(secrets, config.platforms);
  const providersOf: Partial<Record<EndpointId, string[]>> = { jwtLogin: social, oauthLogin: social, crossAuth: platforms };
  const mix = usableMix(weights, providersOf);
  if (Object.keys(mix).length === 0) {
    throw new Error('load: no provider of the profile has credentials or credential templates; nothing to send');
  }
  return { mix, providersOf };
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
  const account = accountFor(secrets, provider, id, iteration)!;
  const spec =
    endpoint === 'jwtLogin' ? jwtLoginRequest(config, provider, account)
    : endpoint === 'oauthLogin' ? oauthLoginRequest(config, provider, account, id)
    : crossAuthRequest(config, provider, account, id, false);
  return { spec, state: stateFor(id) };
}
