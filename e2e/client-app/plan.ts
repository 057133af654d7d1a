import type { TargetProfile } from '../../lib/profile.ts';

/**
 * Where the client app listens and which registered redirect URIs it serves. The target decides: the app must
 * answer on the very URIs registered for the OAuth client, so its origin is read from the profile's
 * `oauth.*.redirectUris` (the simulator registers http://127.0.0.1:8790/callback and /silent-callback). When
 * a target registered no loopback URI, a local browser cannot receive the callback and the flows that need one
 * are skipped with that reason.
 */

export interface ClientAppPlan {
  ok: true;
  /** e.g. http://127.0.0.1:8790 */
  origin: string;
  host: string;
  port: number;
  /** The OAuth client whose registered URIs the app serves (the one registering both pages when there is one). */
  client: 'multiRedirect' | 'singleRedirect';
  /** Registered URI the social-token login returns to. */
  callbackUri: string;
  /** Registered URI for silent authentication; the callback URI when only one is registered. */
  silentCallbackUri: string;
}

export type ClientAppPlanResult = ClientAppPlan | { ok: false; reason: string };

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function loopbackHttp(uri: string): URL | null {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return null;
  }
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname) ? url : null;
}

const portOf = (url: URL): number => Number(url.port || '80');

export function planClientApp(oauth: Pick<TargetProfile, 'oauth'>['oauth']): ClientAppPlanResult {
  for (const client of ['multiRedirect', 'singleRedirect'] as const) {
    const local = oauth[client].redirectUris.map(loopbackHttp).filter((u): u is URL => u !== null);
    if (local.length === 0) continue;
    // All the app's pages live on one origin: the first loopback URI's.
    const origin = local[0]!.origin;
    const sameOrigin = local.filter((u) => u.origin === origin);
    const callback = sameOrigin.find((u) => !/silent/i.test(u.pathname)) ?? sameOrigin[0]!;
    const silent = sameOrigin.find((u) => /silent/i.test(u.pathname)) ?? callback;
    return {
      ok: true,
      origin,
      host: local[0]!.hostname,
      port: portOf(local[0]!),
      client,
      callbackUri: callback.href,
      silentCallbackUri: silent.href,
    };
  }
  return {
    ok: false,
    reason: 'the target registers no loopback http redirect URI (oauth.*.redirectUris), so a local browser cannot receive the callback; register e.g. http://127.0.0.1:8790/callback to run the browser flows',
  };
}

/**
 * Whether this Playwright run includes the e2e project, from its command line: the client app holds a fixed
 * port (the registered redirect URIs decide it), so an API-only run (`--project=conformance`) must not take it
 * from a browser run going on beside it. No `--project` means every project runs. `E2E_CLIENT_APP=1` forces it.
 */
export function runIncludesE2e(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, project = 'e2e'): boolean {
  if (env.E2E_CLIENT_APP === '1') return true;
  const selected: string[] = [];
  argv.forEach((arg, i) => {
    if (arg === '--project' && argv[i + 1] !== undefined) selected.push(argv[i + 1]!);
    else if (arg.startsWith('--project=')) selected.push(arg.slice('--project='.length));
  });
  if (selected.length === 0) return true;
  const matches = (pattern: string): boolean => new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i').test(project);
  return selected.some((value) => value.split(',').some((p) => matches(p.trim())));
}
