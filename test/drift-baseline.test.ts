import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { chooseBaseline, comparedParts, covers, describeScope, scopeKey, scopeOf, type Candidate, type RunScope } from '../lib/drift/baseline.ts';
import { ANSWERS_PARAMETER, encodeAnswers, noteExpectationCase } from '../lib/drift/answers.ts';
import { RECORD_FORMAT, type RunFacts, type RunRecord } from '../lib/drift/record.ts';
import { loadProfile } from '../lib/profile.ts';
import type { K6Summary } from '../load/lib/summary.ts';
import { convertSummary } from '../load/report/summary-to-allure.ts';
import { runDriftStep } from '../reports/drift/step.ts';
import { exchange } from './drift-helpers.ts';

/** Which earlier run a run is compared with (any subset of stages, a shard, a load-only run), and what both have. */

const scope = (over: Partial<RunScope>): RunScope => ({ suites: [], shard: null, load: [], ...over });

function record(date: string, over: { tests?: string[]; load?: string[]; shard?: string; id?: string }): RunRecord {
  return {
    format: RECORD_FORMAT,
    run: { id: over.id ?? date, date, commit: 'c', target: { name: 'Staging', baseUrl: 'http://127.0.0.1:1/api' }, stages: [], ...(over.shard ? { shard: over.shard } : {}) },
    tests: Object.fromEntries((over.tests ?? []).map((id) => [id, { result: 'passed', answers: [{ endpoint: 'jwtLogin', method: 'POST', status: 200, errorCode: null, shape: '{}', count: 1, expectationCase: null }] }])),
    latency: {},
    load: Object.fromEntries((over.load ?? []).map((s) => [s, { p95: 10, p99: 20, failedRate: 0 }])),
    rateLimit: null,
    expectations: {},
  };
}
const candidate = (r: RunRecord): Candidate => ({ record: r, path: `${r.run.date}.run.json` });

describe('the scope of a run and the baseline it is compared with', () => {
  it('reads the suites, the shard and the load scripts from the record; names it; keys a file by it', () => {
    const s = scopeOf(record('2026-01-01', { tests: ['conformance/a.spec.ts › x', 'e2e/b.spec.ts › y'], load: ['smoke'], shard: '2/3' }));
    assert.deepEqual(s, { suites: ['conformance', 'e2e'], shard: '2/3', load: ['smoke'] });
    assert.equal(describeScope(s), 'conformance (shard 2/3), e2e and load script smoke');
    assert.equal(scopeKey(s), 'conformance-shard-2-of-3+e2e+load-smoke');
    assert.equal(scopeKey(scope({ load: ['throughput'] })), 'load-throughput');
  });

  it('a record covers a run when it has every suite and load script of it; a shard is covered by the whole suite or the same shard', () => {
    const full = scope({ suites: ['conformance', 'e2e'], load: ['smoke'] });
    assert.ok(covers(full, scope({ suites: ['e2e'] })));
    assert.ok(covers(full, scope({ suites: ['conformance'], shard: '1/3' })));
    assert.ok(!covers(full, scope({ load: ['throughput'] })), 'a full run with smoke has no throughput figures');
    assert.ok(!covers(scope({ suites: ['conformance'], shard: '1/3' }), scope({ suites: ['conformance'] })), 'a shard does not cover the whole suite');
    assert.ok(!covers(scope({ suites: ['conformance'], shard: '1/3' }), scope({ suites: ['conformance'], shard: '2/3' })));
    assert.ok(covers(scope({ suites: ['conformance'], shard: '1/3' }), scope({ suites: ['conformance'], shard: '1/3' })));
    assert.ok(covers(scope({ suites: ['conformance'], shard: '1/3' }), scope({ load: [] })), 'the shard rule is about the suites only');
  });

  it('the baseline of a load-only run is the last record with those load scripts; a full run after it is still compared with the last full run', () => {
    const fullOld = record('2026-01-01', { tests: ['conformance/a.spec.ts › x'], load: ['smoke'] });
    const loadOld = record('2026-01-02', { load: ['throughput'] });
    const fullNew = record('2026-01-03', { tests: ['conformance/a.spec.ts › x'], load: ['smoke'] });
    const loadNew = record('2026-01-04', { load: ['throughput', 'ratelimit'] });
    const kept = [fullOld, loadOld, fullNew, loadNew].map(candidate);
    assert.equal(chooseBaseline(kept, scope({ load: ['throughput'] }))?.record, loadNew, 'the latest with throughput');
    assert.equal(chooseBaseline(kept, scope({ load: ['throughput', 'ratelimit'] }))?.record, loadNew);
    assert.equal(chooseBaseline(kept.slice(0, 3), scope({ load: ['throughput', 'ratelimit'] }))?.record, loadOld, 'none has both: the latest that shares one');
    assert.equal(chooseBaseline(kept, scope({ suites: ['conformance'], load: ['smoke'] }))?.record, fullNew, 'not the later load-only run');
    assert.equal(chooseBaseline(kept, scope({ suites: ['e2e'] })), null, 'nothing in common: first run of its kind');
    assert.equal(chooseBaseline([], scope({ load: ['smoke'] })), null);
  });

  it('compares only what both runs have', () => {
    const base = record('2026-01-01', { tests: ['conformance/a.spec.ts › x', 'conformance/b.spec.ts › y'], load: ['smoke'] });
    const run = record('2026-01-02', { tests: ['conformance/a.spec.ts › x', 'e2e/c.spec.ts › z'], load: ['smoke', 'throughput'] });
    assert.deepEqual(comparedParts(base, run), { tests: 1, endpoints: 0, load: ['smoke'], rateLimit: false });
  });
});

