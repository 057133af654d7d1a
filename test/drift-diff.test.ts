import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ANSWER_CASES, type AnswerCase } from '../contract/index.ts';
import { diffRecords, type DiffOptions } from '../lib/drift/diff.ts';
import { RECORD_FORMAT, type AnswerRecord, type RunRecord } from '../lib/drift/record.ts';
import type { Expectation } from '../lib/profile.ts';
import { DEFAULT_REGRESSION, isRegression } from '../lib/slo.ts';
import { writeChangeResults } from '../reports/drift/changed-results.ts';
import { CATEGORY_NAMES, categoryOf } from '../reports/categories.ts';

/** What counts as a change, which changes fail, and how they reach the report. */

const pinned = (status: number, code: string): Expectation => ({ status: [status], code });
const SIM_EXPECTATIONS = Object.fromEntries(ANSWER_CASES.map((c) => [c, pinned(422, '003-003')])) as Record<AnswerCase, Expectation>;
const LOOSE = Object.fromEntries(ANSWER_CASES.map((c) => [c, { status: [400, 401, 404, 422], code: null }])) as Record<AnswerCase, Expectation>;

const answer = (over: Partial<AnswerRecord> = {}): AnswerRecord => ({
  endpoint: 'jwtLogin', method: 'POST', status: 422, errorCode: '003-003', shape: '{error:{code:s,description:s}}', count: 1, expectationCase: 'missingParameter',
  curl: "curl -X POST 'http://127.0.0.1:9999/api/social/facebook/login_with_token'", ...over,
});

function record(answers: Record<string, AnswerRecord[]>, latency: RunRecord['latency'] = {}, baseUrl = 'http://127.0.0.1:9999/api'): RunRecord {
  return {
    format: RECORD_FORMAT,
    run: { id: 'r', date: '2026-11-29T00:00:00Z', commit: 'c', target: { name: 'sim', baseUrl }, stages: ['conformance'] },
    tests: Object.fromEntries(Object.entries(answers).map(([id, a]) => [id, { result: 'passed', answers: a }])),
    latency,
    load: {},
    rateLimit: null,
    expectations: {},
  };
}

const options = (over: Partial<DiffOptions> = {}): DiffOptions => ({ expectations: SIM_EXPECTATIONS, regression: DEFAULT_REGRESSION, strict: false, ...over });
const stats = (p10: number, p50: number, p95: number, n = 100) => ({ n, p10, p50, p95, p99: p95 });

describe('diffing two run records', () => {
  it('a run compared with itself has no change', () => {
    const r = record({ t1: [answer(), answer({ status: 200, errorCode: null, shape: '{token:s}', expectationCase: null })] }, { jwtLogin: stats(5, 20, 300) });
    assert.deepEqual(diffRecords(r, structuredClone(r), options()), []);
  });

  it('a sustained limit that moved beyond 10% is shown as a change; within 10% it is the same limit', () => {
    const withLimit = (limitPerSecond: number, onsetPerSecond: number): RunRecord => ({ ...record({}), rateLimit: { limitPerSecond, onsetPerSecond } });
    assert.deepEqual(diffRecords(withLimit(200, 260), withLimit(204, 300), options()), []);
    const [change, ...rest] = diffRecords(withLimit(200, 260), withLimit(150, 180), options());
    assert.equal(rest.length, 0);
    assert.equal(change!.title, 'sustained limit 200 → 150 req/s');
    assert.equal(change!.failing, false);
    assert.equal(diffRecords(withLimit(200, 260), withLimit(150, 180), options({ strict: true }))[0]!.failing, true);
  });

  it('a changed status on a pinned case fails, naming what it was and what it is', () => {
    const [change, ...rest] = diffRecords(record({ t1: [answer()] }), record({ t1: [answer({ status: 400 })] }), options());
    assert.equal(rest.length, 0);
    assert.equal(change!.failing, true);
    assert.equal(change!.title, '422 003-003 → 400 003-003');
    assert.match(change!.verdict, /missingParameter expects status 422, now 400/);
    assert.ok(change!.curlWas && change!.curlNow);
  });

  it('the same change on a loose expectation is shown, not failing; --strict-drift makes it fail', () => {
    const [shown] = diffRecords(record({ t1: [answer()] }), record({ t1: [answer({ status: 400 })] }), options({ expectations: LOOSE }));
    assert.equal(shown!.failing, false);
    assert.match(shown!.verdict, /not pinned/);
    const [strict] = diffRecords(record({ t1: [answer()] }), record({ t1: [answer({ status: 400 })] }), options({ expectations: LOOSE, strict: true }));
    assert.equal(strict!.failing, true);
  });

  it('a changed code fails where the code is pinned, and is shown where it is open', () => {
    const base = record({ t1: [answer()] });
    const now = record({ t1: [answer({ errorCode: '003-010' })] });
    assert.equal(diffRecords(base, now, options())[0]!.failing, true);
    const open = { ...SIM_EXPECTATIONS, missingParameter: { status: [422], code: null } };
    const [shown] = diffRecords(base, now, options({ expectations: open }));
    assert.equal(shown!.failing, false);
    assert.equal(shown!.title, '422 003-003 → 422 003-010');
  });

  it('a code of another form fails the pinned case even though the test stopped before toMatchExpectation (the baseline names the case)', () => {
    const [change] = diffRecords(record({ t1: [answer()] }), record({ t1: [answer({ errorCode: 'INVALID_PARAMETER', expectationCase: null })] }), options());
    assert.equal(change!.failing, true);
    assert.match(change!.verdict, /missingParameter pins error.code 003-003, now INVALID_PARAMETER/);
    assert.equal(change!.title, '422 003-003 → 422 INVALID_PARAMETER');
  });

  it('a changed body shape of a success is shown, not failing', () => {
    const ok = answer({ status: 200, errorCode: null, shape: '{token:s}', expectationCase: null });
    const [change] = diffRecords(record({ t1: [ok] }), record({ t1: [{ ...ok, shape: '{access_token:s}' }] }), options());
    assert.equal(change!.failing, false);
    assert.match(change!.title, /body shape/);
  });

  it('tests only one run made requests in, and how many times an answer came, are not changes', () => {
    const base = record({ t1: [answer()], gone: [answer()] });
    const now = record({ t1: [answer({ count: 7 })], fresh: [answer({ status: 400 })] });
    assert.deepEqual(diffRecords(base, now, options()), []);
  });

  it('the baseline\'s cURL is this run\'s request sent to the baseline\'s base URL', () => {
    const base = record({ t1: [answer({ curl: undefined })] }, {}, 'https://staging.example/api');
    const now = record({ t1: [answer({ status: 400, curl: "curl -X POST 'https://prod.example/api/social/x/login_with_token'" })] }, {}, 'https://prod.example/api');
    const [change] = diffRecords(base, now, options());
    assert.equal(change!.curlWas, "curl -X POST 'https://staging.example/api/social/x/login_with_token'");
    assert.equal(change!.curlNow, "curl -X POST 'https://prod.example/api/social/x/login_with_token'");
  });
});

