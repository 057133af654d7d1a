import { check, group } from 'k6';
import http from 'k6/http';
import type { Options } from 'k6/options';
import { hasDocumentedSuccessBody, header, isDocumentedErrorBody, isSuccessStatus, loginUrlCarries, parseJson } from './lib/checks.ts';
import { accountFor } from './lib/credentials.ts';
import { COMMON_OPTIONS, config, requireSecrets, secrets, send, summaryOutputs } from './lib/k6-runtime.ts';
import { crossAuthRequest, jwtLoginRequest, oauthLoginRequest, queryParam, stateFor, tokenExchangeRequest, usersMeRequest, type RequestSpec } from './lib/requests.ts';
import type { K6Summary } from './lib/summary.ts';

/**
 * Smoke: one VU, one pass over every endpoint with checks: the JWT login for every provider of the profile,
 * the OAuth 2.0 login and its code exchange, silent authentication for every platform (both answer forms),
 * the token check, and one documented error answer. Any failed check fails the run.
 *   npm run load -- smoke
 */

export const options: Options = {
  ...COMMON_OPTIONS,
  scenarios: {
    smoke: { executor: 'shared-iterations', vus: 1, iterations: 1, maxDuration: `${config.durationSeconds}s` },
  },
  thresholds: {
    checks: ['rate==1'],
    http_req_failed: ['rate==0'],
  },
};

const social = config.providers;
const platforms = config.platforms;
let sequence = 0;
const nextId = (): string => `${config.runId}-smoke-${sequence++}`;

function expectSuccess(spec: RequestSpec, state: string): unknown {
  const res = send(spec, { redirects: 0 });
  const body = parseJson(res.body);
  const what = `${spec.endpoint}${spec.provider ? ` ${spec.provider}` : ''}`;
  check(res, {
    [`${what}: success status`]: (r) => isSuccessStatus(spec.endpoint, r.status),
    [`${what}: documented success body`]: () => hasDocumentedSuccessBody(spec.endpoint, body, state),
  }, { endpoint: spec.endpoint });
  return body;
}

function tokenCheck(jwt: unknown, via: string): void {
  if (typeof jwt !== 'string') return;
  const res = send(usersMeRequest(config, jwt));
  check(res, { [`usersMe: token from ${via} is active`]: (r) => r.status === 200 }, { endpoint: 'usersMe' });
}

export default function (): void {
  requireSecrets();
  group('JWT login, every provider', () => {
    for (const provider of social) {
      const body = expectSuccess(jwtLoginRequest(config, provider, accountFor(secrets, provider, nextId(), 0)!), '') as { token?: string } | undefined;
      if (provider === social[0]) tokenCheck(body?.token, 'jwtLogin');
    }
  });

  group('OAuth 2.0 login and code exchange', () => {
    const provider = social[0];
    if (provider === undefined) return;
    const id = nextId();
    const body = expectSuccess(oauthLoginRequest(config, provider, accountFor(secrets, provider, id, 0)!, id), stateFor(id)) as { login_url?: string } | undefined;
    const code = body?.login_url ? queryParam(body.login_url, 'code') : undefined;
    if (code === undefined || secrets.clientSecret === '') return;
    const exchanged = expectSuccess(tokenExchangeRequest(config, code, secrets.clientSecret), '') as { access_token?: string } | undefined;
    tokenCheck(exchanged?.access_token, 'the code exchange');
  });

  group('Silent authentication, every platform', () => {
    for (const platform of platforms) {
      const id = nextId();
      expectSuccess(crossAuthRequest(config, platform, accountFor(secrets, platform, id, 0)!, id, false), stateFor(id));
      const redirectId = nextId();
      const res = send(crossAuthRequest(config, platform, accountFor(secrets, platform, redirectId, 1)!, redirectId, true), { redirects: 0 });
      check(res, {
        [`crossAuth ${platform}: is_redirect=true answers 302`]: (r) => r.status === 302,
        [`crossAuth ${platform}: Location carries code and state`]: (r) => loginUrlCarries(header(r.headers, 'location'), stateFor(redirectId)),
      }, { endpoint: 'crossAuth' });
    }
  });

  group('Documented error answer', () => {
    // An unknown provider: whatever 4xx the target picks, the body has the documented error shape.
    const spec = jwtLoginRequest(config, 'no-such-provider', { accessToken: 'not-a-token' });
    const res = send(spec, { responseCallback: http.expectedStatuses({ min: 400, max: 499 }) });
    check(res, {
      'unknown provider: a 4xx': (r) => r.status >= 400 && r.status < 500,
      'unknown provider: documented error body': (r) => isDocumentedErrorBody(parseJson(r.body)),
    }, { endpoint: 'jwtLogin' });
  });
}

export function handleSummary(data: K6Summary): Record<string, string> {
  return summaryOutputs(data, { scenario: `1 VU, every endpoint once (${social.length} providers, ${platforms.length} platforms)` });
}
