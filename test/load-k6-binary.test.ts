import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { findK6, K6_INSTALL_URL, k6MissingReason, K6NotFoundError } from '../load/run/k6-binary.ts';

function fakeK6(): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'k6bin-'));
  const path = join(dir, 'k6');
  writeFileSync(path, '#!/bin/sh\necho k6\n');
  chmodSync(path, 0o755);
  return { dir, path };
}

test('K6_BIN wins; then k6 on PATH', () => {
  const { dir, path } = fakeK6();
  assert.equal(findK6({ K6_BIN: path, PATH: '' }), path);
  assert.equal(findK6({ PATH: `/nonexistent:${dir}` }), path);
});

test('no k6: the message says so and how to install it', () => {
  assert.throws(() => findK6({ PATH: '/nonexistent' }), (error: Error) => {
    assert.ok(error instanceof K6NotFoundError);
    assert.match(error.message, /no k6 on PATH/);
    assert.ok(error.message.includes(K6_INSTALL_URL));
    assert.match(error.message, /K6_BIN=/);
    return true;
  });
  assert.match(k6MissingReason({ PATH: '' })!, /Install k6/);
});

test('a K6_BIN that is not executable is named', () => {
  assert.throws(() => findK6({ K6_BIN: '/nonexistent/k6', PATH: '' }), /K6_BIN=\/nonexistent\/k6 is not an executable file/);
  assert.equal(k6MissingReason({ K6_BIN: fakeK6().path }), null);
});