describe('latency regression rule', () => {
  it('worse by more than 1.5x AND by more than 50 ms', () => {
    assert.equal(isRegression(DEFAULT_REGRESSION, 2, 5), false, 'x2.5 but +3 ms');
    assert.equal(isRegression(DEFAULT_REGRESSION, 900, 960), false, '+60 ms but x1.07');
    assert.equal(isRegression(DEFAULT_REGRESSION, 20, 320), true);
  });

  it('+300 ms on every answer is caught from the suites\' own requests', () => {
    const [change] = diffRecords(record({}, { jwtLogin: stats(13, 186, 1040) }), record({}, { jwtLogin: stats(313, 486, 1340) }), options());
    assert.equal(change!.kind, 'latency');
    assert.equal(change!.failing, true);
    assert.match(change!.title, /jwtLogin latency p10 13 → 313 ms, median 186 → 486 ms/);
  });

  it('a busy machine against a quiet one is not (measured on this project\'s simulator: load 21 vs a quiet run)', () => {
    // Quiet: every answer in a few ms. Busy (load average 21 on 2 cores): the median and the tail stretch, the floor barely moves.
    assert.deepEqual(diffRecords(record({}, { crossAuth: stats(3, 5, 40) }), record({}, { crossAuth: stats(34, 117, 1926) }), options()), []);
  });

  it('too few answers on either side are not compared', () => {
    assert.deepEqual(diffRecords(record({}, { usersMe: stats(4, 8, 65, 10) }), record({}, { usersMe: stats(304, 308, 365, 10) }), options()), []);
  });

  it('k6 p95 per load script uses the same rule', () => {
    const base = { ...record({}), load: { throughput: { p95: 40, p99: 80, failedRate: 0 } } };
    const now = { ...record({}), load: { throughput: { p95: 340, p99: 380, failedRate: 0 } } };
    const [change] = diffRecords(base, now, options());
    assert.equal(change!.kind, 'load latency');
    assert.equal(change!.failing, true);
  });
});

describe('changes in the report', () => {
  it('each change is one Allure result in the Changed category: failed when failing, passed when only shown', () => {
    const dir = mkdtempSync(join(tmpdir(), 'drift-changes-'));
    const base = record({ t1: [answer()], t2: [answer({ expectationCase: null, status: 200, errorCode: null, shape: '{token:s}' })] });
    const now = record({ t1: [answer({ status: 400 })], t2: [answer({ expectationCase: null, status: 200, errorCode: null, shape: '{jwt:s}' })] });
    const changes = diffRecords(base, now, options());
    writeChangeResults(dir, changes, base, now, ['secret-canary-1234']);
    const results = readdirSync(dir).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
    assert.equal(results.length, 2);
    const failed = results.find((r) => r.status === 'failed');
    const passed = results.find((r) => r.status === 'passed');
    assert.match(failed.statusDetails.message, /was: POST jwtLogin → 422 error.code 003-003[\s\S]*now: POST jwtLogin → 400/);
    assert.match(failed.description, /Reproduce the baseline's request/);
    assert.ok(passed);
    for (const r of results) assert.equal(categoryOf(r.status, r.statusDetails.message, r.labels), CATEGORY_NAMES.changed);
  });
});

describe('the summary of changes', () => {
  it('one line per kind of change, failing first, with how many tests and one example', async () => {
    const { summarizeChanges } = await import('../reports/drift/step.ts');
    const base = record({ a: [answer()], b: [answer()], c: [answer({ expectationCase: null, status: 200, errorCode: null, shape: '{token:s}' })] }, { jwtLogin: stats(5, 20, 300) });
    const now = record({ a: [answer({ status: 400 })], b: [answer({ status: 400 })], c: [answer({ expectationCase: null, status: 200, errorCode: null, shape: '{jwt:s}' })] }, { jwtLogin: stats(305, 320, 600) });
    const lines = summarizeChanges(diffRecords(base, now, options()));
    assert.equal(lines.length, 3, lines.join('\n'));
    assert.match(lines[0]!, /^ {2}FAIL +answer: 422 003-003 → 400 003-003 in 2 tests, e\.g\. a$/);
    assert.match(lines[1]!, /FAIL +latency: jwtLogin latency p10 5 → 305 ms/);
    assert.match(lines[2]!, /shown answer: 200 → 200 \(body shape\) in c/);
  });
});
