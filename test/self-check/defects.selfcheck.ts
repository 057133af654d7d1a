import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEFECTS, swapCount } from '../../sim/defects.ts';
import { defaultRules } from '../../sim/rules.ts';
import { DEFAULT_OPTIONS } from '../../sim/context.ts';
import { MULTI, PROJECT, b64, claims, qs, simulator, uid, type Call } from '../sim-helpers.ts';

/**
 * Every defect mode is what it says: one swap (a rule, an option or a transform), and a request that shows the
 * violation gets a different answer from it than from the good simulator. So when verify:harness reports a defect
 * as not caught, the missing piece is a check in the suites, never a defect that does nothing.
 */

type Probe = (call: Call) => Promise<string>;

const jwt = (provider: string, query: Record<string, string | undefined>, json: unknown) => (call: Call) =>
  call('POST', `/social/${provider}/login_with_token?${qs({ projectId: PROJECT, ...query })}`, { json });
const oauthQuery = (extra: Record<string, string | undefined> = {}) => ({
  client_id: String(MULTI.clientId), response_type: 'code', state: 'state-123456', redirect_uri: MULTI.redirectUris[0], ...extra,
});
const oauth = (extra: Record<string, string | undefined> = {}) => (call: Call) =>
  call('POST', `/oauth2/social/google/login_with_token?${qs(oauthQuery(extra))}`, { json: { access_token: `sim-google-${uid()}` } });
const steam = (id = uid()) => ({ session_ticket: b64(`sim-steam-${id}`), app_id: '480' });
const cross = (platform: string, extra: Record<string, string | undefined>) => (call: Call) =>
  call('GET', `/oauth2/social/${platform}/cross_auth?${qs(oauthQuery({ is_redirect: 'false', ...extra }))}`);
const codeOf = (loginUrl: string): string => new URL(loginUrl).searchParams.get('code')!;
const exchange = (call: Call, loginUrl: string) =>
  call('POST', '/oauth2/token', {
    form: { grant_type: 'authorization_code', client_id: String(MULTI.clientId), client_secret: MULTI.clientSecret, code: codeOf(loginUrl), redirect_uri: MULTI.redirectUris[0]! },
  });
const answer = async (res: Promise<{ status: number; body: any; text: string; headers: Headers }>): Promise<string> => {
  const r = await res;
  return `${r.status} ${r.headers.get('content-type')} ${r.text}`;
};
const status = async (res: Promise<{ status: number }>): Promise<string> => String((await res).status);
const errorCode = async (res: Promise<{ status: number; body: any }>): Promise<string> => {
  const r = await res;
  return `${r.status} ${r.body?.error?.code}`;
};

/** Whether earlier tokens stay active after a login with `withLogout`. */
const firstTokenAfter = (withLogout: string) => async (call: Call): Promise<string> => {
  const body = { access_token: `sim-google-${uid()}` };
  const first = await jwt('google', {}, body)(call);
  await jwt('google', { with_logout: withLogout }, body)(call);
  return status(call('GET', '/users/me', { headers: { authorization: `Bearer ${first.body.token}` } }));
};

/** Rate-limit probes run against simulators limited to 1 request per second with a burst of 5 (RATE_LIMITED). */
const RATE_LIMITED = { rateLimit: 1, burst: 5 };

/** A burst of 12 against the limited project: how many pass, and what the refusal carries. */
const burst: Probe = async (call) => {
  const results = await Promise.all(Array.from({ length: 12 }, () => jwt('google', {}, { access_token: `sim-google-${uid()}` })(call)));
  const limited = results.find((r) => r.status === 429);
  const ok = results.filter((r) => r.status === 200).length;
  return `the burst of 5 passes: ${ok >= 4}; 429: ${limited !== undefined}; retry-after: ${limited?.headers.get('retry-after') ?? '-'}; body: ${limited?.body?.error?.code ?? '-'}`;
};

const missingProjectId: Probe = (call) => answer(call('POST', '/social/google/login_with_token', { json: { access_token: `sim-google-${uid()}` } }));

