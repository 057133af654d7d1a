import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError } from './api-error.ts';
import { DEFAULT_OPTIONS, type SimContext, type SimOptions } from './context.ts';
import { preflightAnswer, withCors } from './cors.ts';
import { defectNamed, type Defect, type RouteId } from './defects.ts';
import { Params, send, type Answer } from './http-io.ts';
import { parseQuirkList, quirkNamed, redirectUrisWithQuirks, rulesWithQuirks, transformWithQuirks, wireOf } from './quirks.ts';
import { RateLimiter } from './rate-limiter.ts';
import { crossAuth } from './routes/cross-auth.ts';
import { jwtLogin } from './routes/jwt-login.ts';
import { oauthLogin } from './routes/oauth-login.ts';
import { oauthToken } from './routes/oauth-token.ts';
import { usersMe } from './routes/users-me.ts';
import { defaultRules, type World } from './rules.ts';
import { CLIENTS, PROJECTS } from './seed.ts';
import { startFakeNetworksThread } from './social/fake-networks-host.ts';
import { SocialVerifier } from './social/verifier.ts';
import { DEFAULT_STATE_LIMITS, SimState } from './state.ts';
import { TokenIssuer } from './tokens.ts';

export const BASE_PATH = '/api';

interface Route {
  id: RouteId;
  method: 'GET' | 'POST';
  pattern: RegExp;
  handle(ctx: SimContext, req: IncomingMessage, match: RegExpExecArray, query: Params): Promise<Answer>;
}

const segment = '([^/]+)';
const ROUTES: readonly Route[] = [
  { id: 'jwtLogin', method: 'POST', pattern: new RegExp(`^/social/${segment}/login_with_token$`), handle: (c, r, m, q) => jwtLogin(c, r, decode(m[1]!), q) },
  { id: 'oauthLogin', method: 'POST', pattern: new RegExp(`^/oauth2/social/${segment}/login_with_token$`), handle: (c, r, m, q) => oauthLogin(c, r, decode(m[1]!), q) },
  { id: 'crossAuth', method: 'GET', pattern: new RegExp(`^/oauth2/social/${segment}/cross_auth$`), handle: (c, _r, m, q) => crossAuth(c, decode(m[1]!), q) },
  { id: 'oauthToken', method: 'POST', pattern: /^\/oauth2\/token$/, handle: (c, r) => oauthToken(c, r) },
  { id: 'usersMe', method: 'GET', pattern: /^\/users\/me$/, handle: (c, r) => usersMe(c, r) },
];

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value; // not valid percent-encoding: left as is, so it names no provider and gets the 404
  }
}

export interface RunningSimulator {
  /** e.g. http://127.0.0.1:8787/api */
  url: string;
  /** The fake social networks' origin, e.g. http://127.0.0.1:40123 (their test-account APIs answer there). */
  socialUrl: string;
  port: number;
  close(): Promise<void>;
}

function route(path: string, method: string): { route: Route; match: RegExpExecArray } | { allow: string[] } | null {
  const allow: string[] = [];
  for (const candidate of ROUTES) {
    const match = candidate.pattern.exec(path);
    if (!match) continue;
    if (candidate.method === method) return { route: candidate, match };
    allow.push(candidate.method);
  }
  return allow.length > 0 ? { allow } : null;
}

