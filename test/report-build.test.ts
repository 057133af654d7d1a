import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CATEGORY_NAMES, STAGE_DID_NOT_RUN_TAG, categoryOf } from '../reports/categories.ts';
import { firstScreenFacts, stripAnalytics } from '../reports/build.ts';
import { evaluateGate, requiredStageProblems } from '../reports/quality-gate.ts';
import { countResults, emptyCounts, gatherResults, writeStageResult, type StoredResult } from '../reports/results.ts';
import { formatSummary, notRunLines, stageLines } from '../reports/summary.ts';

/** The pieces of the report build: categories, the gate, result bookkeeping, the summary, the analytics strip. */

describe('report categories', () => {
  const cases: [status: 'failed' | 'broken', message: string, category: string][] = [
    ['failed', 'TypeError: fetch failed\n  cause: connect ECONNREFUSED 127.0.0.1:8787', CATEGORY_NAMES.unreachable],
    ['failed', 'getaddrinfo ENOTFOUND login.example.test', CATEGORY_NAMES.unreachable],
    ['failed', 'expect(received).toBe(expected)\n\nExpected: 422\nReceived: 429', CATEGORY_NAMES.rateLimited],
    ['failed', 'Test timeout of 30000ms exceeded.', CATEGORY_NAMES.timedOut],
    ['failed', "thresholds on metrics 'http_req_duration{endpoint:login}' have been crossed", CATEGORY_NAMES.loadThreshold],
    ['failed', 'expect(received).toBe(expected)\n\nExpected: 400\nReceived: 200', CATEGORY_NAMES.specViolation],
    ['failed', "TypeError: Cannot read properties of undefined (reading 'token')", CATEGORY_NAMES.harnessError],
    ['broken', 'load: a command exited with code 1 but no failed or broken result explains it', CATEGORY_NAMES.harnessError],
  ];
  for (const [status, message, category] of cases) {
    it(`${JSON.stringify(message.split('\n')[0]!.slice(0, 60))} → ${category}`, () => assert.equal(categoryOf(status, message), category));
  }
  it('a passed or skipped test is in no category', () => {
    assert.equal(categoryOf('passed', ''), null);
    assert.equal(categoryOf('skipped', 'k6 not found'), null);
  });
});

describe('quality gate', () => {
  it('passes with passed and skipped results only', () => {
    assert.deepEqual(evaluateGate({ ...emptyCounts(), passed: 3, skipped: 1 }), { passed: true, reasons: [] });
  });
  it('fails on any failed, broken or interrupted result, and when nothing passed', () => {
    assert.deepEqual(evaluateGate({ ...emptyCounts(), passed: 5, failed: 1, broken: 2 }).reasons, ['1 failed', '2 broken']);
    assert.equal(evaluateGate({ ...emptyCounts(), passed: 5, unknown: 1 }).passed, false);
    assert.deepEqual(evaluateGate({ ...emptyCounts(), skipped: 3 }).reasons, ['no test passed']);
    assert.deepEqual(evaluateGate(emptyCounts()).reasons, ['no results at all']);
  });
});

