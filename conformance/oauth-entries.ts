import { isPlatform, platformQuery, socialBody, type Accounts } from '../lib/accounts.ts';
import { hasAccounts } from '../lib/credentials.ts';
import type { ApiClient, Query } from '../lib/api-client.ts';
import type { Exchange } from '../lib/exchange.ts';
import type { OAuthClient, TargetProfile } from '../lib/profile.ts';
import { CROSS_AUTH_PLATFORMS, type CrossAuthPlatform } from '../contract/index.ts';

/**
 * The two OAuth 2.0 calls share their query (client_id, response_type, state, redirect_uri, scope) and its rules.
 * An entry sends that query through one of them with a valid credential, so one set of cases checks both:
 * POST /oauth2/social/{provider}/login_with_token and GET /oauth2/social/{platform}/cross_auth (is_redirect=false).
 */
export interface OAuthEntry {
  endpoint: 'oauthLogin' | 'crossAuth';
  /** Provider or platform the entry signs in with. */
  story: string;
  call(oauthQuery: Query): Promise<Exchange>;
}

export type OAuthQuery = Record<string, string | undefined>;

export function baseQuery(client: OAuthClient, state: string, redirectUri: string | undefined = client.redirectUris[0]): OAuthQuery {
  return { client_id: String(client.clientId), response_type: 'code', state, redirect_uri: redirectUri };
}

/** The profile's defaultProvider and the first cross_auth platform the profile has accounts for. */
export function entries(profile: TargetProfile, api: ApiClient, accounts: Accounts): { oauthLogin: OAuthEntry; crossAuth: OAuthEntry } {
  const social = profile.defaultProvider ?? profile.providers.find((p) => !isPlatform(p)) ?? 'facebook';
  const platform: CrossAuthPlatform =
    CROSS_AUTH_PLATFORMS.find((p) => hasAccounts(profile, p)) ?? 'steam';
  return {
    oauthLogin: {
      endpoint: 'oauthLogin',
      story: social,
      call: async (query) => api.call('oauthLogin', { provider: social, query, json: socialBody(await accounts.social(social)) }),
    },
    crossAuth: {
      endpoint: 'crossAuth',
      story: platform,
      call: async (query) => {
        const pairs = Array.isArray(query) ? query : Object.entries(query as OAuthQuery).filter((e): e is [string, string] => e[1] !== undefined);
        return api.call('crossAuth', { provider: platform, query: [...pairs, ...Object.entries(platformQuery(await accounts.platform(platform))), ['is_redirect', 'false']] });
      },
    },
  };
}

export const ENTRY_IDS = ['oauthLogin', 'crossAuth'] as const;