const PROBES: Record<string, Probe> = {
  'state-off-by-one': (call) => status(oauth({ state: '12345678' })(call)),
  'state-counted-in-bytes': (call) => status(oauth({ state: 'éééééééé' })(call)),
  'state-counted-in-utf16': (call) => status(oauth({ state: '😀😀😀😀😀😀😀😀' })(call)),
  'state-altered-in-login-url': async (call) => new URL((await oauth({ state: 'a b&c=d?e#f%' })(call)).body.login_url).searchParams.get('state')!,
  'with-logout-ignored': firstTokenAfter('1'),
  'with-logout-inverted': firstTokenAfter('0'),
  'with-logout-any-value': (call) => status(jwt('google', { with_logout: 'yes' }, { access_token: `sim-google-${uid()}` })(call)),
  'error-body-not-wrapped': missingProjectId,
  'error-code-missing': missingProjectId,
  'error-code-not-nnn-nnn': missingProjectId,
  'error-description-empty': missingProjectId,
  'error-details-not-object': missingProjectId,
  'error-html-body': missingProjectId,
  'wrong-4xx-for-invalid-input': missingProjectId,
  '500-on-bad-json': (call) => status(call('POST', `/social/google/login_with_token?${qs({ projectId: PROJECT })}`, { json: '{"access_token": ' })),
  'malformed-json-500': (call) => status(call('POST', `/social/google/login_with_token?${qs({ projectId: PROJECT })}`, { json: '{"access_token": "abc",}' })),
  'upstream-outage-as-503': (call) => status(jwt('google', {}, { access_token: `sim-google-outage${uid()}` })(call)),
  'slow-answers': async (call) => {
    const started = performance.now();
    const outcome = await Promise.race([missingProjectId(call).then(() => 'answered'), new Promise<string>((r) => setTimeout(() => r('no answer within 1 s'), 1000))]);
    return `${outcome} (${performance.now() - started < 1000})`;
  },
  'unknown-provider-accepted': (call) => errorCode(jwt('myspace', {}, { access_token: `sim-myspace-${uid()}` })(call)),
  'unknown-platform-accepted': (call) => errorCode(cross('psn', steam())(call)),
  'battlenet-missing': (call) => status(jwt('battlenet', {}, { access_token: `sim-battlenet-${uid()}` })(call)),
  'twitter-secret-not-required': (call) => errorCode(jwt('twitter', {}, { access_token: `sim-twitter-${uid()}` })(call)),
  'wechat-openid-not-required': (call) => errorCode(jwt('wechat', {}, { access_token: `sim-wechat-${uid()}` })(call)),
  'steam-app-id-not-required': (call) => errorCode(cross('steam', { session_ticket: steam().session_ticket })(call)),
  'session-ticket-not-base64-checked': (call) => errorCode(cross('xbox', { session_ticket: 'not base64!' })(call)),
  'unknown-project-accepted': (call) => status(call('POST', `/social/google/login_with_token?${qs({ projectId: '00000000-0000-4000-8000-00000000dead' })}`, { json: { access_token: `sim-google-${uid()}` } })),
  'is-redirect-always-302': (call) => status(cross('steam', { ...steam(), is_redirect: 'false' })(call)),
  'is-redirect-always-200': (call) => status(cross('steam', { ...steam(), is_redirect: 'true' })(call)),
  'location-without-state': async (call) => {
    const res = await cross('steam', { ...steam(), is_redirect: undefined })(call);
    return String(new URL(res.headers.get('location') ?? 'http://none.invalid/').searchParams.get('state'));
  },
  'open-redirect': (call) => status(oauth({ redirect_uri: 'https://attacker.example/callback' })(call)),
  'redirect-uri-prefix-match': (call) => status(oauth({ redirect_uri: `${MULTI.redirectUris[0]}/../../steal` })(call)),
  // One URI each lenient comparison lets through, picked by hand (test/redirect-lookalikes.test.ts checks the generated ones).
  'redirect-uri-normalised': (call) => status(oauth({ redirect_uri: MULTI.redirectUris[0]!.replace('http:', 'HTTP:') })(call)),
  'redirect-uri-case-insensitive': (call) => status(oauth({ redirect_uri: MULTI.redirectUris[0]!.replace('/callback', '/CallBack') })(call)),
  'redirect-uri-percent-decoded': (call) => status(oauth({ redirect_uri: MULTI.redirectUris[0]!.replace('/callback', '/%2563allback') })(call)),
  'redirect-uri-host-substring': (call) => status(oauth({ redirect_uri: MULTI.redirectUris[0]!.replace('//', '//evil.') })(call)),
  'redirect-uri-pattern': (call) => status(oauth({ redirect_uri: MULTI.redirectUris[0]!.replace('127.0', '127x0') })(call)),
  'redirect-uri-trailing-slash': (call) => status(oauth({ redirect_uri: `${MULTI.redirectUris[0]}/` })(call)),
  'redirect-uri-fragment-ignored': (call) => status(oauth({ redirect_uri: `${MULTI.redirectUris[0]}#x` })(call)),
  'redirect-uri-query-subset': (call) => status(oauth({ redirect_uri: `${MULTI.redirectUris[0]}?x=1` })(call)),
  'redirect-uri-scheme-ignored': (call) => status(oauth({ redirect_uri: MULTI.redirectUris[0]!.replace('http:', 'https:') })(call)),
  'redirect-uri-trimmed': (call) => status(oauth({ redirect_uri: ` ${MULTI.redirectUris[0]}` })(call)),
  'redirect-uri-silent-default': (call) => status(oauth({ redirect_uri: undefined })(call)),
  'payload-claim-dropped': async (call) => String(claims((await jwt('google', { payload: 'echo-me' }, { access_token: `sim-google-${uid()}` })(call)).body.token).payload),
  'wrong-project-claim': async (call) => String(claims((await jwt('google', {}, { access_token: `sim-google-${uid()}` })(call)).body.token).xsolla_login_project_id),
  'expired-jwt': async (call) => String(claims((await jwt('google', {}, { access_token: `sim-google-${uid()}` })(call)).body.token).exp > Date.now() / 1000),
  'lenient-client-id': (call) => status(oauth({ client_id: `${MULTI.clientId}abc` })(call)),
  'lenient-response-type': (call) => status(oauth({ response_type: 'token' })(call)),
  'offline-scope-ignored': async (call) => String('refresh_token' in (await exchange(call, (await oauth({ scope: 'offline' })(call)).body.login_url)).body),
  'unknown-scope-dropped': async (call) => String(claims((await exchange(call, (await oauth({ scope: 'my-own-scope' })(call)).body.login_url)).body.access_token).scope),
  'no-user-creation-ignored': (call) => status(cross('steam', { ...steam(), no_user_creation: 'true' })(call)),
  'audience-ignored': async (call) => String(claims((await exchange(call, (await cross('steam', { ...steam(), audience: 'my-game' })(call)).body.login_url)).body.access_token).aud),
  'reusable-code': async (call) => {
    const loginUrl = (await oauth()(call)).body.login_url;
    await exchange(call, loginUrl);
    return status(exchange(call, loginUrl));
  },
  'no-429': burst,
  '429-without-retry-after': burst,
  '429-without-body': burst,
  '429-too-early': burst,
};

