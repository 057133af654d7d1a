import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { tryFileLock, withFileLock, type Release } from './file-lock.ts';
import type { Account, TargetProfile } from './profile.ts';

/**
 * Accounts of a real target that two tests must never hold at once. Two kinds:
 *
 * - one-shot accounts (`newPlatformUsers`): signing in creates the user, so the account is new once. Each is given
 *   to one test only, across workers AND runs: taking it records it in a state file beside the profile
 *   (`.state/<profile file>.consumed.json`, git-ignored), keyed by target (base URL + project) and by a hash of the
 *   account (never the secret itself). When every listed account is recorded, the caller skips, saying so.
 * - accounts whose state a test changes (with_logout=1 signs the user out everywhere): leased for the length of the
 *   test, across workers, by a lock per account in the system temp folder; a second such test waits for it.
 *
 * The simulator mints a fresh account per test and never comes here.
 */

/** Identifies an account without keeping its secret: a short hash of its fields. */
export function accountKey(provider: string, account: Account): string {
  const fields = Object.entries(account).sort(([a], [b]) => a.localeCompare(b));
  return createHash('sha256').update(JSON.stringify([provider, fields])).digest('hex').slice(0, 24);
}

/** The target as far as users are concerned: the same project on the same server has the same users. */
export const targetKey = (profile: TargetProfile): string => `${profile.baseUrl} ${profile.projectId}`;

/** Where a profile's consumed one-shot accounts are recorded: `.state/` beside the profile file. */
export function consumedStatePath(profile: Pick<TargetProfile, 'path'>): string {
  return join(dirname(profile.path), '.state', `${basename(profile.path)}.consumed.json`);
}

interface ConsumedEntry {
  provider: string;
  /** Position in the profile's list when it was taken, to help a person find it. */
  index: number;
  at: string;
  test: string;
}
type ConsumedState = { targets: Record<string, Record<string, ConsumedEntry>> };

async function readState(file: string): Promise<ConsumedState> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (text === undefined) return { targets: {} };
  try {
    const parsed = JSON.parse(text) as ConsumedState;
    if (parsed && typeof parsed.targets === 'object') return parsed;
  } catch {
    // fall through: a damaged file must not silently give out used accounts again
  }
  throw new Error(`${file} is not a consumed-accounts file; fix or delete it (deleting makes every newPlatformUsers account count as new again)`);
}

async function writeState(file: string, state: ConsumedState): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(state, null, 2)}\n`);
  await rename(temp, file);
}

export type Taken<T> = { account: T } | { reason: string };

/** Playwright's `--shard current/total` (testInfo.config.shard). */
export interface Shard {
  current: number;
  total: number;
}

/**
 * The positions of `list` this shard may take. Shards of one run may run on separate machines that see neither each
 * other's locks nor each other's state files, so one-shot accounts are split between them: shard k of n takes the
 * accounts at positions k-1, k-1+n, ... and two shards never take the same new user.
 */
export function shardPositions(length: number, shard: Shard | null | undefined): number[] {
  const all = Array.from({ length }, (_, i) => i);
  if (!shard || shard.total <= 1) return all;
  return all.filter((i) => i % shard.total === shard.current - 1);
}

/**
 * Takes the first account of `list` no test of any run has taken on this target, and records it as taken. Recorded
 * before the test signs in: a test that fails halfway may already have created the user, so it is never offered again.
 */
export async function takeUnused<T extends Account>(
  profile: TargetProfile, provider: string, list: readonly T[], test: string, what: string, shard?: Shard | null,
): Promise<Taken<T>> {
  const file = consumedStatePath(profile);
  const positions = shardPositions(list.length, shard);
  const ofShard = shard && shard.total > 1 ? ` (shard ${shard.current}/${shard.total} takes every ${shard.total}th, starting at position ${shard.current})` : '';
  return withFileLock(`consumed ${file}`, async () => {
    const state = await readState(file);
    const used = (state.targets[targetKey(profile)] ??= {});
    const index = positions.find((i) => used[accountKey(provider, list[i]!)] === undefined);
    if (index === undefined) {
      return {
        reason: positions.length === 0
          ? `no ${what} for ${provider} in target profile "${profile.name}"${ofShard}: list accounts that have never signed in to this project`
          : `all ${positions.length} ${what} for ${provider} in target profile "${profile.name}"${ofShard} have been used (a new user is new once): ` +
            `list fresh ones, or delete ${file} if the server has forgotten them`,
      };
    }
    used[accountKey(provider, list[index]!)] = { provider, index, at: new Date().toISOString(), test };
    await writeState(file, state);
    return { account: list[index]! };
  });
}

export interface Lease<T> {
  account: T;
  release: Release;
}

/**
 * Holds one of `candidates` for this test alone, across workers: the first free one, else waits for one (the
 * holders are tests of a few seconds). Fails after `timeoutMs`, naming what it waited for.
 */
export async function leaseExclusive<T extends Account>(profile: TargetProfile, provider: string, candidates: readonly T[], timeoutMs = 20_000): Promise<Lease<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const account of candidates) {
      // A test may hold a lease for longer than a minute: only a dead holder makes one stale.
      const release = await tryFileLock(`account ${targetKey(profile)} ${accountKey(provider, account)}`, { staleMs: 30 * 60_000 });
      if (release) return { account, release };
    }
    if (Date.now() > deadline) {
      throw new Error(`every ${provider} account that tests may sign out (${candidates.length}) of target "${profile.name}" was still held by another test after ${timeoutMs} ms`);
    }
    await sleep(50);
  }
}
