import { randomUUID } from 'node:crypto';
import { isCrossAuthPlatform, type CrossAuthPlatform } from '../contract/index.ts';
import { leaseExclusive, takeUnused, type Lease, type Shard } from './account-lease.ts';
import { refreshIfStale, takeFromSource } from './credential-sources.ts';
import { canMint, mintAccount, reusableAccounts, singleUseAccounts } from './credentials.ts';
import type { Release } from './file-lock.ts';
import type { Account, PlatformAccount, SocialAccount, TargetProfile } from './profile.ts';

/**
 * Accounts for a test and how they go on the wire. On a target that can mint accounts (the simulator) every
 * call gives a fresh one, so parallel tests never share a user; on a real target the profile's accounts are
 * used, and a test whose provider has none is skipped with that reason (never silently, never on the simulator).
 * On a real target, accounts a test uses up or signs out are handed out exclusively (lib/account-lease.ts); an
 * account list written as a credential source gives the accounts its command printed (lib/credential-sources.ts), a
 * `perTest` one a fresh account per call (a `once` one's accounts fetched again when they are due to expire); a list the run cannot use (its source failed, or its first account was
 * refused before the suites: lib/credential-check.ts) has the test skipped with that reason.
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

/**
 * A profile account of `provider` that this test may sign out everywhere (with_logout=1), leased to it alone, or
 * the reason there is none. Never the provider's first account: that one is shared by the tests that expect their
 * sessions to stay active (with_logout=0, GET /users/me after a sign-in), which a concurrent sign-out would break.
 */
export async function leaseLogoutAccount(profile: TargetProfile, provider: string, waited?: (ms: number) => void): Promise<Lease<Account> | { reason: string }> {
  if (!profile.intrusive.logoutSharedAccounts) {
    return { reason: `with_logout=1 would sign out a shared ${provider} account of "${profile.name}"; set intrusive.logoutSharedAccounts to allow it` };
  }
  const list = reusableAccounts(profile.credentials[provider] ?? []);
  if (list.length < 2) {
    return {
      reason: `with_logout=1 needs a ${provider} account that only such tests use: target "${profile.name}" lists ${list.length} under ` +
        `credentials.${provider}, and the first is shared by tests that expect their sessions to stay active; list a second one`,
    };
  }
  return leaseExclusive(profile, provider, list.slice(1), undefined, waited);
}

export class Accounts {
  private readonly leases: Release[] = [];
  private defaultUsed: string | undefined;

  /**
   * `test` names the test in the record of consumed accounts; `shard` is Playwright's --shard of this run; `waited`
   * hears how long a lease kept the test waiting (the fixture adds it to the test's timeout).
   */
  constructor(
    private readonly profile: TargetProfile,
    private readonly skip: Skip,
    private readonly test = '',
    private readonly shard: Shard | null = null,
    private readonly waited?: (ms: number) => void,
  ) {}

  /** The profile's account list `section.provider` cannot be used this run: the test is skipped, saying why. */
  private async checkAvailable(section: 'credentials' | 'newPlatformUsers', provider: string): Promise<void> {
    // A once source whose accounts are due to be fetched again (they expire during the run) is run again first.
    await refreshIfStale(this.profile, section, provider);
    const reason = this.profile.unavailable[`${section}.${provider}`];
    if (reason !== undefined) this.skip(reason);
  }

  /**
   * A profile account of `provider` (no minting): a fresh one from a `perTest` source; else the first reusable one
   * (shared by every test that does not sign it out); else a single-use one no test of any run has taken, recorded as
   * taken; undefined when the profile has none.
   */
  private async profileAccount(provider: string): Promise<Account | undefined> {
    await this.checkAvailable('credentials', provider);
    const source = this.profile.sources.credentials[provider];
    if (source?.run === 'perTest') {
      const taken = await takeFromSource(this.profile, source);
      return 'account' in taken ? taken.account : this.skip(taken.reason);
    }
    const list = this.profile.credentials[provider] ?? [];
    const shared = reusableAccounts(list)[0];
    if (shared) return shared;
    const once = singleUseAccounts(list);
    if (once.length === 0) return undefined;
    const taken = await takeUnused(this.profile, provider, once, this.test, 'single-use accounts (singleUse)', this.shard);
    return 'account' in taken ? taken.account : this.skip(taken.reason);
  }

  private missing(provider: string, what: string): never {
    const reason = `no ${what} for ${provider} in target profile "${this.profile.name}"`;
    // The simulator's profile must have everything: a gap there is a harness bug, not a reason to skip.
    if (this.profile.kind === 'simulator') throw new Error(`${reason}: the simulator profile must cover every provider`);
    return this.skip(reason);
  }

  /**
   * A social account (fresh when the target can mint one). On a real target it is the provider's FIRST account,
   * which every test shares and no test signs out (with_logout=1 takes the others: see ownSocial).
   */
  async social(provider: string): Promise<SocialAccount> {
    const account = canMint(this.profile, provider) ? mintAccount(this.profile, provider) : await this.profileAccount(provider);
    return (account as SocialAccount | undefined) ?? this.missing(provider, 'credentials');
  }

