import type { IncomingMessage } from 'node:http';
import type { SimContext } from '../context.ts';
import { readJsonObject, type Answer, type Params } from '../http-io.ts';
import { signInUser, verifyWithNetwork } from './sign-in.ts';

/** POST /social/{provider_name}/login_with_token: answers `{token}` (contract/documents/jwt-login-with-token.md). */
export async function jwtLogin(ctx: SimContext, req: IncomingMessage, providerName: string, query: Params): Promise<Answer> {
  const { rules } = ctx;
  const provider = rules.socialProvider(providerName);
  const body = await readJsonObject(req, ctx.options.maxBodyBytes);
  const project = rules.project(query.get('projectId'), ctx.world);
  rules.rateLimit(ctx.limiter.take(`project:${project.projectId}`, ctx.limitFor(project)));
  const withLogout = rules.withLogout(query.get('with_logout'));
  const payload = rules.payload(query.get('payload'));
  const credential = rules.socialCredential(provider, body);

  const profile = await verifyWithNetwork(ctx, provider, credential);
  const { record, identity } = signInUser(ctx, project.projectId, provider, profile);
  const session = ctx.state.nextSession();
  // with_logout=1: every token issued before this one stops being active; the new one is.
  if (withLogout) record.activeFromSession = session;
  const token = await ctx.issuer.sign(identity, session, { payload });
  return { status: 200, body: { token } };
}
