import { isPlatform, platformQuery, socialBody } from '../lib/accounts.ts';
import type { CallOptions } from '../lib/api-client.ts';
import { expect, targetProfile, test } from '../lib/fixtures.ts';
import { jwtOf } from '../lib/matchers.ts';
import { decodeLoginJwt } from '../lib/jwt.ts';
import {
  DOCUMENTED_ENDPOINTS, isCrossAuthPlatform, RESPONSE_TYPE_CODE, SOCIAL_REQUIRED_EXTRAS, WITH_LOGOUT_VALUES, isValidState,
  type EndpointId, type Parameter,
} from '../contract/index.ts';
import { baseQuery } from './oauth-entries.ts';

/**
 * Generated negative input: for every documented parameter of every documented endpoint, faker-made junk (from
 * the run's seed, printed at the start and recorded in the report; FAKER_SEED reproduces it) replaces the valid
 * value of an otherwise valid request. Never a 5xx (the always-on checks), and never a success where the
 * documents require a refusal.
 */

const profile = targetProfile();
const VALUES_PER_PARAMETER = 4;
// Provider-independent parameters go with the profile's defaultProvider (one with accounts).
const social = profile.defaultProvider ?? profile.providers.find((p) => !isPlatform(p)) ?? 'facebook';
const client = profile.oauth.singleRedirect;
const registered = new Set([...profile.oauth.singleRedirect.redirectUris, ...profile.oauth.multiRedirect.redirectUris]);
const knownClientIds = new Set([profile.oauth.singleRedirect, profile.oauth.multiRedirect, profile.rateLimit?.client].filter(Boolean).map((c) => String(c!.clientId)));

/** The values of a platform field the profile's accounts use (a junk value equal to one would be valid). */
function platformValues(field: 'appId'): Set<string> {
  const values = new Set<string>();
  for (const list of [...Object.values(profile.credentials), ...Object.values(profile.newPlatformUsers)]) {
    for (const account of list ?? []) {
      const value = (account as Record<string, unknown>)[field];
      if (typeof value === 'string') values.add(value);
    }
  }
  for (const templates of Object.values(profile.credentialTemplates)) {
    const value = templates[field];
    if (typeof value === 'string') values.add(value);
  }
  return values;
}

/**
 * What the documents require of a junk value: `reject` (outside the documented type, set or registration, or a
 * credential nobody issued), `state` (refused when 8 characters or fewer, else returned exactly), or `any`
 * (free text: only never a 5xx; when accepted, payload must come back exactly).
 */
type Policy = 'reject' | 'state' | 'any';

const POLICIES: Record<string, { policy: Policy; valid?: (v: string) => boolean }> = {
  provider_name: { policy: 'reject', valid: (v) => profile.providers.includes(v) },
  oauth2_cross_social_provider_name: { policy: 'reject', valid: isCrossAuthPlatform },
  projectId: { policy: 'reject', valid: (v) => v.toLowerCase() === profile.projectId.toLowerCase() },
  payload: { policy: 'any' },
  with_logout: { policy: 'reject', valid: (v) => (WITH_LOGOUT_VALUES as readonly string[]).includes(v) },
  access_token: { policy: 'reject' },
  // "Required for Twitter only" / "Required for Wechat only": the pages say when they are needed, not that the server
  // checks their value against the token (a server may leave that to the network, or ignore them), so free text.
  access_token_secret: { policy: 'any' },
  openid: { policy: 'any' },
  client_id: { policy: 'reject', valid: (v) => knownClientIds.has(v.replace(/^0+/, '')) },
  response_type: { policy: 'reject', valid: (v) => v === RESPONSE_TYPE_CODE },
  redirect_uri: { policy: 'reject', valid: (v) => registered.has(v) },
  state: { policy: 'state' },
  scope: { policy: 'any' },
  session_ticket: { policy: 'reject' },
  audience: { policy: 'any' },
  // "Your app ID on the platform. Required if ... Steam.": required, but nothing says a wrong one is refused when the
  // ticket itself is valid (the server may check the ticket against its own configured app), so free text.
  app_id: { policy: 'any' },
  code: { policy: 'reject' },
  is_redirect: { policy: 'reject', valid: (v) => v === 'true' || v === 'false' },
  no_user_creation: { policy: 'reject', valid: (v) => v === 'true' || v === 'false' },
  // The page does not say an unknown deployment is refused ("If the deployment is not public, only users who have
  // been entitled will be able to log in"): junk is free text here, never a 5xx.
  deployment_id: { policy: 'any' },
};

