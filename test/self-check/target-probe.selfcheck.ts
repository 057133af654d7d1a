import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { probeTarget } from '../../lib/target-probe.ts';

test('a target that answers anything is reachable', async () => {
  const server = createServer((_req, res) => res.writeHead(404).end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  try {
    assert.deepEqual(await probeTarget(`http://127.0.0.1:${port}/api`, 1000), { ok: true, status: 404 });
  } finally {
    server.close();
  }
});

test('nothing listening: unreachable at once, with the reason', async () => {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  const started = Date.now();
  const result = await probeTarget(`http://127.0.0.1:${port}/api`, 1000);
  assert.equal(result.ok, false);
  assert.match((result as { reason: string }).reason, /ECONNREFUSED/);
  assert.ok(Date.now() - started < 3000);
});

test('a server that accepts but never answers is given up on within the probe\'s bound', async () => {
  const server = createServer(() => {
    /* never answers */
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const started = Date.now();
  try {
    const result = await probeTarget(`http://127.0.0.1:${port}/api`, 300);
    assert.equal(result.ok, false);
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});
