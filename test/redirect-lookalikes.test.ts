import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  LOOK_ALIKE_CLASSES,
  isLoopbackHost,
  joinUri,
  lookAlikesByClass,
  lookAlikesFor,
  splitAuthority,
  splitUri,
  type LookAlike,
} from '../lib/redirect-lookalikes.ts';
import { LENIENT_REDIRECT } from '../sim/defects.ts';
import { LENIENT_COMPARISONS } from '../sim/redirect-comparisons.ts';
import { LOOK_ALIKE_DEFECTS } from '../scripts/verify-harness/lookalike-defects.ts';

/**
 * The look-alike generator: every URI it makes differs from every registered URI as a string (so an exact
 * comparison refuses it), the output is deterministic, every class applies to the typical loopback URI, and each
 * class's defect comparison (sim/redirect-comparisons.ts, written apart from the generator) accepts every look-alike
 * of its class, which is what makes the defect catchable.
 */

const TYPICAL = ['http://127.0.0.1:8790/callback', 'http://127.0.0.1:8790/silent-callback'];
const QUIRKY = [
  ['http://127.0.0.1:8790/callback?src=game', 'http://127.0.0.1:8790/silent-callback?src=game'],
  ['http://127.0.0.1:8790/callback', 'http://127.0.0.1:8790/silent-callback', 'com.example.game:/oauth2redirect'],
  ['https://game.example.com/auth/callback?src=game&lang=en'],
  ['https://game.example.com'],
  ['https://game.example.com/'],
  ['https://game.example.com:8443/cb/'],
  ['http://localhost:3000/auth/callback'],
  ['http://[::1]:4000/cb'],
];

/** Registered URIs: web URLs (with and without query), loopback URIs with a port, and private-use schemes. */
const segment = fc.stringMatching(/^[a-z0-9][a-z0-9._~-]{0,11}$/);
const registeredUri = fc.oneof(
  fc.webUrl({ withQueryParameters: true }),
  fc.webUrl(),
  fc.tuple(fc.integer({ min: 1024, max: 65_535 }), fc.array(segment, { minLength: 1, maxLength: 3 }), fc.option(fc.array(fc.tuple(segment, segment), { minLength: 1, maxLength: 3 }), { nil: undefined }))
    .map(([port, path, query]) => `http://127.0.0.1:${port}/${path.join('/')}${query ? `?${query.map(([k, v]) => `${k}=${v}`).join('&')}` : ''}`),
  fc.tuple(fc.array(fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/), { minLength: 2, maxLength: 4 }), fc.array(segment, { minLength: 1, maxLength: 2 }))
    .map(([labels, path]) => `${labels.join('.')}:/${path.join('/')}`),
);
const registeredSet = fc.uniqueArray(registeredUri, { minLength: 1, maxLength: 3 });

const comparisonOf = (cls: (typeof LOOK_ALIKE_CLASSES)[number]) => LENIENT_COMPARISONS[LENIENT_REDIRECT[LOOK_ALIKE_DEFECTS[cls]]!.comparison];

