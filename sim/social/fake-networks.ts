import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EPIC_DEPLOYMENT_IDS, STEAM_APP_IDS } from '../seed.ts';
import { CredentialLifetimes } from './credential-lifetimes.ts';
import { TestAccountApis } from './test-account-apis.ts';

/**
 * Stand-ins for the social networks and platforms, served over HTTP on their own loopback port, so the Login
 * simulator checks every access token the way the real service asks a social network: with a network call
 * that can be slow, fail or say no.
 *
 * What each fake accepts (the simulator's target profile mints credentials of these forms):
 *   social networks  access_token `sim-<provider>-<uid>`; twitter also access_token_secret `sim-secret-<uid>`,
 *                    wechat also openid `sim-openid-<uid>`
 *   steam            session ticket whose Base64 decodes to `sim-steam-<uid>`, app_id one of STEAM_APP_IDS
 *   xbox             session ticket whose Base64 decodes to `sim-xbox-<uid>`
 *   epicgames        code `sim-epicgames-<uid>`; a deployment_id, when given, one of EPIC_DEPLOYMENT_IDS (the page
 *                    does not make it required; "If the deployment is not public, only users who have been
 *                    entitled will be able to log in": an unknown deployment lets nobody in)
 * A uid starting with `outage` answers 503 and one starting with `slow` answers after `slowMs`: the upstream
 * failures a conformance test can ask for without a switch.
 *
 * Besides these, each network accepts the opaque credentials its test-account API handed out
 * (test-account-apis.ts), and, when the simulator was started so, refuses credentials past their lifetime or
 * already used (credential-lifetimes.ts). An accepted credential's answer carries `expires_in_ms` when it has a
 * lifetime (0: used up now), so the Login simulator never remembers it as good past its end.
 */

export interface FakeNetworkOptions {
  /** Added to every answer. */
  latencyMs: number;
  /** Providers that answer 503 to everything; `all` for every provider. */
  outage: ReadonlySet<string>;
  /** How long a `slow…` account takes to answer. */
  slowMs: number;
  /** Seconds a credential lives after it was issued (`--social-token-ttl`); null or absent: for ever. */
  tokenTtlSeconds?: number | null;
  /** Epic codes work once and for 300 s (`--epic-codes-single-use`). */
  epicCodesSingleUse?: boolean;
  /** Facebook refuses to create new test users (`--facebook-test-users-paused`). */
  facebookTestUsersPaused?: boolean;
  /** The networks' clock, ms since the epoch (default Date.now); a test injects one to pass 300 s at once. */
  now?: () => number;
}

export interface VerifyRequest {
  access_token?: string;
  access_token_secret?: string;
  openid?: string;
  ticket?: string;
  app_id?: string;
  code?: string;
  deployment_id?: string;
}

export interface SocialProfile {
  id: string;
  name: string;
  email: string | null;
}

/** `expiresInMs`: how long the credential stays good (null: for ever; 0: used up by this check). */
type Verdict = { status: 200; profile: SocialProfile; expiresInMs: number | null } | { status: 401 | 503; error: string } | { status: 'slow' };

const UID = '([A-Za-z0-9_.~-]{1,128})';

function profileFor(provider: string, uid: string): SocialProfile {
  return { id: uid, name: `${provider} user ${uid}`, email: provider === 'xbox' ? null : `${uid}@${provider}.example` };
}

function decodeTicket(ticket: string | undefined): string | undefined {
  if (!ticket) return undefined;
  return Buffer.from(ticket, 'base64').toString('utf8');
}

/** The credential a network looks its account up by (a session ticket: what it decodes to). */
function primaryCredential(provider: string, req: VerifyRequest): string | undefined {
  if (provider === 'steam' || provider === 'xbox') return decodeTicket(req.ticket);
  return provider === 'epicgames' ? req.code : req.access_token;
}

/** The account a credential one of the test-account APIs issued proves, or undefined when it is refused. */
function recordedAccountOf(provider: string, req: VerifyRequest, uid: string, companion: string | undefined): string | undefined {
  switch (provider) {
    case 'steam':
      return req.app_id !== undefined && STEAM_APP_IDS.includes(req.app_id) ? uid : undefined;
    case 'epicgames':
      return req.deployment_id === undefined || EPIC_DEPLOYMENT_IDS.includes(req.deployment_id) ? uid : undefined;
    case 'twitter':
      return req.access_token_secret === companion ? uid : undefined;
    case 'wechat':
      return req.openid === companion ? uid : undefined;
    default:
      return uid;
  }
}

