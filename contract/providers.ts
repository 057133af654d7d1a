import type { Source } from './sources.ts';

/**
 * Provider lists. The documents disagree: the JWT page (000) and the OAuth page (002) list eleven social
 * networks; the public reference page of the JWT call (001) omits `xsolla` and `battlenet`. Both variants are
 * kept as data; the union is what the harness checks by default.
 */
export const SOCIAL_PROVIDERS_FULL = [
  'xsolla', 'facebook', 'google', 'linkedin', 'twitter', 'discord', 'naver', 'baidu', 'battlenet', 'wechat', 'qq_mobile',
] as const;

export const SOCIAL_PROVIDERS_REFERENCE_PAGE = [
  'facebook', 'google', 'linkedin', 'twitter', 'discord', 'naver', 'baidu', 'wechat', 'qq_mobile',
] as const;

export type SocialProvider = (typeof SOCIAL_PROVIDERS_FULL)[number];

/** The default provider matrix: the union of both lists (which is the full list). */
export const SOCIAL_PROVIDERS: readonly SocialProvider[] = [
  ...new Set<SocialProvider>([...SOCIAL_PROVIDERS_FULL, ...SOCIAL_PROVIDERS_REFERENCE_PAGE]),
];

export const PROVIDER_LIST_SOURCES: Record<'full' | 'referencePage', Source> = {
  full: { doc: 'jwtLogin', item: 'path.provider_name', quote: 'Can have the following values: xsolla, facebook, google, linkedin, twitter, discord, naver, baidu, battlenet, wechat, qq_mobile.' },
  referencePage: { doc: 'jwtLoginReferencePage', item: 'path.provider_name', quote: 'Can have the following values: facebook, google, linkedin, twitter, discord, naver, baidu, wechat, qq_mobile.' },
};

/** Platforms of silent authentication (cross_auth). */
export const CROSS_AUTH_PLATFORMS = ['steam', 'xbox', 'epicgames'] as const;
export type CrossAuthPlatform = (typeof CROSS_AUTH_PLATFORMS)[number];

export const CROSS_AUTH_PLATFORM_SOURCE: Source = {
  doc: 'crossAuth',
  item: 'path.oauth2_cross_social_provider_name',
  quote: 'Name of the platform the user authorized in. Can be steam, xbox, epicgames.',
};

/** Body fields a social network needs besides `access_token` ("Required for Twitter only" / "for Wechat only"). */
export const SOCIAL_REQUIRED_EXTRAS: Partial<Record<SocialProvider, readonly ('access_token_secret' | 'openid')[]>> = {
  twitter: ['access_token_secret'],
  wechat: ['openid'],
};

/**
 * What the page makes required for each platform's silent authentication, and nothing more: `app_id` is
 * "Required if the platform where the user is authorized is Steam". The page calls no other platform parameter
 * required: `session_ticket` ("received from the platform encoded according to the Base64 standard"), `code`
 * ("received from the platform") and `deployment_id` are optional parameters whose use is the platform's and the
 * target profile's business. test/contract.test.ts keeps this equal to the conditional markers of contract/endpoints.ts.
 */
export const CROSS_AUTH_REQUIRED: Record<CrossAuthPlatform, readonly string[]> = {
  steam: ['app_id'],
  xbox: [],
  epicgames: [],
};

/**
 * The page's one sentence on what the call does: it exchanges the user's token from the platform for a Login JWT.
 * A request that carries nothing from the platform has nothing to exchange, whatever parameter a platform uses.
 */
export const CROSS_AUTH_EXCHANGE_SOURCE: Source = {
  doc: 'crossAuth',
  item: 'summary',
  quote: 'Exchanges the user JWT from Steam, Xbox, or Epic Games to the JWT in your project (projectId).',
};

export function isSocialProvider(name: string, list: readonly string[] = SOCIAL_PROVIDERS): name is SocialProvider {
  return list.includes(name);
}

export function isCrossAuthPlatform(name: string): name is CrossAuthPlatform {
  return (CROSS_AUTH_PLATFORMS as readonly string[]).includes(name);
}
