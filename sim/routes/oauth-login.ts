import type { IncomingMessage } from 'node:http';
import type { SimContext } from '../context.ts';
import { readJsonObject, type Answer, type Params } from '../http-io.ts';
import type { SimClient } from '../seed.ts';
import { issueCode, signInUser, verifyWithNetwork } from './sign-in.ts';

/** The OAuth 2.0 query both social-token calls share: client, response_type, state, redirect_uri, scope. */
export function readOAuthQuery(ctx: SimContext, query: Params): { client: SimClient; state: string; redirectUri: string; scope: string[] } {
  const { rules } = ctx;
  const client = rules.client(query.get('client_id'), ctx.world);
  rules.rateLimit(ctx.limiter.take(`client:${client.clientId}`, ctx.limitFor(ctx.world.projects.get(client.projectId)!)));
  rules.responseType(query.get('response_type'));
  const state = rules.state(query.get('state'));
  const redirectUri = rules.redirectUri(client, query.get('redirect_uri'));
  const scope = rules.scope(query.get('scope'));
  return { client, state, redirectUri, scope };
}

/** POST /oauth2/social/{provider_name}/login_with_token: answers `{login_url}` (contract/documents/oauth2-login-with-token.md). */
export async function oauthLogin(ctx: SimContext, req: IncomingMessage, providerName: string, query: Params): Promise<Answer> {
  const provider = ctx.rules.socialProvider(providerName);
  const body = await readJsonObject(req, ctx.options.maxBodyBytes);
  const { client, state, redirectUri, scope } = readOAuthQuery(ctx, query);
  const credential = ctx.rules.socialCredential(provider, body);

  const profile = await verifyWithNetwork(ctx, provider, credential);
  const { identity } = signInUser(ctx, client.projectId, provider, profile);
  const code = issueCode(ctx, {
    clientId: client.clientId, redirectUri, identity, scope, audience: undefined,
  });
  return { status: 200, body: { login_url: ctx.rules.loginUrl(redirectUri, code, state) } };
}