describe('result folders', () => {
  it('records a stage that could not run as one result with the reason, and counts it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stage-'));
    writeStageResult(dir, { stage: 'load', name: 'load stage', status: 'skipped', message: 'k6 not found' });
    const file = readdirSync(dir).find((f) => f.endsWith('-result.json'))!;
    const result = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    assert.equal(result.status, 'skipped');
    assert.equal(result.statusDetails.message, 'k6 not found');
    assert.ok(result.labels.some((l: { name: string; value: string }) => l.name === 'parentSuite' && l.value === 'load'));
    assert.deepEqual(countResults(dir), { ...emptyCounts(), skipped: 1 });
  });

  it('counts only the last attempt of a retried test', () => {
    const dir = mkdtempSync(join(tmpdir(), 'retry-'));
    writeFileSync(join(dir, 'a-result.json'), JSON.stringify({ uuid: 'a', historyId: 'h', status: 'failed', stop: 1 }));
    writeFileSync(join(dir, 'b-result.json'), JSON.stringify({ uuid: 'b', historyId: 'h', status: 'passed', stop: 2 }));
    writeFileSync(join(dir, 'c-result.json'), JSON.stringify({ uuid: 'c', historyId: 'k', status: 'broken', stop: 1 }));
    assert.deepEqual(countResults(dir), { ...emptyCounts(), passed: 1, broken: 1 });
  });

  it('gathers a stage folder, giving results without a parentSuite the stage name and keeping the others', () => {
    const stageDir = mkdtempSync(join(tmpdir(), 'from-'));
    const into = mkdtempSync(join(tmpdir(), 'into-'));
    writeFileSync(join(stageDir, 'x-result.json'), JSON.stringify({ uuid: 'x', status: 'passed', labels: [] }));
    writeFileSync(join(stageDir, 'y-result.json'), JSON.stringify({ uuid: 'y', status: 'passed', labels: [{ name: 'parentSuite', value: 'e2e' }] }));
    writeFileSync(join(stageDir, 'z-attachment.txt'), 'body');
    assert.equal(gatherResults(stageDir, 'load', into), 3);
    const parent = (f: string): string => JSON.parse(readFileSync(join(into, f), 'utf8')).labels.find((l: { name: string }) => l.name === 'parentSuite').value;
    assert.equal(parent('x-result.json'), 'load');
    assert.equal(parent('y-result.json'), 'e2e');
    assert.equal(readFileSync(join(into, 'z-attachment.txt'), 'utf8'), 'body');
  });
});

describe('summary', () => {
  const ran = { outcome: 'ran' as const, reason: null, seconds: 10 };
  it('sums the shards of a stage into one line and lists a skipped stage with its reason', () => {
    const lines = stageLines([
      { stage: 'conformance', ...ran, counts: { ...emptyCounts(), passed: 10 } },
      { stage: 'conformance', ...ran, seconds: 12, counts: { ...emptyCounts(), passed: 5, failed: 1 } },
      { stage: 'load', outcome: 'skipped', reason: 'k6 not found', seconds: 0, counts: { ...emptyCounts(), skipped: 1 } },
    ]);
    assert.equal(lines.length, 2);
    assert.deepEqual([lines[0]!.counts.passed, lines[0]!.counts.failed, lines[0]!.parts, lines[0]!.seconds], [15, 1, 2, 12]);
    const text = formatSummary({
      target: 'embedded simulator (http://127.0.0.1:8787/api)',
      stages: lines,
      gate: evaluateGate({ ...emptyCounts(), passed: 15, failed: 1, skipped: 1 }),
      report: { html: 'reports/html/index.html', singleFile: 'reports/single-file/index.html', errors: [] },
      history: { runs: 3, path: 'reports/history/history.jsonl' },
    });
    assert.match(text, /conformance\s+15\s+1\s+0\s+0\s+12\.0 s\s+2 shards/);
    assert.match(text, /load\s+0\s+0\s+0\s+1\s+0\.0 s\s+DID NOT RUN \(skipped, see below\)/);
    assert.match(text, /Did not run:\n  load skipped: k6 not found\n/);
    assert.match(text, /total\s+15\s+1\s+0\s+1/);
    assert.match(text, /Quality gate: FAILED: 1 failed/);
    assert.match(text, /Report:\s+reports\/html\/index\.html/);
    assert.match(text, /History:\s+reports\/history\/history\.jsonl \(3 runs\)/);
    assert.ok(text.split('\n').length < 20, 'fits on one screen');
  });
});

