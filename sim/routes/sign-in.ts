import { randomBytes } from 'node:crypto';
import { ApiError } from '../api-error.ts';
import type { SimContext } from '../context.ts';
import type { SocialProfile, VerifyRequest } from '../social/fake-networks.ts';
import type { AuthorizationCode, UserRecord } from '../state.ts';
import { stableSub, type TokenIdentity } from '../tokens.ts';

/** The steps every sign-in shares: ask the social network, find or create the user, issue a code. */

export async function verifyWithNetwork(ctx: SimContext, provider: string, credential: VerifyRequest): Promise<SocialProfile> {
  const result = await ctx.verifier.verify(provider, credential);
  if (result.ok) return result.profile;
  throw new ApiError(result.reason === 'rejected' ? 'socialTokenRejected' : 'socialNetworkUnavailable', { provider });
}

export interface SignedInUser {
  record: UserRecord;
  identity: TokenIdentity;
}

/** Finds the user of this social account in the project, creating it unless `noUserCreation` forbids it. */
export function signInUser(ctx: SimContext, projectId: string, provider: string, profile: SocialProfile, noUserCreation = false): SignedInUser {
  const sub = stableSub(projectId, provider, profile.id);
  let record = ctx.state.users.get(sub);
  if (!record) {
    if (noUserCreation) throw new ApiError('userNotFound', { reason: 'no_user_creation is true and the user does not exist' });
    record = { sub, activeFromSession: 0 };
    ctx.state.users.set(sub, record);
  }
  return { record, identity: { sub, projectId, provider, socialId: profile.id, email: profile.email, name: profile.name } };
}

export function issueCode(ctx: SimContext, grant: AuthorizationCode): string {
  const code = ctx.options.codeEncoding === 'base64' ? randomBytes(32).toString('base64') : randomBytes(24).toString('base64url');
  ctx.state.codes.set(code, grant);
  return code;
}