/** k6's summary of a server `addedMs` slower: every latency figure moves by that much. */
function slower(summary: K6Summary, addedMs: number): K6Summary {
  const copy = structuredClone(summary) as K6Summary & { metrics: Record<string, { values?: Record<string, number> }> };
  for (const [name, metric] of Object.entries(copy.metrics)) {
    if (!name.startsWith('http_req_duration') || !metric.values) continue;
    for (const key of Object.keys(metric.values)) if (key.startsWith('p(') || key === 'med' || key === 'avg') metric.values[key]! += addedMs;
  }
  return copy;
}

describe('the drift step on a load-only run', () => {
  const throughput = JSON.parse(readFileSync('test/fixtures/load/throughput.summary.json', 'utf8')) as K6Summary;
  const facts = (id: string, date: string): RunFacts => ({ id, date, commit: 'c', target: { name: 'Staging', baseUrl: 'http://127.0.0.1:8787/api' }, stages: ['load'] });
  const profile = loadProfile('targets/simulator.json');
  const step = (history: string, results: string, id: string, date: string, baseline?: string) =>
    runDriftStep({ resultsDir: results, historyDir: history, profile: { ...profile, name: 'Staging' }, facts: facts(id, date) }, { learn: false, force: false, strict: false, ...(baseline ? { baseline } : {}) });
  const loadRun = (dir: string, summary: K6Summary): string => {
    mkdirSync(dir, { recursive: true });
    convertSummary({ summary, resultsDir: dir });
    return dir;
  };

  it('records a load-only run, compares the next one with it, and fails on a k6 p95 regression; an unchanged server gives 0 changes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'drift-load-only-'));
    const history = join(dir, 'history');
    const first = step(history, loadRun(join(dir, 'r1'), throughput), 'r1', '2026-01-01T00:00:00Z');
    assert.match(first.lines[0]!, /first run on Staging with load script throughput: this run is the baseline of the next/);
    assert.ok(first.record && existsSync(join(history, 'staging.run.json')) && existsSync(join(history, 'staging.runs', 'load-throughput.run.json')));
    assert.ok(!first.lines.some((l) => l.startsWith('Learned:') || l.startsWith('Expectations:')), 'no learned file from a run without answers');

    const same = step(history, loadRun(join(dir, 'r2'), throughput), 'r2', '2026-01-02T00:00:00Z', 'previous');
    assert.equal(same.changes.length, 0);
    assert.match(same.lines[0]!, /against the previous run on Staging with load script throughput .*: 0 changes$/);
    assert.match(same.lines[1]!, /compared: k6 latency of throughput\.ts/);

    const slow = step(history, loadRun(join(dir, 'r3'), slower(throughput, 300)), 'r3', '2026-01-03T00:00:00Z', 'previous');
    assert.ok(slow.changes.length > 0 && slow.changes.every((c) => c.kind === 'load latency' && c.failing), JSON.stringify(slow.changes.map((c) => c.title)));
    assert.match(slow.lines.join('\n'), /FAIL  load latency: throughput\.ts \w+ p95 [\d.]+ → [\d.]+ ms/);
    const failedResults = readdirSync(join(dir, 'r3')).filter((f) => f.endsWith('-result.json')).map((f) => JSON.parse(readFileSync(join(dir, 'r3', f), 'utf8')) as { status: string; labels: { name: string; value: string }[] })
      .filter((r) => r.status === 'failed' && r.labels.some((l) => l.value === 'drift'));
    assert.equal(failedResults.length, slow.changes.length, 'each regression is a failed result: the gate fails');
  });

  it('a full run after a load-only run is compared with the last full run, and a load-only run never overwrites the learned file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'drift-mixed-'));
    const history = join(dir, 'history');
    const suites = join(dir, 'full');
    mkdirSync(suites, { recursive: true });
    const x = exchange({ status: 422 });
    noteExpectationCase(x, 'missingParameter');
    writeFileSync(join(suites, 'a-result.json'), JSON.stringify({
      uuid: 'a', status: 'passed', stop: 1, labels: [{ name: 'harnessRun', value: '1795945183406' }], fullName: 'conformance/jwt-login.spec.ts › a',
      parameters: [{ name: ANSWERS_PARAMETER, value: encodeAnswers([x]), mode: 'hidden', excluded: true }],
    }));
    step(history, suites, 'full-1', '2026-01-01T00:00:00Z');
    const load = runDriftStep({ resultsDir: loadRun(join(dir, 'l1'), throughput), historyDir: history, profile: { ...profile, name: 'Staging' }, facts: facts('load-1', '2026-01-02T00:00:00Z') }, { learn: true, force: false, strict: false });
    assert.ok(load.lines.includes('Learned:     nothing: this run has no answers of the suites to learn from (--learn needs the conformance or e2e stage)'), load.lines.join('\n'));
    const again = step(history, suites, 'full-2', '2026-01-03T00:00:00Z');
    assert.match(again.lines[0]!, /against the previous run on Staging with conformance \(.*staging\.runs\/conformance\.run\.json/);
    assert.match(again.lines[1]!, /compared: 1 test's answers/);
  });

  it('with --baseline <file> that shares nothing with the run, says that nothing was compared', () => {
    const dir = mkdtempSync(join(tmpdir(), 'drift-nothing-'));
    const history = join(dir, 'history');
    step(history, loadRun(join(dir, 'l1'), throughput), 'load-1', '2026-01-01T00:00:00Z');
    const file = join(dir, 'suites-only.run.json');
    writeFileSync(file, JSON.stringify(record('2026-01-01', { tests: ['conformance/a.spec.ts › x'] })));
    const outcome = step(history, loadRun(join(dir, 'l2'), throughput), 'load-2', '2026-01-02T00:00:00Z', file);
    assert.match(outcome.lines[1]!, /compared: nothing \(the two runs have no part in common\)/);
  });
});
