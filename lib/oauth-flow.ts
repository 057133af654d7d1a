import type { ApiClient } from './api-client.ts';
import type { Exchange } from './exchange.ts';
import { loginUrlOf } from './matchers.ts';
import type { OAuthClient } from './profile.ts';

/**
 * Finishing an OAuth 2.0 sign-in: the `code` from the login URL is exchanged at POST /oauth2/token
 * ("Generate JWT", form-encoded, RFC 6749 §4.1.3) for the user's JWT.
 */

export function codeFrom(x: Exchange): string {
  const url = loginUrlOf(x);
  const code = url === undefined ? null : new URL(url).searchParams.get('code');
  if (!code) throw new Error(`no code in the login URL (status ${x.status})\n  reproduce: ${x.curl}`);
  return code;
}

export function exchangeCode(api: ApiClient, client: OAuthClient, code: string, redirectUri: string): Promise<Exchange> {
  return api.call('oauthToken', {
    form: {
      grant_type: 'authorization_code',
      client_id: String(client.clientId),
      client_secret: client.clientSecret,
      redirect_uri: redirectUri,
      code,
    },
  });
}
