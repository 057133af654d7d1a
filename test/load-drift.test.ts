import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { analyseDrift, windowMetricName, windowOf } from '../load/lib/drift.ts';
import type { K6Summary } from '../load/lib/summary.ts';

const windows = (p95s: (number | null)[]): Record<string, { values: Record<string, number> }> =>
  Object.fromEntries(p95s.flatMap((v, i) => (v === null ? [] : [[windowMetricName(i), { values: { 'p(95)': v } }]])));

test('requests fall into equal windows; the graceful stop lands in the last', () => {
  assert.equal(windowOf(0, 100, 10), 0);
  assert.equal(windowOf(9_999, 100, 10), 0);
  assert.equal(windowOf(10_000, 100, 10), 1);
  assert.equal(windowOf(105_000, 100, 10), 9);
});

test('a steady p95 is no drift; a growing one beyond the ratio and the floor is', () => {
  assert.equal(analyseDrift(windows([20, 22, 21, 20, 19, 23, 21, 20, 22, 21]), 10, 2).ok, true);
  const grows = analyseDrift(windows([20, 22, 21, 40, 60, 90, 120, 150, 180, 200]), 10, 2);
  assert.equal(grows.ok, false);
  assert.equal(grows.start, 21);
  assert.equal(grows.end, 180);
  assert.match(grows.reason, /x8\.57/);
});

test('a large ratio of tiny latencies is not drift (below the floor); warm-up is not drift either', () => {
  assert.equal(analyseDrift(windows([2, 2, 2, 3, 4, 5, 6, 7, 8, 9]), 10, 2).ok, true);
  assert.equal(analyseDrift(windows([400, 300, 200, 50, 50, 50, 50, 50, 50, 50]), 10, 2).ok, true);
});

test('windows without requests: no verdict pretends to measure drift', () => {
  const empty = analyseDrift(windows([null, null, null, 5, 5, 5, null, null, null, null]), 10, 2);
  assert.equal(empty.ok, false);
  assert.match(empty.reason, /no drift can be measured/);
});

test('recorded soak run against the simulator: the script\'s verdict is recomputed from its summary', () => {
  const summary = JSON.parse(readFileSync(new URL('./fixtures/load/soak.summary.json', import.meta.url), 'utf8')) as K6Summary;
  const drift = analyseDrift(summary.metrics, summary.harness!.soak!.windows, summary.harness!.soak!.maxDriftRatio);
  assert.deepEqual(drift.p95ByWindow, summary.harness!.soak!.p95ByWindow);
  assert.equal(drift.ok, true);
});
