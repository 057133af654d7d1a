import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApiError, fail } from '../api-error.ts';
import type { SimContext } from '../context.ts';
import { readForm, Params, type Answer } from '../http-io.ts';
import type { SimClient } from '../seed.ts';
import type { RefreshGrant } from '../state.ts';

/**
 * POST /oauth2/token ("Generate JWT"): the code exchange and the refresh, form-encoded as RFC 6749 §4.1.3 and §6
 * describe. Not on the four pages; the flows need it to finish.
 */

function authenticateClient(ctx: SimContext, req: IncomingMessage, form: Params): SimClient {
  let id = form.get('client_id');
  let secret = form.get('client_secret');
  const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (basic) {
    const [user, pass] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':');
    id ??= user ? decodeURIComponent(user) : undefined;
    secret ??= pass ? decodeURIComponent(pass) : undefined;
  }
  if (id === undefined) fail('missingParameter', { parameter: 'client_id' });
  const client = ctx.world.clients.get(Number(id));
  if (!client || !/^\d+$/.test(id!) || secret !== client.clientSecret) fail('invalidClient', {});
  return client!;
}

async function tokenAnswer(ctx: SimContext, grant: RefreshGrant): Promise<Answer> {
  const session = ctx.state.nextSession();
  const access = await ctx.issuer.sign(grant.identity, session, {
    scope: grant.scope,
    audience: grant.audience,
    sessionTicket: grant.scope.includes('playfab') ? `sim-playfab-${grant.identity.sub}` : undefined,
  });
  const body: Record<string, unknown> = { access_token: access, token_type: 'bearer', expires_in: ctx.options.tokenTtlSeconds };
  if (grant.scope.length > 0) body.scope = grant.scope.join(' ');
  if (grant.scope.includes('offline')) {
    const refresh = randomBytes(32).toString('base64url');
    ctx.state.refreshTokens.set(refresh, grant);
    body.refresh_token = refresh;
  }
  return { status: 200, body };
}

export async function oauthToken(ctx: SimContext, req: IncomingMessage): Promise<Answer> {
  const form = new Params(await readForm(req, ctx.options.maxBodyBytes));
  const grantType = form.get('grant_type');
  if (grantType === undefined || grantType === '') fail('missingParameter', { parameter: 'grant_type' });
  if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
    fail('invalidParameter', { parameter: 'grant_type', reason: 'must be authorization_code or refresh_token' });
  }
  const client = authenticateClient(ctx, req, form);
  ctx.rules.rateLimit(ctx.limiter.take(`client:${client.clientId}`, ctx.limitFor(ctx.world.projects.get(client.projectId)!)));

  if (grantType === 'refresh_token') {
    const token = form.get('refresh_token');
    if (!token) fail('missingParameter', { parameter: 'refresh_token' });
    const grant = ctx.state.takeRefreshToken(token!);
    if (!grant || grant.clientId !== client.clientId) throw new ApiError('invalidGrant', { grant_type: 'refresh_token' });
    return tokenAnswer(ctx, grant);
  }

  const code = form.get('code');
  if (!code) fail('missingParameter', { parameter: 'code' });
  const redirectUri = form.get('redirect_uri');
  // Taking the code burns it, whatever follows: a code is good for exactly one attempt (RFC 6749 §4.1.2).
  const grant = ctx.rules.redeemCode(ctx.state, code!);
  if (!grant) throw new ApiError('invalidGrant', { reason: 'unknown, used or expired code' });
  if (grant.clientId !== client.clientId) throw new ApiError('invalidGrant', { reason: 'code was issued to another client' });
  if (redirectUri !== grant.redirectUri) throw new ApiError('invalidGrant', { reason: 'redirect_uri differs from the one the code was issued for' });
  const { redirectUri: _bound, ...rest } = grant;
  return tokenAnswer(ctx, rest);
}
