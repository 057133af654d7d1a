import { randomUUID } from 'node:crypto';
import type { Account, TargetProfile, Template } from './profile.ts';

/**
 * Credentials for a test: the profile's accounts, or, on a target with a test social network (the simulator),
 * a freshly minted account, so tests that change a user (with_logout, no_user_creation) never share one.
 */

function fill(template: Template, id: string): string {
  if (typeof template === 'string') return template.replaceAll('{id}', id);
  return Buffer.from(template.base64.replaceAll('{id}', id), 'utf8').toString('base64');
}

export function canMint(profile: TargetProfile, provider: string): boolean {
  return profile.credentialTemplates[provider] !== undefined;
}

/** A new account nobody has used; undefined when the target cannot mint one. */
export function mintAccount(profile: TargetProfile, provider: string, id: string = randomUUID().replaceAll('-', '')): Account | undefined {
  const templates = profile.credentialTemplates[provider];
  if (!templates) return undefined;
  const account: Record<string, string> = {};
  for (const [field, template] of Object.entries(templates)) account[field] = fill(template, id);
  return account as Account;
}

/** The accounts any number of tests may use (not marked singleUse). */
export const reusableAccounts = <T extends Account>(list: readonly T[]): T[] => list.filter((a) => a.singleUse !== true);

/** The accounts marked singleUse: each is given to one test only (lib/account-lease.ts takeUnused). */
export const singleUseAccounts = <T extends Account>(list: readonly T[]): T[] => list.filter((a) => a.singleUse === true);

/**
 * The profile's n-th reusable account of a provider (wrapping), or undefined when it has none. Single-use accounts
 * and those of a perTest source are never handed out here: lib/accounts.ts takes them, one test each.
 */
export function profileAccount(profile: TargetProfile, provider: string, index = 0): Account | undefined {
  const list = reusableAccounts(profile.credentials[provider] ?? []);
  return list.length === 0 ? undefined : list[index % list.length];
}

/** A fresh account where the target can mint one, else the profile's. */
export function accountFor(profile: TargetProfile, provider: string, index = 0): Account | undefined {
  return mintAccount(profile, provider) ?? profileAccount(profile, provider, index);
}

/** Whether tests can get an account of `provider`: minted, listed, or printed by a credential source at run time. */
export function hasAccounts(profile: TargetProfile, provider: string): boolean {
  return canMint(profile, provider) || (profile.credentials[provider]?.length ?? 0) > 0 || profile.sources.credentials[provider] !== undefined;
}