describe('redirect_uri look-alikes', () => {
  test('every look-alike differs as a string from every registered URI (fast-check)', () => {
    fc.assert(
      fc.property(registeredSet, (registered) => {
        for (const l of lookAlikesFor(registered)) assert.ok(!registered.includes(l.uri), `${JSON.stringify(l.uri)} (${l.class}) is registered`);
      }),
      { numRuns: 500 },
    );
  });

  test('no URI twice, and the output is deterministic (fast-check)', () => {
    fc.assert(
      fc.property(registeredSet, (registered) => {
        const first = lookAlikesFor(registered);
        assert.equal(new Set(first.map((l) => l.uri)).size, first.length);
        assert.deepEqual(lookAlikesFor([...registered]), first);
      }),
      { numRuns: 200 },
    );
  });

  test('each class\'s defect comparison accepts every look-alike of its class (fast-check and the profiles\' URIs)', () => {
    const check = (registered: readonly string[]): void => {
      for (const l of lookAlikesFor(registered)) {
        assert.ok(comparisonOf(l.class)(l.uri, l.registered), `${LOOK_ALIKE_DEFECTS[l.class]} does not accept ${JSON.stringify(l.uri)} (${l.class}: ${l.name}) for ${l.registered}`);
      }
    };
    for (const registered of [TYPICAL, ...QUIRKY]) check(registered);
    fc.assert(fc.property(registeredSet, check), { numRuns: 500 });
  });

  test('every class applies to the typical loopback URI http://127.0.0.1:<port>/<path>, with and without a query (fast-check)', () => {
    // A path of words (case-folding needs a letter to fold).
    const word = fc.stringMatching(/^[a-z][a-z0-9_-]{0,11}$/);
    const typical = fc.tuple(fc.integer({ min: 1024, max: 65_535 }), fc.array(word, { minLength: 1, maxLength: 3 }), fc.boolean())
      .map(([port, path, query]) => `http://127.0.0.1:${port}/${path.join('/')}${query ? '?src=game' : ''}`);
    fc.assert(
      fc.property(typical, (uri) => {
        const groups = lookAlikesByClass([uri]);
        const empty = LOOK_ALIKE_CLASSES.filter((c) => groups[c].length === 0);
        assert.deepEqual(empty, [], `classes without a look-alike for ${uri}`);
      }),
      { numRuns: 200 },
    );
  });

  test('the simulator\'s registered URIs: 11 classes, 35 look-alikes each', () => {
    const groups = lookAlikesByClass(TYPICAL);
    assert.equal(LOOK_ALIKE_CLASSES.length, 11);
    for (const c of LOOK_ALIKE_CLASSES) assert.ok(groups[c].length > 0, c);
    for (const r of TYPICAL) assert.equal(lookAlikesFor([r]).length, 35, r);
  });

  test('scheme, userinfo, host, port, path, query and fragment are each changed by some look-alike of a web URI', () => {
    const components = new Set(lookAlikesFor(['https://game.example.com/auth/callback?src=game']).map((l) => l.component));
    for (const c of ['scheme', 'userinfo', 'host', 'port', 'path', 'query', 'fragment'] as const) assert.ok(components.has(c), c);
  });

  test('a loopback URI gets no look-alike that differs only in its port (RFC 8252 §7.3: a server may let it vary)', () => {
    const onlyPortDiffers = (l: LookAlike): boolean => {
      const a = splitUri(l.uri);
      const b = splitUri(l.registered);
      if (a.authority === undefined || b.authority === undefined) return false;
      const x = splitAuthority(a.authority);
      const y = splitAuthority(b.authority);
      return x.port !== y.port && x.host === y.host && x.userinfo === y.userinfo && joinUri({ ...a, authority: '' }) === joinUri({ ...b, authority: '' });
    };
    for (const uris of [TYPICAL, ['http://localhost/cb'], ['http://[::1]:4000/cb'], ['http://127.0.0.1/cb']]) {
      assert.deepEqual(lookAlikesFor(uris).filter(onlyPortDiffers).map((l) => l.uri), [], uris.join(' '));
    }
    // A web URI does get them: another port, the default port given, an empty port.
    assert.equal(lookAlikesFor(['https://game.example.com/cb']).filter(onlyPortDiffers).length, 3);
    assert.ok(isLoopbackHost('127.0.0.1') && isLoopbackHost('LOCALHOST') && isLoopbackHost('[::1]') && !isLoopbackHost('127.0.0.1.attacker.example'));
  });

  test('a private-use scheme URI (RFC 8252 §7.1) gets look-alikes of its scheme and path, none of a host it does not have', () => {
    const groups = lookAlikesByClass(['com.example.game:/oauth2redirect']);
    assert.equal(groups.host.length, 0);
    assert.deepEqual(groups.scheme.map((l) => l.uri), ['com.attacker.app:/oauth2redirect']);
    assert.ok(groups.pattern.some((l) => l.uri === 'comxexample.game:/oauth2redirect'));
    assert.ok(groups.normalisation.some((l) => l.uri === 'COM.EXAMPLE.GAME:/oauth2redirect'));
  });

  test('a look-alike of one registered URI that is another registered URI is left out', () => {
    // "…/cb/" is the trailing-slash look-alike of "…/cb", and registered too.
    const uris = ['https://game.example.com/cb', 'https://game.example.com/cb/'];
    assert.ok(!lookAlikesFor(uris).some((l) => uris.includes(l.uri)));
    assert.ok(lookAlikesFor(['https://game.example.com/cb']).some((l) => l.uri === 'https://game.example.com/cb/'));
  });

  test('splitUri and joinUri round-trip any string (RFC 3986 Appendix B never fails)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => assert.equal(joinUri(splitUri(s)), s)), { numRuns: 500 });
  });

  test('the exact comparison (the good simulator\'s) refuses them all, and no lenient comparison accepts an attacker\'s other host', () => {
    for (const l of lookAlikesFor(TYPICAL)) assert.ok(!TYPICAL.includes(l.uri));
    for (const compare of Object.values(LENIENT_COMPARISONS)) assert.equal(compare('https://attacker.example/callback', TYPICAL[0]!), false);
  });
});

