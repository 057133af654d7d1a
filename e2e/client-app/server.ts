import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeJwt } from 'jose';
import { CROSS_AUTH_PLATFORMS } from '../../contract/index.ts';
import type { TargetProfile } from '../../lib/profile.ts';
import type { ClientAppPlan } from './plan.ts';

/**
 * The game's web client the browser flows drive: static pages plus the game's own small backend. The pages call
 * the Login API straight from the browser (cross-origin, as Xsolla's browser SDKs do); the backend does the one
 * thing a page must never do itself, the code exchange (`POST /oauth2/token` with the client secret), and keeps
 * the resulting JWT in a server-side session so neither the secret nor the OAuth token ever reaches the page.
 */

const PUBLIC_DIR = join(dirname(fileURLToPath(import.meta.url)), 'public');
const STATIC: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/silent': { file: 'silent.html', type: 'text/html; charset=utf-8' },
  '/jwt': { file: 'jwt.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};
const SESSION_COOKIE = 'game_sid';
const MAX_SESSIONS = 10_000;
const MAX_BODY_BYTES = 16 * 1024;

/** What the pages may know: no secret in it. */
export interface PublicConfig {
  loginApi: string;
  projectId: string;
  clientId: number;
  callbackUri: string;
  silentCallbackUri: string;
  providers: string[];
  platforms: readonly string[];
}

interface Session {
  accessToken: string;
  sub: string;
}

export interface RunningClientApp {
  origin: string;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error('body too large');
    chunks.push(chunk);
  }
  const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('body must be a JSON object');
  return parsed as Record<string, unknown>;
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/** The Login server's answer, as the backend passes it on to the page: status and JSON body (or null). */
async function readAnswer(response: Response): Promise<{ status: number; body: unknown }> {
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) };
  } catch {
    return { status: response.status, body: null };
  }
}

export async function startClientApp(profile: TargetProfile, plan: ClientAppPlan, listen: { host?: string; port?: number } = {}): Promise<RunningClientApp> {
  const client = profile.oauth[plan.client];
  const config: PublicConfig = {
    loginApi: profile.baseUrl,
    projectId: profile.projectId,
    clientId: client.clientId,
    callbackUri: plan.callbackUri,
    silentCallbackUri: plan.silentCallbackUri,
    providers: profile.providers,
    platforms: CROSS_AUTH_PLATFORMS,
  };
  const callbackPaths = new Set([new URL(plan.callbackUri).pathname, new URL(plan.silentCallbackUri).pathname]);
  const registered = new Set([plan.callbackUri, plan.silentCallbackUri]);
  const sessions = new Map<string, Session>();
  const timeout = (): AbortSignal => AbortSignal.timeout(profile.timeouts.requestMs);

  /** POST /backend/exchange {code, redirect_uri}: the code exchange, done here because it needs the client secret. */
  async function exchange(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJson(req);
    const code = typeof body.code === 'string' ? body.code : '';
    const redirectUri = typeof body.redirect_uri === 'string' ? body.redirect_uri : '';
    if (!code || !registered.has(redirectUri)) return send(res, 400, { error: 'code and one of the registered redirect_uri values are required' });
    const form = new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: String(client.clientId),
      client_secret: client.clientSecret,
      redirect_uri: redirectUri,
      code,
    });
    const answer = await readAnswer(await fetch(`${profile.baseUrl}/oauth2/token`, { method: 'POST', body: form, signal: timeout() }));
    const accessToken = (answer.body as { access_token?: unknown } | null)?.access_token;
    if (answer.status !== 200 || typeof accessToken !== 'string') {
      return send(res, 502, { error: 'code exchange failed', login: answer });
    }
    const sub = String(decodeJwt(accessToken).sub ?? '');
    const sid = randomBytes(24).toString('base64url');
    if (sessions.size >= MAX_SESSIONS) sessions.delete(sessions.keys().next().value!);
    sessions.set(sid, { accessToken, sub });
    send(res, 200, { sub }, { 'set-cookie': `${SESSION_COOKIE}=${sid}; HttpOnly; SameSite=Lax; Path=/` });
  }

  /** GET /backend/me: uses the session's JWT against `GET /users/me`, the way the game checks a player is still signed in. */
  async function me(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const session = sessions.get(cookie(req, SESSION_COOKIE) ?? '');
    if (!session) return send(res, 401, { error: 'no session' });
    const answer = await readAnswer(await fetch(`${profile.baseUrl}/users/me`, { headers: { authorization: `Bearer ${session.accessToken}` }, signal: timeout() }));
    const id = (answer.body as { id?: unknown } | null)?.id;
    send(res, 200, { sub: session.sub, login: { status: answer.status, id: typeof id === 'string' ? id : null } });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', plan.origin);
    if (req.method === 'GET' && url.pathname === '/health') {
      // `?loginApi=` asks "are you the client app of this target?": another run's app (another target) answers
      // 404, so Playwright never reuses it and reports the port as taken instead.
      const asked = url.searchParams.get('loginApi');
      return send(res, asked === null || asked === profile.baseUrl ? 200 : 404, { status: 'ok', loginApi: profile.baseUrl });
    }
    if (req.method === 'GET' && url.pathname === '/config.json') return send(res, 200, config);
    if (req.method === 'POST' && url.pathname === '/backend/exchange') return exchange(req, res);
    if (req.method === 'GET' && url.pathname === '/backend/me') return me(req, res);
    const page = callbackPaths.has(url.pathname) ? { file: 'callback.html', type: 'text/html; charset=utf-8' } : STATIC[url.pathname];
    if (req.method === 'GET' && page) {
      res.writeHead(200, {
        'content-type': page.type,
        'cache-control': 'no-store',
        // The callback URL carries the code: never leak it to another origin through Referer.
        'referrer-policy': 'no-referrer',
      });
      return void res.end(readFileSync(join(PUBLIC_DIR, page.file)));
    }
    send(res, 404, { error: 'not found' });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // Never echo the error: it could carry a code or token. The status tells the page the backend failed.
      if (!res.headersSent) send(res, 500, { error: 'client app backend error', kind: (error as Error).name });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port ?? plan.port, listen.host ?? plan.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${listen.host ?? plan.host}:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
