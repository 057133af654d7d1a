import type { IncomingMessage } from 'node:http';
import { ApiError } from '../api-error.ts';
import type { SimContext } from '../context.ts';
import type { Answer } from '../http-io.ts';

/** GET /users/me: 200 only for a token that is genuine, unexpired and still active (not logged out by with_logout=1). */
export async function usersMe(ctx: SimContext, req: IncomingMessage): Promise<Answer> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!bearer) throw new ApiError('unauthorized', { reason: 'Authorization: Bearer <JWT> is required' }, { 'www-authenticate': 'Bearer' });
  const verified = await ctx.issuer.verify(bearer[1]!);
  if (!verified) throw new ApiError('unauthorized', { reason: 'invalid or expired token' }, { 'www-authenticate': 'Bearer error="invalid_token"' });
  const sub = String(verified.claims.sub);
  const user = ctx.state.users.get(sub);
  if (user && verified.session < user.activeFromSession) {
    throw new ApiError('unauthorized', { reason: 'token was deactivated' }, { 'www-authenticate': 'Bearer error="invalid_token"' });
  }
  const c = verified.claims as Record<string, unknown>;
  return {
    status: 200,
    body: { id: sub, username: c.username ?? null, name: c.name ?? null, email: c.email ?? null, provider: c.provider, project_id: c.xsolla_login_project_id },
  };
}
