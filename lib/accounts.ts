import { randomUUID } from 'node:crypto';
import { isCrossAuthPlatform, type CrossAuthPlatform } from '../contract/index.ts';
import { canMint, mintAccount, profileAccount } from './credentials.ts';
import type { PlatformAccount, SocialAccount, TargetProfile } from './profile.ts';

/**
 * Accounts for a test and how they go on the wire. On a target that can mint accounts (the simulator) every
 * call gives a fresh one, so parallel tests never share a user; on a real target the profile's accounts are
 * used, and a test whose provider has none is skipped with that reason (never silently, never on the simulator).
 */

export type Skip = (reason: string) => never;

export interface SocialBody {
  access_token: string;
  access_token_secret?: string;
  openid?: string;
}

export function socialBody(account: SocialAccount): SocialBody {
  return {
    access_token: account.accessToken,
    ...(account.accessTokenSecret !== undefined ? { access_token_secret: account.accessTokenSecret } : {}),
    ...(account.openid !== undefined ? { openid: account.openid } : {}),
  };
}

/** The query parameters a platform account sends to cross_auth. */
export function platformQuery(account: PlatformAccount): Record<string, string> {
  const out: Record<string, string> = {};
  if (account.sessionTicket !== undefined) out.session_ticket = account.sessionTicket;
  if (account.appId !== undefined) out.app_id = account.appId;
  if (account.code !== undefined) out.code = account.code;
  if (account.deploymentId !== undefined) out.deployment_id = account.deploymentId;
  return out;
}

export const isPlatform = isCrossAuthPlatform;

export class Accounts {
  private readonly newUsersTaken = new Map<string, number>();

  constructor(private readonly profile: TargetProfile, private readonly skip: Skip) {}

  private missing(provider: string, what: string): never {
    const reason = `no ${what} for ${provider} in target profile "${this.profile.name}"`;
    // The simulator's profile must have everything: a gap there is a harness bug, not a reason to skip.
    if (this.profile.kind === 'simulator') throw new Error(`${reason}: the simulator profile must cover every provider`);
    return this.skip(reason);
  }

  /** A social account (fresh when the target can mint one); skips on a real target without one. */
  social(provider: string): SocialAccount {
    const account = canMint(this.profile, provider) ? mintAccount(this.profile, provider) : profileAccount(this.profile, provider);
    return (account as SocialAccount | undefined) ?? this.missing(provider, 'credentials');
  }

  /**
   * An account this test may sign out everywhere (with_logout=1): a minted one, or a profile account when the
   * profile allows logging out shared accounts.
   */
  ownSocial(provider: string): SocialAccount {
    if (canMint(this.profile, provider)) return mintAccount(this.profile, provider) as SocialAccount;
    if (!this.profile.intrusive.logoutSharedAccounts) {
      return this.skip(`with_logout=1 would sign out a shared ${provider} account of "${this.profile.name}"; set intrusive.logoutSharedAccounts to allow it`);
    }
    return (profileAccount(this.profile, provider) as SocialAccount | undefined) ?? this.missing(provider, 'credentials');
  }

  /** A provider of the profile's matrix this test can sign in with, for rules that do not depend on the provider. */
  anySocial(): { provider: string; account: SocialAccount } {
    for (const provider of this.profile.providers) {
      if (isPlatform(provider)) continue;
      if (canMint(this.profile, provider) || profileAccount(this.profile, provider)) return { provider, account: this.social(provider) };
    }
    return this.missing('any provider', 'social credentials');
  }

  /** A platform account that may already have a Login user. */
  platform(platform: CrossAuthPlatform): PlatformAccount {
    const account = canMint(this.profile, platform) ? mintAccount(this.profile, platform) : profileAccount(this.profile, platform);
    return (account as PlatformAccount | undefined) ?? this.missing(platform, 'credentials');
  }

  /** A platform account that has never signed in to the project (used once: signing in creates the user). */
  newPlatformUser(platform: CrossAuthPlatform): PlatformAccount {
    if (canMint(this.profile, platform)) return mintAccount(this.profile, platform) as PlatformAccount;
    const list = this.profile.newPlatformUsers[platform] ?? [];
    const index = this.newUsersTaken.get(platform) ?? 0;
    this.newUsersTaken.set(platform, index + 1);
    return list[index] ?? this.missing(platform, 'unused platform accounts (newPlatformUsers)');
  }

  /** A token the social network refuses. */
  rejectedToken(): string {
    return this.profile.rejectedCredentialTemplate?.replaceAll('{id}', randomUUID()) ?? `rejected-${randomUUID()}`;
  }
}
