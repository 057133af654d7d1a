import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { shardOf } from '../reports/build.ts';
import { collectGlobalAttachments } from '../reports/global-attachments.ts';

test('the coverage table is only about a conformance run: without one, no table and no note', () => {
  const dir = mkdtempSync(join(tmpdir(), 'global-attachments-'));
  const notes = collectGlobalAttachments(join(dir, 'results'), join(dir, 'attachments'), process.env, false);
  assert.deepEqual(notes, []);
  assert.deepEqual(readdirSync(join(dir, 'attachments')), []);
  assert.ok(!existsSync(join(dir, 'attachments', 'coverage.md')));
});

test("a run's record names its shard only when it was one shard of the conformance suite", () => {
  const m = (stage: string, shard: string | null) => ({ stage, shard, outcome: 'ran' as const, reason: null, seconds: 1, counts: { passed: 1, failed: 0, broken: 0, skipped: 0, unknown: 0 }, environment: {} });
  assert.deepEqual(shardOf([m('conformance', '2/3'), m('e2e', null)]), { Shard: '2/3' });
  assert.deepEqual(shardOf([m('conformance', '1/3'), m('conformance', '2/3'), m('conformance', '3/3')]), {}, "CI's report job: every shard, the whole suite");
  assert.deepEqual(shardOf([m('conformance', null), m('load', null)]), {});
  assert.deepEqual(shardOf([m('load', null)]), {});
});