/** The account id a template-minted credential proves, or undefined when the network would refuse it. */
function accountOf(provider: string, req: VerifyRequest): string | undefined {
  const own = (value: string | undefined, prefix: string): string | undefined =>
    value === undefined ? undefined : new RegExp(`^${prefix}-${UID}$`).exec(value)?.[1];
  switch (provider) {
    case 'steam':
      return req.app_id !== undefined && STEAM_APP_IDS.includes(req.app_id) ? own(decodeTicket(req.ticket), 'sim-steam') : undefined;
    case 'xbox':
      return own(decodeTicket(req.ticket), 'sim-xbox');
    case 'epicgames':
      return req.deployment_id === undefined || EPIC_DEPLOYMENT_IDS.includes(req.deployment_id) ? own(req.code, 'sim-epicgames') : undefined;
    default: {
      const uid = own(req.access_token, `sim-${provider}`);
      if (uid === undefined) return undefined;
      if (provider === 'twitter' && req.access_token_secret !== `sim-secret-${uid}`) return undefined;
      if (provider === 'wechat' && req.openid !== `sim-openid-${uid}`) return undefined;
      return uid;
    }
  }
}

const REFUSED = { status: 401, error: 'invalid credentials' } as const;

export function judge(provider: string, req: VerifyRequest, options: FakeNetworkOptions, lifetimes: CredentialLifetimes): Verdict {
  if (options.outage.has('all') || options.outage.has(provider)) return { status: 503, error: 'service unavailable' };
  const credential = primaryCredential(provider, req);
  const record = lifetimes.recorded(provider, credential);
  const uid = record ? recordedAccountOf(provider, req, record.uid, record.companion) : accountOf(provider, req);
  if (uid === undefined || credential === undefined) return REFUSED;
  if (uid.startsWith('outage')) return { status: 503, error: 'service unavailable' };
  if (uid.startsWith('slow')) return { status: 'slow' };
  // A template-minted credential counts as issued when the networks started (credential-lifetimes.ts).
  const alive = lifetimes.check(provider, credential, record?.issuedAtMs ?? lifetimes.startedAtMs);
  // Expired or spent: refused exactly as a credential the network never knew.
  if (!alive.ok) return REFUSED;
  return { status: 200, profile: profileFor(provider, uid), expiresInMs: alive.expiresInMs };
}

/** The networks' state and judgement, without the HTTP server (the server below, and unit tests, use it). */
export function fakeNetworkState(options: FakeNetworkOptions, origin: () => string): { lifetimes: CredentialLifetimes; apis: TestAccountApis } {
  const lifetimes = new CredentialLifetimes({
    tokenTtlSeconds: options.tokenTtlSeconds ?? null,
    epicCodesSingleUse: options.epicCodesSingleUse ?? false,
    now: options.now ?? Date.now,
  });
  return { lifetimes, apis: new TestAccountApis(lifetimes, { facebookTestUsersPaused: options.facebookTestUsersPaused ?? false }, origin) };
}

export async function startFakeNetworks(options: FakeNetworkOptions): Promise<{ origin: string; server: Server }> {
  let origin = '';
  const { lifetimes, apis } = fakeNetworkState(options, () => origin);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const api = apis.handle(req, new URL(req.url ?? '/', 'http://fake-networks.invalid'));
      if (api) {
        res.writeHead(api.status, { 'content-type': 'application/json', ...api.headers });
        res.end(JSON.stringify(api.body));
        return;
      }
      const provider = (req.url ?? '').split('/')[1] ?? '';
      let body: VerifyRequest = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as VerifyRequest;
      } catch {
        body = {};
      }
      const verdict = judge(provider, body, options, lifetimes);
      const answer = (): void => {
        if (res.destroyed) return;
        if (verdict.status === 'slow') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(profileFor(provider, 'slow')));
          return;
        }
        res.writeHead(verdict.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(verdict.status === 200 ? { ...verdict.profile, ...(verdict.expiresInMs !== null ? { expires_in_ms: verdict.expiresInMs } : {}) } : { error: verdict.error }));
      };
      const delay = options.latencyMs + (verdict.status === 'slow' ? options.slowMs : 0);
      if (delay > 0) setTimeout(answer, delay).unref();
      else answer();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  return { origin, server };
}
