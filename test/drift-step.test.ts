import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { convertSummary, LOAD_LATENCY_PARAMETER as CONVERTER_PARAMETER, MEASURED_LIMIT_PARAMETER, ONSET_PARAMETER } from '../load/report/summary-to-allure.ts';
import type { K6Summary } from '../load/lib/summary.ts';
import { ANSWERS_PARAMETER, encodeAnswers, noteExpectationCase } from '../lib/drift/answers.ts';
import { diffRecords } from '../lib/drift/diff.ts';
import { buildRecord, LOAD_LATENCY_PARAMETER, MEASURED_LIMIT_PARAMETER as RECORD_LIMIT_PARAMETER, ONSET_PARAMETER as RECORD_ONSET_PARAMETER, type RunFacts } from '../lib/drift/record.ts';
import { loadProfile } from '../lib/profile.ts';
import { DEFAULT_REGRESSION } from '../lib/slo.ts';
import { runDriftStep } from '../reports/drift/step.ts';
import { exchange } from './drift-helpers.ts';

/** The drift step as the main job runs it, and the load stage's figures in the record. */

const FACTS = (id: string): RunFacts => ({ id, date: '2026-11-29T10:00:00Z', commit: 'c', target: { name: 'Staging', baseUrl: 'http://127.0.0.1:8787/api' }, stages: ['conformance'] });

function writeRun(dir: string, status: number, ms: number, code = '003-003'): void {
  for (let i = 0; i < 25; i++) {
    const x = exchange({ status, elapsedMs: ms + (i % 5), json: { error: { code, description: 'Invalid parameter.' } } });
    noteExpectationCase(x, 'missingParameter');
    const uuid = `${i}-${Math.random().toString(16).slice(2)}`;
    writeFileSync(join(dir, `${uuid}-result.json`), JSON.stringify({
      uuid, status: 'passed', stop: Date.now(), labels: [{ name: 'harnessRun', value: '1795945183406' }],
      fullName: `conformance/jwt-login.spec.ts › projectId case ${i} is refused`,
      parameters: [{ name: ANSWERS_PARAMETER, value: encodeAnswers([x]), mode: 'hidden', excluded: true }],
    }));
  }
}

