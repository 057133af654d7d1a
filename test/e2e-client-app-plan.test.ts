import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { planClientApp, runIncludesE2e } from '../e2e/client-app/plan.ts';

const client = (redirectUris: string[]) => ({ clientId: 1, clientSecret: 's', redirectUris });

describe('planClientApp: the client app answers on the target\'s registered loopback redirect URIs', () => {
  test('the simulator\'s URIs give 127.0.0.1:8790 with both callback pages', () => {
    const plan = planClientApp({
      multiRedirect: client(['http://127.0.0.1:8790/callback', 'http://127.0.0.1:8790/silent-callback']),
      singleRedirect: client(['http://127.0.0.1:8790/callback']),
    });
    assert.deepEqual(plan, {
      ok: true, origin: 'http://127.0.0.1:8790', host: '127.0.0.1', port: 8790, client: 'multiRedirect',
      callbackUri: 'http://127.0.0.1:8790/callback', silentCallbackUri: 'http://127.0.0.1:8790/silent-callback',
    });
  });

  test('a real target\'s loopback URI on another port and path is used as registered', () => {
    const plan = planClientApp({
      multiRedirect: client(['https://game.example/auth', 'https://game.example/auth2']),
      singleRedirect: client(['http://localhost:3000/oauth/return']),
    });
    assert.equal(plan.ok, true);
    if (!plan.ok) return;
    assert.equal(plan.origin, 'http://localhost:3000');
    assert.equal(plan.port, 3000);
    assert.equal(plan.client, 'singleRedirect');
    assert.equal(plan.callbackUri, 'http://localhost:3000/oauth/return');
    assert.equal(plan.silentCallbackUri, plan.callbackUri, 'one registered URI serves both flows');
  });

  test('no loopback URI: the browser flows cannot receive a callback, and the reason says so', () => {
    const plan = planClientApp({
      multiRedirect: client(['https://game.example/a', 'https://game.example/b']),
      singleRedirect: client(['https://127.0.0.1.nip.io/cb']),
    });
    assert.equal(plan.ok, false);
    if (plan.ok) return;
    assert.match(plan.reason, /no loopback http redirect URI/);
    assert.match(plan.reason, /oauth\.\*\.redirectUris/);
  });
});

describe('runIncludesE2e: only a run that includes the e2e project starts the client app', () => {
  const cases: [string[], boolean][] = [
    [['test'], true],
    [['test', '--project=e2e'], true],
    [['test', '--project', 'e2e', '-g', 'google'], true],
    [['test', '--project=conformance'], false],
    [['test', '--project', 'conformance'], false],
    [['test', '--project=conformance', '--project=e2e'], true],
    [['test', '--project=e*'], true],
    [['test', '--project=E2E'], true],
  ];
  for (const [argv, expected] of cases) {
    test(`${argv.join(' ')} → ${expected}`, () => assert.equal(runIncludesE2e(argv, {}), expected));
  }
  test('E2E_CLIENT_APP=1 forces it', () => assert.equal(runIncludesE2e(['test', '--project=conformance'], { E2E_CLIENT_APP: '1' }), true));
});