describe('defect modes', () => {
  let good: Awaited<ReturnType<typeof simulator>>;
  before(async () => {
    good = await simulator();
  });
  after(() => good.close());

  test('there are at least 25, and every one is probed here', () => {
    assert.ok(Object.keys(DEFECTS).length >= 25);
    assert.deepEqual(Object.keys(PROBES).sort(), Object.keys(DEFECTS).sort());
  });

  test('every rule of sim/rules.ts is broken by at least one defect', () => {
    const swapped = new Set<string>(Object.values(DEFECTS).map((d) => d.swaps));
    const unbroken = Object.keys(defaultRules).filter((rule) => !swapped.has(`rule:${rule}`));
    assert.deepEqual(unbroken, [], 'rules no defect mode breaks');
  });

  test('malformed-json-500 breaks only a body the parser cannot read: a JSON string literal still gets the good 400', async () => {
    const broken = await simulator({ defect: 'malformed-json-500' });
    try {
      const post = (json: string) => status(broken.call('POST', `/social/google/login_with_token?${qs({ projectId: PROJECT })}`, { json }));
      assert.equal(await post('{"access_token": "abc",}'), '500');
      // What Playwright made of a malformed body given as a string: valid JSON, so the defect does not show.
      assert.equal(await post(JSON.stringify('{"access_token": "abc",}')), '400');
    } finally {
      await broken.close();
    }
  });

  for (const [name, defect] of Object.entries(DEFECTS)) {
    test(`${name}: one swap (${defect.swaps}), and an answer that differs from the good simulator's`, async () => {
      assert.equal(swapCount(defect), 1, 'exactly one rule, option or transform');
      const [kind, key] = defect.swaps.split(':');
      if (kind === 'rule') assert.deepEqual(Object.keys(defect.rules!), [key]), assert.ok(key! in defaultRules);
      if (kind === 'option') assert.deepEqual(Object.keys(defect.options!), [key]), assert.ok(key! in DEFAULT_OPTIONS);
      if (kind === 'transform') assert.equal(typeof defect.transform, 'function');

      const limited = defect.area === 'rate-limit';
      const broken = await simulator({ defect: name, ...(limited ? RATE_LIMITED : {}) });
      // The rate-limit probes drain a bucket: they get a good simulator of their own, with the same limit.
      const reference = limited ? await simulator(RATE_LIMITED) : good;
      try {
        const probe = PROBES[name]!;
        const [fromGood, fromDefect] = [await probe(reference.call), await probe(broken.call)];
        assert.notEqual(fromDefect, fromGood, `the probe sees no difference: ${fromGood}`);
      } finally {
        await broken.close();
        if (reference !== good) await reference.close();
      }
    });
  }
});
