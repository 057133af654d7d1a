import { IS_REDIRECT_DEFAULT, NO_USER_CREATION_DEFAULT } from '../../contract/index.ts';
import type { SimContext } from '../context.ts';
import type { Answer, Params } from '../http-io.ts';
import { readOAuthQuery } from './oauth-login.ts';
import { issueCode, signInUser, verifyWithNetwork } from './sign-in.ts';

/** GET /oauth2/social/{steam|xbox|epicgames}/cross_auth: 302 with Location, or 200 `{login_url}` (contract/documents/oauth2-cross-auth.reference-page.txt). */
export async function crossAuth(ctx: SimContext, platformName: string, query: Params): Promise<Answer> {
  const { rules } = ctx;
  const platform = rules.crossAuthPlatform(platformName);
  const { client, state, redirectUri, scope } = readOAuthQuery(ctx, query);
  const isRedirect = rules.booleanParam('is_redirect', query.get('is_redirect'), IS_REDIRECT_DEFAULT);
  const noUserCreation = rules.booleanParam('no_user_creation', query.get('no_user_creation'), NO_USER_CREATION_DEFAULT);
  const audience = rules.audience(query.get('audience'));
  const credential = rules.platformCredential(platform, (name) => query.get(name));

  const profile = await verifyWithNetwork(ctx, platform, credential);
  const { identity } = signInUser(ctx, client.projectId, platform, profile, noUserCreation);
  const code = issueCode(ctx, {
    clientId: client.clientId, redirectUri, identity, scope, audience,
  });
  const loginUrl = rules.loginUrl(redirectUri, code, state);
  return isRedirect ? { status: 302, headers: { location: loginUrl } } : { status: 200, body: { login_url: loginUrl } };
}