/** The provider (or platform) a parameter is exercised with: the one that needs it. */
function providerFor(endpoint: EndpointId, p: Parameter): string {
  if (endpoint === 'crossAuth') {
    if (p.name === 'code' || p.name === 'deployment_id') return 'epicgames';
    return 'steam';
  }
  for (const [provider, extras] of Object.entries(SOCIAL_REQUIRED_EXTRAS)) if ((extras as readonly string[]).includes(p.name)) return provider;
  return social;
}

for (const endpoint of DOCUMENTED_ENDPOINTS) {
  test.describe(`generated input: ${endpoint.id}`, () => {
    for (const p of endpoint.params) {
      const rule = POLICIES[p.name];
      if (!rule) throw new Error(`generated input: no policy for ${endpoint.id} ${p.in}.${p.name} (add it to POLICIES)`);
      test(`${p.in}.${p.name}: junk never gives a 5xx${rule.policy === 'any' ? '' : ', nor a success the documents forbid'}`, async ({ api, accounts, data, report }) => {
        const provider = providerFor(endpoint.id, p);
        await report.describe({ endpoint: endpoint.id, feature: 'generated negative input', story: provider, source: p.source, covers: [`${p.in}.${p.name}`] });
        const values: unknown[] =
          p.in === 'body'
            ? Array.from({ length: VALUES_PER_PARAMETER }, () => data.junkJson())
            : data.junkStrings(VALUES_PER_PARAMETER, (v) => !(rule.valid?.(v) ?? false));

        for (const value of values) {
          await test.step(`${p.name} = ${JSON.stringify(value).slice(0, 80)}`, async () => {
            const options = await requestWith(endpoint.id, p, provider, value, accounts, data.validState());
            const x = await api.call(endpoint.id, options);
            const state = (options.query as Record<string, string | undefined>)?.state;
            if (rule.policy === 'reject') {
              await expect(x).toBeRejected(`${p.name} = ${JSON.stringify(value).slice(0, 60)} is outside what the documents allow`);
            } else if (rule.policy === 'state') {
              if (isValidState(String(value))) {
                await expect(x).toHaveStatus(endpoint.id === 'crossAuth' ? [200, 302] : 200);
                await expect(x).toHaveLoginUrlWith({ redirectUri: client.redirectUris[0]!, state: String(value) });
              } else await expect(x).toBeRejected('state must be longer than 8 symbols');
            } else if (p.name === 'payload' && x.status === 200) {
              await expect(x).toHaveJwtClaims({ payload: value });
            } else if (x.status === 200 && state !== undefined) {
              await expect(x).toHaveLoginUrlWith({ redirectUri: client.redirectUris[0]!, state });
            }
            if (x.status === 200 && endpoint.id === 'jwtLogin') expect(decodeLoginJwt(jwtOf(x)!).provider).toBe(provider);
          });
        }
      });
    }
  });
}

/** A valid request for the endpoint with one parameter replaced by `value`. */
async function requestWith(endpoint: EndpointId, p: Parameter, provider: string, value: unknown, accounts: import('../lib/accounts.ts').Accounts, state: string): Promise<CallOptions> {
  let path = provider;
  let query: Record<string, string | undefined>;
  let json: Record<string, unknown> | undefined;
  if (endpoint === 'crossAuth') {
    query = { ...platformQuery(await accounts.platform(provider as 'steam')), ...baseQuery(client, state), is_redirect: 'false' };
  } else {
    json = { ...socialBody(await accounts.social(provider)) };
    query = endpoint === 'jwtLogin' ? { projectId: profile.projectId } : baseQuery(client, state);
  }
  if (p.in === 'path') path = String(value);
  else if (p.in === 'body') json![p.name] = value;
  else query[p.name] = String(value);
  return { provider: path, query, ...(json ? { json } : {}) };
}