describe('required stages (--require)', () => {
  const counts = { ...emptyCounts(), passed: 200 };
  const k6Missing = 'k6 not found: K6_BIN is not set and there is no k6 on PATH. Install k6 (https://grafana.com/docs/k6/latest/set-up/install-k6/) and put it on PATH, or set K6_BIN=/path/to/k6.';
  const runs = [
    { stage: 'conformance', outcome: 'ran' as const, reason: null },
    { stage: 'load', outcome: 'broken' as const, reason: k6Missing },
  ];
  it('passes without --require whatever was skipped, and fails for a required stage that did not run', () => {
    assert.equal(evaluateGate(counts, { stages: [], runs }).passed, true);
    assert.deepEqual(evaluateGate(counts, { stages: ['conformance'], runs }), { passed: true, reasons: [] });
    assert.deepEqual(evaluateGate(counts, { stages: ['conformance', 'load'], runs }).reasons, ['required stage load did not run']);
  });
  it('a required stage left out of the run (no manifest) fails the gate too, and each problem says why', () => {
    assert.deepEqual(requiredStageProblems(['e2e', 'load'], runs), [
      'required stage e2e did not run: no result of it in this run',
      `required stage load did not run: ${k6Missing}`,
    ]);
    assert.deepEqual(evaluateGate(counts, { stages: ['e2e'], runs }).reasons, ['required stage e2e did not run']);
  });
  it('the summary lists every stage that did not run with its fix, plainly, under the table', () => {
    const stages = stageLines([
      { stage: 'conformance', outcome: 'ran', reason: null, seconds: 20, counts },
      { stage: 'e2e', outcome: 'broken', reason: 'Chromium not found (looked in /usr/bin/chromium); install Debian\'s with `apt-get install -y chromium`', seconds: 0, counts: { ...emptyCounts(), broken: 1 } },
      { stage: 'load', outcome: 'broken', reason: k6Missing, seconds: 0, counts: { ...emptyCounts(), broken: 1 } },
    ]);
    const text = formatSummary({
      target: 'sim',
      stages,
      required: ['conformance', 'e2e', 'load'],
      gate: evaluateGate({ ...counts, broken: 2 }, { stages: ['conformance', 'e2e', 'load'], runs: stages }),
      report: { html: null, singleFile: null, errors: [] },
    });
    assert.match(text, /Did not run:\n  e2e could not run \(required\): Chromium not found .*apt-get install -y chromium`\n  load could not run \(required\): k6 not found: .*install-k6\/.*K6_BIN/);
    assert.match(text, /Quality gate: FAILED: required stage e2e did not run, required stage load did not run, 2 broken/);
    assert.deepEqual(notRunLines(stages.slice(0, 1), ['load']), ['  load (required): not in this run (no results of it were gathered)']);
  });
});

describe("the report's first screen", () => {
  it('says which stages ran, which did not and why, and the failures by category', () => {
    const stages = stageLines([
      { stage: 'conformance', outcome: 'ran', reason: null, seconds: 20, counts: { ...emptyCounts(), passed: 77, failed: 131 } },
      { stage: 'load', outcome: 'skipped', reason: 'k6 not found: install it', seconds: 0, counts: { ...emptyCounts(), skipped: 1 } },
    ]);
    const result = (uuid: string, status: 'failed' | 'broken' | 'passed', message: string, stop = 1) =>
      ({ uuid, historyId: uuid, status: status as StoredResult['status'], stop, statusDetails: { message }, labels: [] as StoredResult['labels'] });
    const facts = firstScreenFacts(stages, [
      result('a', 'failed', 'toBeRejected for POST /login\n  expected: a refusal'),
      result('b', 'failed', 'request timeout: no answer within 1500 ms'),
      result('c', 'failed', 'expected: status 422', 1),
      result('c', 'passed', '', 2), // the retry passed: only the latest attempt counts
      result('d', 'broken', 'TypeError: x is undefined'),
      { ...result('e', 'broken', 'Chromium not found at CHROMIUM_PATH=/x; run `apt-get install -y chromium`'), labels: [{ name: 'tag', value: STAGE_DID_NOT_RUN_TAG }] },
    ]);
    assert.deepEqual(facts, {
      'Stages run': 'conformance (208 results)',
      'Stages not run': 'load: skipped: k6 not found: install it',
      'Failed by category': `${CATEGORY_NAMES.specViolation}: 1, ${CATEGORY_NAMES.timedOut}: 1, ${CATEGORY_NAMES.harnessError}: 1, ${CATEGORY_NAMES.stageDidNotRun}: 1`,
    });
  });
});

describe('analytics strip', () => {
  it('removes the Google tag Allure templates load and nothing else', () => {
    const html = `<body><div id="app"></div>
    <script async src="https://www.googletagmanager.com/gtag/js?id=G-X"></script>
    <script>
        window.dataLayer = window.dataLayer || [];
        function gtag(){dataLayer.push(arguments);}
        gtag('js', new Date());
        gtag('config', 'G-X', { "report": "awesome" });
    </script>
    <script>window.allureReportData = {};</script></body>`;
    const out = stripAnalytics(html);
    assert.doesNotMatch(out, /googletagmanager|gtag/);
    assert.match(out, /<div id="app"><\/div>/);
    assert.match(out, /window\.allureReportData/);
  });
});
