import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { acquireFileLock, lockPath, tryFileLock, withFileLock } from '../../lib/file-lock.ts';

test('holders never overlap', async () => {
  const name = `unit-${process.pid}-${Date.now()}`;
  let inside = 0;
  let maxInside = 0;
  await Promise.all(
    Array.from({ length: 5 }, () =>
      withFileLock(name, async () => {
        inside++;
        maxInside = Math.max(maxInside, inside);
        await sleep(20);
        inside--;
      }),
    ),
  );
  assert.equal(maxInside, 1);
});

test('a lock left by a crashed holder is broken once stale; a live one times out with its name', async () => {
  const name = `unit-stale-${process.pid}-${Date.now()}`;
  mkdirSync(lockPath(name));
  const old = new Date(Date.now() - 120_000);
  utimesSync(lockPath(name), old, old);
  assert.equal(await withFileLock(name, async () => 'ran', { staleMs: 60_000 }), 'ran');

  const held = `unit-held-${process.pid}-${Date.now()}`;
  await withFileLock(held, async () => {
    await assert.rejects(withFileLock(held, async () => 'never', { timeoutMs: 100 }), /still held after 100 ms/);
  });
});

test('a lock whose holder process has died is broken at once, however young', async () => {
  const name = `unit-dead-${process.pid}-${Date.now()}`;
  const dead = spawnSync(process.execPath, ['-e', '']).pid!;
  mkdirSync(lockPath(name));
  writeFileSync(join(lockPath(name), 'owner'), String(dead));
  const release = await tryFileLock(name, { staleMs: 60 * 60_000 });
  assert.ok(release, 'the dead holder\'s lock was broken');
  assert.equal(await tryFileLock(name), undefined, 'and it is ours now: a live holder keeps it');
  await release();
  const again = await acquireFileLock(name, { timeoutMs: 1000 });
  await again();
});