export async function startSimulator(overrides: Partial<SimOptions> = {}): Promise<RunningSimulator> {
  const defect: Defect | null = overrides.defect ? defectNamed(overrides.defect) : null;
  const quirkNames = parseQuirkList(overrides.quirks ?? []);
  const quirks = quirkNames.map(quirkNamed);
  const options: SimOptions = { ...DEFAULT_OPTIONS, ...overrides, quirks: quirkNames, ...Object.assign({}, ...quirks.map((q) => q.options)), ...defect?.options };
  // Quirks wrap the documented rules (a conforming variation); a defect then swaps one rule for a broken one.
  const rules = { ...rulesWithQuirks(defaultRules, quirks, options), ...defect?.rules };
  const wire = wireOf(quirks);
  const fake = await startFakeNetworksThread({
    latencyMs: options.socialLatencyMs,
    outage: new Set(options.socialOutage),
    slowMs: options.socialSlowMs,
    tokenTtlSeconds: options.socialTokenTtlSeconds,
    epicCodesSingleUse: options.epicCodesSingleUse,
    facebookTestUsersPaused: options.facebookTestUsersPaused,
  });
  const world: World = {
    projects: new Map(PROJECTS.map((p) => [p.projectId, p])),
    clients: new Map(CLIENTS.map((c) => [c.clientId, { ...c, redirectUris: redirectUrisWithQuirks(c.redirectUris, quirks) }])),
  };
  const ctx: SimContext = {
    rules,
    world,
    state: new SimState({ ...DEFAULT_STATE_LIMITS, codeTtlSeconds: options.codeTtlSeconds }),
    issuer: new TokenIssuer(options.tokenTtlSeconds, rules.jwtClaims, { algorithm: options.jwtAlgorithm, issuer: options.jwtIssuer }),
    verifier: new SocialVerifier(fake.origin, options.socialTimeoutMs, options.socialCacheTtlSeconds * 1000),
    limiter: new RateLimiter(options.limiter),
    options,
    limitFor(project) {
      if (project.ratePerSecond !== null) return rules.limit({ ratePerSecond: project.ratePerSecond, burst: project.burst ?? project.ratePerSecond });
      if (options.rateLimit === null) return rules.limit(null);
      return rules.limit({ ratePerSecond: options.rateLimit, burst: options.burst ?? Math.max(1, Math.ceil(options.rateLimit)) });
    },
  };

  async function answerFor(req: IncomingMessage): Promise<{ id: RouteId; answer: Answer }> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://simulator.invalid');
    } catch {
      return { id: 'other', answer: rules.errorAnswer(new ApiError('unknownRoute')) };
    }
    // social_url: where the fake networks and their test-account APIs answer, for credential sources to find.
    if (url.pathname === '/_sim/health') return { id: 'other', answer: { status: 200, body: { status: 'ok', defect: options.defect, quirks: options.quirks, social_url: fake.origin, rss_bytes: process.memoryUsage().rss } } };
    const path = url.pathname.startsWith(`${BASE_PATH}/`) ? url.pathname.slice(BASE_PATH.length) : null;
    // A browser's CORS preflight (see cors.ts): answered before routing, whatever the path's methods are.
    if (req.method === 'OPTIONS' && path !== null) return { id: 'other', answer: preflightAnswer() };
    // The public keys of asymmetric JWTs (a quirk mode signs ES256); an HS256 key is secret and never published.
    if (path === '/.well-known/jwks.json' && req.method === 'GET') {
      const jwks = await ctx.issuer.jwks();
      if (jwks) return { id: 'other', answer: { status: 200, body: jwks } };
    }
    const found = path === null ? null : route(path, req.method ?? 'GET');
    if (found === null) return { id: 'other', answer: rules.errorAnswer(new ApiError('unknownRoute', { path: url.pathname.slice(0, 200) })) };
    if ('allow' in found) {
      return { id: 'other', answer: rules.errorAnswer(new ApiError('wrongMethod', { allow: found.allow }, { allow: found.allow.join(', ') })) };
    }
    try {
      return { id: found.route.id, answer: await found.route.handle(ctx, req, found.match, new Params(url.searchParams)) };
    } catch (error) {
      if (error instanceof ApiError) return { id: found.route.id, answer: rules.errorAnswer(error) };
      throw error;
    }
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const { id, answer } = await answerFor(req);
      // --latency: the whole answer comes later, as from a slower server (the health check stays immediate).
      if (options.latencyMs > 0 && req.url?.startsWith(`${BASE_PATH}/`)) await new Promise((resolve) => setTimeout(resolve, options.latencyMs).unref());
      // Whatever the handler did not read is drained, so a refused request never leaves the socket stuck.
      if (!req.readableEnded) req.resume();
      // CORS after any defect transform: a defect mode breaks a rule, never the browser's access to the answer.
      const quirked = await transformWithQuirks(answer, id, quirks);
      send(res, withCors(defect?.transform ? await defect.transform(quirked, id) : quirked), wire, req);
    } catch (error) {
      // A bug in the simulator itself: reported honestly as a 500 (the fuzz tests prove this never happens).
      process.stderr.write(`simulator: internal error on ${req.method} ${(req.url ?? '').split('?')[0]}: ${(error as Error).stack}\n`);
      send(res, { status: 500, body: { error: { code: '000-500', description: 'Internal simulator error.' } } });
    }
  }

  const server: Server = createServer((req, res) => void onRequest(req, res));
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  // Requests Node's parser refuses (bad request line, oversized headers) still get the documented body.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || err.code === 'ECONNRESET') return socket.destroy();
    const body = JSON.stringify({ error: { code: '003-004', description: 'The request could not be read.' } });
    socket.end(`HTTP/1.1 400 Bad Request\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}${BASE_PATH}`,
    socialUrl: fake.origin,
    port,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await ctx.verifier.close();
      await fake.close();
    },
  };
}
