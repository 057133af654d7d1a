import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A lock shared by every worker process on this machine, for tests that use one shared resource of the target
 * (the isolated rate-limit bucket, an account a test signs out, the file of consumed accounts): Playwright may
 * run two tests that need it on two workers at once. `mkdir` is atomic, so it is the lock; the holder's pid is
 * written inside, so a lock left by a crashed worker is broken at once rather than after `staleMs`.
 */
export interface LockOptions {
  /** Give up waiting after this long. */
  timeoutMs?: number;
  /** A lock older than this was left by a crashed holder and is broken. */
  staleMs?: number;
}

export type Release = () => Promise<void>;

export function lockPath(name: string): string {
  return join(tmpdir(), `login-harness-lock-${createHash('sha1').update(name).digest('hex').slice(0, 16)}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the lock at `path` was left behind: its holder's process is gone, or it is older than `staleMs`. */
async function isStale(path: string, staleMs: number): Promise<boolean> {
  const owner = Number(await readFile(join(path, 'owner'), 'utf8').catch(() => ''));
  if (Number.isInteger(owner) && owner > 0 && !alive(owner)) return true;
  const age = await stat(path).then((s) => Date.now() - s.mtimeMs, () => 0);
  return age > staleMs;
}

/** Takes the lock if it is free (or stale) right now; undefined when another holder has it. */
export async function tryFileLock(name: string, options: LockOptions = {}): Promise<Release | undefined> {
  const path = lockPath(name);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await mkdir(path);
      await writeFile(join(path, 'owner'), String(process.pid));
      return () => rm(path, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (!(await isStale(path, options.staleMs ?? 60_000))) return undefined;
      await rm(path, { recursive: true, force: true });
    }
  }
  return undefined;
}

/** Waits for the lock; the caller releases it. */
export async function acquireFileLock(name: string, options: LockOptions = {}): Promise<Release> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const release = await tryFileLock(name, options);
    if (release) return release;
    if (Date.now() > deadline) throw new Error(`lock "${name}" (${lockPath(name)}) still held after ${timeoutMs} ms`);
    await sleep(25);
  }
}

export async function withFileLock<T>(name: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const release = await acquireFileLock(name, options);
  try {
    return await fn();
  } finally {
    await release();
  }
}