  /**
   * Two different accounts of `provider` (two minted, or the profile's first two reusable ones, or two taken from its
   * source or single-use accounts), or the reason there are not two.
   */
  async twoSocial(provider: string): Promise<[SocialAccount, SocialAccount] | { reason: string }> {
    if (canMint(this.profile, provider)) return [mintAccount(this.profile, provider) as SocialAccount, mintAccount(this.profile, provider) as SocialAccount];
    await this.checkAvailable('credentials', provider);
    const reusable = reusableAccounts(this.profile.credentials[provider] ?? []);
    if (reusable.length >= 2) return [reusable[0] as SocialAccount, reusable[1] as SocialAccount];
    if (this.profile.sources.credentials[provider]?.run === 'perTest' || (reusable.length === 0 && singleUseAccounts(this.profile.credentials[provider] ?? []).length > 0)) {
      const first = await this.social(provider);
      return [first, await this.social(provider)];
    }
    return { reason: `profile "${this.profile.name}" has one ${provider} account only` };
  }

  /**
   * An account this test may sign out everywhere (with_logout=1), held by this test alone until it ends: a minted
   * one, or, when the profile allows logging out its accounts, one of the provider's accounts after the first (the
   * first is shared by tests that expect their sessions to stay active, so it is never signed out).
   */
  async ownSocial(provider: string): Promise<SocialAccount> {
    if (canMint(this.profile, provider)) return mintAccount(this.profile, provider) as SocialAccount;
    await this.checkAvailable('credentials', provider);
    // An account from a perTest source, or a single-use one, is this test's alone already.
    const list = this.profile.credentials[provider] ?? [];
    if (this.profile.sources.credentials[provider]?.run === 'perTest' || (reusableAccounts(list).length === 0 && singleUseAccounts(list).length > 0)) {
      return (await this.profileAccount(provider)) as SocialAccount;
    }
    const lease = await leaseLogoutAccount(this.profile, provider, this.waited);
    if ('reason' in lease) return this.skip(lease.reason);
    this.leases.push(lease.release);
    return lease.account as SocialAccount;
  }

  /**
   * The provider and shared account of tests whose rule does not depend on the provider: the profile's
   * defaultProvider (or the first provider of `providers` with accounts), recorded for the report.
   */
  async anySocial(): Promise<{ provider: string; account: SocialAccount }> {
    const provider = this.profile.defaultProvider;
    if (provider === undefined) return this.missing('any provider', 'social credentials');
    this.defaultUsed = provider;
    return { provider, account: await this.social(provider) };
  }

  /** The provider anySocial() chose in this test, if it was called (the report shows it). */
  get defaultProviderUsed(): string | undefined {
    return this.defaultUsed;
  }

  /** A platform account that may already have a Login user. */
  async platform(platform: CrossAuthPlatform): Promise<PlatformAccount> {
    const account = canMint(this.profile, platform) ? mintAccount(this.profile, platform) : await this.profileAccount(platform);
    return (account as PlatformAccount | undefined) ?? this.missing(platform, 'credentials');
  }

  /**
   * A platform account that has never signed in to the project, for this test alone (signing in creates the user,
   * so it is new once): minted, or the first of the profile's newPlatformUsers no test of any run has taken.
   */
  async newPlatformUser(platform: CrossAuthPlatform): Promise<PlatformAccount> {
    return (await this.newPlatformUserCredentials(platform))[0]!;
  }

  /**
   * The credentials of one platform user that has never signed in to the project, for this test alone: the first is
   * what newPlatformUser() gives; a test that signs the user in again takes the next for each sign-in (a credential
   * that works once, such as an Epic exchange code, is spent by the first). Several only where the profile can give
   * them: a perTest source of newPlatformUsers that printed a list (credentials of one user); else one.
   */
  async newPlatformUserCredentials(platform: CrossAuthPlatform): Promise<PlatformAccount[]> {
    if (canMint(this.profile, platform)) return [mintAccount(this.profile, platform) as PlatformAccount];
    // A platform whose account was refused before the suites has all its tests skipped (its new users were written or
    // fetched alike, and a no_user_creation test signing in with a dead one would fail for the wrong reason).
    const refused = this.profile.unavailable[`credentials.${platform}`];
    if (refused !== undefined) this.skip(refused);
    await this.checkAvailable('newPlatformUsers', platform);
    // A perTest source prints a user that has never signed in, for this test alone: nothing to record.
    const source = this.profile.sources.newPlatformUsers[platform];
    if (source?.run === 'perTest') {
      const fresh = await takeFromSource(this.profile, source);
      return 'accounts' in fresh ? (fresh.accounts as PlatformAccount[]) : this.skip(fresh.reason);
    }
    const taken = await takeUnused(this.profile, platform, this.profile.newPlatformUsers[platform] ?? [], this.test, 'unused platform accounts (newPlatformUsers)', this.shard);
    return 'account' in taken ? [taken.account] : this.skip(taken.reason);
  }

  /**
   * Whether `account` of `platform` may not be shown twice: marked singleUse, or an Epic Games exchange code the
   * harness did not mint (Epic's exchange codes work once, and a Login server spends one exchanging it with Epic
   * whatever it answers). A minted account comes from the simulator's profile, whose codes are reusable unless the
   * simulator was started with --epic-codes-single-use.
   */
  worksOnce(platform: string, account: Account): boolean {
    return account.singleUse === true || (platform === 'epicgames' && !canMint(this.profile, platform));
  }

  /** Ends this test's leases (the fixture calls it when the test ends). */
  async release(): Promise<void> {
    await Promise.all(this.leases.splice(0).map((release) => release()));
  }

  /** A token the social network refuses. */
  rejectedToken(): string {
    return this.profile.rejectedCredentialTemplate?.replaceAll('{id}', randomUUID()) ?? `rejected-${randomUUID()}`;
  }
}
