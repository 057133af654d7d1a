import { createHash } from 'node:crypto';
import { mkdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A lock shared by every worker process on this machine, for tests that use one shared resource of the target
 * (the isolated rate-limit bucket): Playwright may run repeats of the same test on two workers at once, and two
 * tests draining one bucket would each see the other's 429s. `mkdir` is atomic, so it is the lock.
 */
export interface LockOptions {
  /** Give up waiting after this long. */
  timeoutMs?: number;
  /** A lock older than this was left by a crashed holder and is broken. */
  staleMs?: number;
}

export function lockPath(name: string): string {
  return join(tmpdir(), `login-harness-lock-${createHash('sha1').update(name).digest('hex').slice(0, 16)}`);
}

export async function withFileLock<T>(name: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const path = lockPath(name);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const staleMs = options.staleMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await mkdir(path);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = await stat(path).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > staleMs) {
        await rm(path, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`lock "${name}" (${path}) still held after ${timeoutMs} ms`);
      await sleep(25);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(path, { recursive: true, force: true });
  }
}
