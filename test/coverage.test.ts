import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { computeCoverage, coverageItems, readCoveredLabels, renderCoverageTable, uncovered } from '../lib/coverage.ts';
import { loadProfile } from '../lib/profile.ts';
import { DOCUMENTED_ENDPOINTS } from '../contract/index.ts';

const profile = loadProfile();

test('every documented parameter, provider and status is an item', () => {
  const items = coverageItems(profile.expectations);
  for (const endpoint of DOCUMENTED_ENDPOINTS) {
    for (const p of endpoint.params) assert.ok(items.some((i) => i.endpoint === endpoint.id && i.item === `${p.in}.${p.name}`), `${endpoint.id} ${p.name}`);
    for (const s of endpoint.statuses) assert.ok(items.some((i) => i.endpoint === endpoint.id && i.item === `status ${s}`));
  }
  assert.ok(items.some((i) => i.endpoint === 'jwtLogin' && i.item === 'provider battlenet'));
  assert.ok(items.some((i) => i.endpoint === 'crossAuth' && i.item === 'provider epicgames'));
});

test('a status no applicable case of the target answers is not required; one that is, is', () => {
  const items = coverageItems(profile.expectations);
  const crossAuth400 = items.find((i) => i.endpoint === 'crossAuth' && i.item === 'status 400')!;
  assert.match(crossAuth400.notApplicable ?? '', /no case/);
  // A target that answers invalid parameters with 400 must show the 400 of cross_auth.
  const stricter = { ...profile.expectations, invalidParameter: { status: [400], code: null } };
  assert.equal(coverageItems(stricter).find((i) => i.endpoint === 'crossAuth' && i.item === 'status 400')!.notApplicable, null);
  assert.equal(items.find((i) => i.endpoint === 'jwtLogin' && i.item === 'status 429')!.notApplicable, null);
});

test('only passed tests of the latest run count; anything uncovered is listed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'coverage-test-'));
  const result = (name: string, status: string, run: string, covers: string[]) =>
    writeFileSync(join(dir, `${name}-result.json`), JSON.stringify({ status, labels: [{ name: 'harnessRun', value: run }, ...covers.map((value) => ({ name: 'covers', value }))] }));
  result('a', 'passed', '2000', ['jwtLogin query.state', 'jwtLogin status 200']);
  result('b', 'failed', '2000', ['jwtLogin query.payload']);
  result('c', 'passed', '1000', ['jwtLogin query.with_logout']);
  writeFileSync(join(dir, 'd-result.json'), '{"half written');
  const { counts, runId, tests } = readCoveredLabels(dir);
  assert.equal(runId, '2000');
  assert.equal(tests, 1);
  assert.equal(counts.get('jwtLogin status 200'), 1);
  assert.equal(counts.get('jwtLogin query.payload'), undefined, 'a failed test proves nothing');
  assert.equal(counts.get('jwtLogin query.with_logout'), undefined, 'an older run does not count');
  assert.equal(readCoveredLabels(dir, true).counts.get('jwtLogin query.with_logout'), 1, 'every run counts when asked (shards of one job)');
  const coverage = computeCoverage(coverageItems(profile.expectations), counts);
  const missing = uncovered(coverage).map((c) => `${c.endpoint} ${c.item}`);
  assert.ok(missing.includes('jwtLogin query.payload'));
  assert.ok(!missing.includes('jwtLogin status 200'));
  assert.match(renderCoverageTable(coverage), /\*\*UNCOVERED\*\*/);
});