describe('verify:harness look-alike line', async () => {
  const { lookAlikeGrep, lookAlikeProof } = await import('../scripts/verify-harness/lookalike-proof.ts');
  const { CLASS_INFO } = await import('../lib/redirect-lookalikes.ts');
  const failed = (cls: (typeof LOOK_ALIKE_CLASSES)[number]) => `conformance › conformance/oauth-login-query.spec.ts › oauthLogin: OAuth 2.0 query › redirect_uri › look-alikes of the registered URIs (exact matching) › ${CLASS_INFO[cls].title}: every look-alike is refused`;
  const allCaught = LOOK_ALIKE_CLASSES.map((c) => ({ name: LOOK_ALIKE_DEFECTS[c], failedTitles: [failed(c)] }));
  const goodPassed = { passed: true, passedTitles: LOOK_ALIKE_CLASSES.map(failed) };

  test('every class refused by the simulator and caught by its own class\'s test: the line says so', () => {
    const proof = lookAlikeProof(TYPICAL, allCaught, goodPassed);
    assert.equal(proof.ok, true);
    assert.equal(proof.line, 'redirect look-alikes: 11 classes, each refused by the simulator and caught by its defect (70 look-alikes of 2 registered URIs)');
  });

  test('a defect caught only by another class\'s test, or a class the simulator did not pass, is not proven', () => {
    const other = allCaught.map((r) => (r.name === LOOK_ALIKE_DEFECTS.query ? { ...r, failedTitles: [failed('prefix')] } : r));
    const proof = lookAlikeProof(TYPICAL, other, goodPassed);
    assert.equal(proof.ok, false);
    assert.match(proof.line, /10 of 11 classes proven/);
    assert.match(proof.details.join('\n'), /query: NOT caught by its own tests/);
    assert.equal(lookAlikeProof(TYPICAL, allCaught, { passed: false, passedTitles: [] }).ok, false);
    assert.match(lookAlikeProof(TYPICAL, allCaught, null).line, /not checked/);
  });

  test('the fast mode greps a look-alike defect\'s own class tests, and nothing for other defects', () => {
    assert.equal(lookAlikeGrep('redirect-uri-trimmed'), 'surrounding whitespace: every look-alike is refused');
    assert.ok(new RegExp(lookAlikeGrep('redirect-uri-normalised')!).test(failed('normalisation')));
    assert.equal(lookAlikeGrep('open-redirect'), undefined);
  });
});

describe('lenient comparisons written apart from the simulator\'s defects', () => {
  // Common ways servers compare redirect URIs, each written here independently of sim/redirect-comparisons.ts: every
  // one must accept at least one generated look-alike, or refuse a registered URI (so a server that compares that way
  // fails a conformance test either way).
  const parse = (s: string): URL | null => (URL.canParse(s) ? new URL(s) : null);
  const OTHERS: Record<string, (given: string, registered: string) => boolean> = {
    'WHATWG URL href equality': (g, r) => parse(g)?.href === parse(r)?.href,
    'origin and pathname only (query, fragment ignored)': (g, r) => parse(g) !== null && parse(g)!.origin === parse(r)!.origin && parse(g)!.pathname === parse(r)!.pathname,
    'origin only': (g, r) => parse(g)?.origin === parse(r)?.origin,
    'pathname only': (g, r) => parse(g)?.pathname === parse(r)?.pathname,
    'host endsWith': (g, r) => parse(g) !== null && parse(g)!.host.endsWith(parse(r)!.host) && parse(g)!.pathname === parse(r)!.pathname,
    'decodeURIComponent once': (g, r) => { try { return decodeURIComponent(g) === r; } catch { return false; } },
    'unescaped, unanchored regular expression': (g, r) => new RegExp(r).test(g),
    'unescaped, anchored regular expression': (g, r) => new RegExp(`^${r}$`).test(g),
    'path compared case-insensitively': (g, r) => parse(g) !== null && parse(g)!.origin === parse(r)!.origin && parse(g)!.pathname.toLowerCase() === parse(r)!.pathname.toLowerCase(),
    'string includes': (g, r) => g.includes(r),
    'without the query string': (g, r) => g.split('?')[0] === r.split('?')[0],
    'trimmed': (g, r) => g.trim() === r,
    'whole string lower-cased': (g, r) => g.toLowerCase() === r.toLowerCase(),
    'trailing slashes dropped': (g, r) => g.replace(/\/+$/, '') === r.replace(/\/+$/, ''),
  };
  for (const registered of [TYPICAL, QUIRKY[0]!, QUIRKY[2]!]) {
    test(`each accepts a look-alike of ${registered.join(', ')}`, () => {
      const all = lookAlikesFor(registered);
      for (const [name, compare] of Object.entries(OTHERS)) {
        // A comparison that does not even accept a registered URI (an unescaped "?" in a regular expression) fails the
        // tests that use the registered URIs instead.
        const refusesRegistered = registered.some((r) => !compare(r, r));
        assert.ok(refusesRegistered || all.some((l) => registered.some((r) => compare(l.uri, r))), `${name} accepts no look-alike`);
      }
    });
  }
});