describe('the drift step of a run', () => {
  // A real-server profile with the shipped loose expectations.
  const loose = () => {
    const dir = mkdtempSync(join(tmpdir(), 'drift-step-'));
    const raw = JSON.parse(readFileSync('targets/simulator.json', 'utf8'));
    delete raw.$schema;
    raw.name = 'Staging';
    writeFileSync(join(dir, 'real-server.json'), readFileSync('targets/expectations/real-server.example.json'));
    raw.expectations = join(dir, 'real-server.json');
    writeFileSync(join(dir, 'profile.json'), JSON.stringify(raw));
    return { dir, profile: loadProfile(join(dir, 'profile.json')) };
  };

  it('first run: a record, a learned file and the hint what to pin; then a changed status fails (the learned file), a changed code is shown, and both fail once adopted', () => {
    const { dir, profile } = loose();
    const history = join(dir, 'history');
    const first = join(dir, 'r1');
    writeRun((mkdirSyncRec(first), first), 422, 10);
    const one = runDriftStep({ resultsDir: first, historyDir: history, profile, facts: FACTS('run-1') }, { learn: false, force: false, strict: false });
    assert.match(one.lines.join('\n'), /first run on Staging/);
    assert.match(one.lines.join('\n'), /Learned: +.*staging\.learned\.json: 1 of 20 cases observed/);
    assert.match(one.lines.join('\n'), /Expectations: 20 of 20 cases unpinned .*adopt .*staging\.learned\.json/);
    assert.ok(existsSync(join(history, 'staging.run.json')));
    const learned = JSON.parse(readFileSync(join(dir, 'staging.learned.json'), 'utf8'));
    assert.deepEqual(learned.cases.missingParameter.observed, { statuses: { 422: 25 }, codes: { '003-003': 25 } });

    const runOne = join(dir, 'run-1.run.json');
    writeFileSync(runOne, readFileSync(join(history, 'staging.run.json')));
    // The server now answers 400: within the loose file's statuses, but not what the learned file observed: fails.
    const second = join(dir, 'r2');
    writeRun((mkdirSyncRec(second), second), 400, 10);
    const two = runDriftStep({ resultsDir: second, historyDir: history, profile, facts: FACTS('run-2') }, { learn: false, force: false, strict: false });
    assert.equal(two.changes.length, 25);
    assert.ok(two.changes.every((c) => c.failing && /missingParameter answered 422 when .*staging\.learned\.json was learned, now 400/.test(c.verdict)), two.changes[0]!.verdict);
    assert.match(two.lines[0]!, /against the previous run on Staging .*: 25 changes \(25 failing\)/);
    assert.equal(readdirSync(second).filter((f) => readFileSync(join(second, f), 'utf8').includes('"drift"')).length, 25, 'one Changed result per change');

    // Only the code changes (the server is back to 422): the learned file pins no code until adopted, so shown.
    const codes = join(dir, 'r2b');
    writeRun((mkdirSyncRec(codes), codes), 422, 10, '003-010');
    const shown = runDriftStep({ resultsDir: codes, historyDir: history, profile, facts: FACTS('run-2b') }, { learn: false, force: false, strict: false, baseline: runOne });
    assert.equal(shown.changes.length, 25);
    assert.ok(shown.changes.every((c) => !c.failing && c.title === '422 003-003 → 422 003-010'));

    // The learned file adopted: the same change now fails.
    const adopted = { ...profile, expectations: loadProfile(join(dir, 'profile.json')).expectations };
    adopted.expectations.missingParameter = { status: [422], code: '003-003' };
    const third = join(dir, 'r3');
    writeRun((mkdirSyncRec(third), third), 400, 10);
    const three = runDriftStep({ resultsDir: third, historyDir: history, profile: adopted, facts: FACTS('run-3') }, { learn: false, force: false, strict: false, baseline: runOne });
    assert.equal(three.changes.length, 25);
    assert.ok(three.changes.every((c) => c.failing && /missingParameter expects status 422, now 400/.test(c.verdict)));
  });

  it('a report rebuilt from the same results neither compares the run with itself nor erases its changes', () => {
    const { dir, profile } = loose();
    const history = join(dir, 'history');
    const r1 = join(dir, 'r1');
    writeRun((mkdirSyncRec(r1), r1), 422, 10);
    runDriftStep({ resultsDir: r1, historyDir: history, profile, facts: FACTS('run-1') }, { learn: false, force: false, strict: false });
    const again = runDriftStep({ resultsDir: r1, historyDir: history, profile, facts: FACTS('run-1') }, { learn: false, force: false, strict: false });
    assert.match(again.lines[0]!, /already recorded/);
  });
});

describe('load figures in the record', () => {
  it('k6 summaries → Allure results → record: p95/p99 per script and per endpoint, the 429 onset', () => {
    assert.equal(LOAD_LATENCY_PARAMETER, CONVERTER_PARAMETER);
    const dir = mkdtempSync(join(tmpdir(), 'drift-load-'));
    for (const name of ['throughput', 'ratelimit-200']) {
      convertSummary({ summary: JSON.parse(readFileSync(`test/fixtures/load/${name}.summary.json`, 'utf8')) as K6Summary, resultsDir: dir });
    }
    const record = buildRecord(dir, FACTS('load'));
    assert.ok(record.load.throughput!.p95! > 0);
    assert.ok(Object.keys(record.load.throughput!.endpoints ?? {}).length > 0, JSON.stringify(record.load));
    assert.equal(RECORD_LIMIT_PARAMETER, MEASURED_LIMIT_PARAMETER);
    assert.equal(RECORD_ONSET_PARAMETER, ONSET_PARAMETER);
    // The fixture's run measured a sustained limit of 200.30 req/s and an onset of 207 req/s.
    assert.equal(record.rateLimit!.limitPerSecond, 200.3, JSON.stringify(record.rateLimit));
    assert.equal(record.rateLimit!.onsetPerSecond, 207, JSON.stringify(record.rateLimit));
    // +300 ms on one endpoint's k6 p95 is a regression of that endpoint.
    const slower = structuredClone(record);
    const [endpoint, v] = Object.entries(slower.load.throughput!.endpoints!)[0]!;
    v.p95 = v.p95! + 300;
    const changes = diffRecords(record, slower, { expectations: loadProfile('targets/simulator.json').expectations, regression: DEFAULT_REGRESSION, strict: false });
    assert.equal(changes.length, 1);
    assert.equal(changes[0]!.subject, `load/throughput.ts ${endpoint}`);
    assert.equal(changes[0]!.failing, true);
  });
});

function mkdirSyncRec(dir: string): void {
  mkdirSync(dir, { recursive: true });
}
