import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ANSWER_CASES, type AnswerCase } from '../contract/index.ts';
import { learnedFile, learnedPathFor, looseCases, writeLearnedFile } from '../lib/drift/learn.ts';
import { RECORD_FORMAT, type RunRecord } from '../lib/drift/record.ts';
import { loadProfile, type Expectation } from '../lib/profile.ts';

/** --learn: observed values pinned, unobserved cases left open, a hand-edited file never overwritten without --force. */

const LOOSE = Object.fromEntries(ANSWER_CASES.map((c) => [c, { status: [400, 401, 404, 422], code: null }])) as Record<AnswerCase, Expectation>;

function record(expectations: RunRecord['expectations']): RunRecord {
  return {
    format: RECORD_FORMAT,
    run: { id: 'run-7', date: '2026-11-29T10:00:00Z', commit: 'abc', target: { name: 'Staging', baseUrl: 'https://x/api' }, stages: ['conformance'] },
    tests: {}, latency: {}, load: {}, rateLimit: null, expectations,
  };
}

function profileIn(dir: string) {
  return { name: 'Staging', expectations: LOOSE, expectationsPath: join(dir, 'real-server.json') };
}

describe('learn mode', () => {
  const observed = record({
    missingParameter: { statuses: { 400: 18 }, codes: { '003-003': 18 } },
    invalidParameter: { statuses: { 400: 30, 422: 2 }, codes: { '003-003': 20, '003-010': 12 } },
    socialNetworkUnavailable: { statuses: { 503: 4 }, codes: {} },
  });

  it('pins what was seen with the counts it rests on, keeps several values as a list or an open code, leaves the rest open', () => {
    const file = learnedFile(observed, profileIn('/tmp'));
    assert.deepEqual(file.cases.missingParameter, { status: 400, code: '003-003', observed: { statuses: { 400: 18 }, codes: { '003-003': 18 } } });
    assert.deepEqual(file.cases.invalidParameter.status, [400, 422]);
    assert.equal(file.cases.invalidParameter.code, null);
    assert.match(file.cases.invalidParameter.$comment!, /several statuses.*several codes/);
    assert.deepEqual(file.cases.socialNetworkUnavailable.status, [400, 401, 404, 422], 'a 5xx is not learned');
    assert.equal(file.cases.unknownRoute.observed, null);
    assert.deepEqual(file.cases.unknownRoute.status, [400, 401, 404, 422]);
    assert.match(file.cases.unknownRoute.$comment!, /not observed/);
    assert.equal(file.learned.run, 'run-7');
    assert.match(file.$comment, /3 of 20 cases observed/);
  });

  it('writes targets/expectations/<profile name>.learned.json, which a profile can adopt as it is', () => {
    const dir = mkdtempSync(join(tmpdir(), 'learn-'));
    const outcome = writeLearnedFile(observed, profileIn(dir), false);
    assert.equal(outcome.written, true);
    assert.equal(outcome.path, join(dir, 'staging.learned.json'));
    assert.equal(learnedPathFor(profileIn(dir)), outcome.path);
    // Adopted: the simulator's profile pointed at the learned file loads, and its values are the learned ones.
    const raw = JSON.parse(readFileSync('targets/simulator.json', 'utf8'));
    raw.expectations = outcome.path;
    delete raw.$schema;
    const profilePath = join(dir, 'adopted.json');
    writeFileSync(profilePath, JSON.stringify(raw));
    const adopted = loadProfile(profilePath);
    assert.deepEqual(adopted.expectations.missingParameter, { status: [400], code: '003-003' });
  });

  it('never overwrites a learned file QA edited, unless --force; an untouched one is refreshed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'learn-'));
    const profile = profileIn(dir);
    const first = writeLearnedFile(observed, profile, false);
    assert.equal(writeLearnedFile(observed, profile, false).written, true, 'unchanged since written: refreshed');
    const edited = JSON.parse(readFileSync(first.path, 'utf8'));
    edited.cases.missingParameter.status = 422;
    writeFileSync(first.path, JSON.stringify(edited, null, 2));
    const refused = writeLearnedFile(observed, profile, false);
    assert.equal(refused.written, false);
    assert.match((refused as { reason: string }).reason, /edited by hand.*--force/);
    assert.equal(JSON.parse(readFileSync(first.path, 'utf8')).cases.missingParameter.status, 422, 'the edit survives');
    assert.equal(writeLearnedFile(observed, profile, true).written, true);
    assert.equal(JSON.parse(readFileSync(first.path, 'utf8')).cases.missingParameter.status, 400);
  });

  it('counts the cases a file leaves unpinned: all of the shipped example, none of the simulator\'s', () => {
    const example = loadProfile('targets/simulator.json');
    assert.deepEqual(looseCases(example.expectations), []);
    assert.equal(looseCases(LOOSE).length, ANSWER_CASES.length);
  });
});

describe('SLOs per target', () => {
  it('the profile sets load.slo and load.regression; the simulator keeps the defaults', async () => {
    const { DEFAULT_REGRESSION, DEFAULT_SLO } = await import('../lib/slo.ts');
    const sim = loadProfile('targets/simulator.json');
    assert.deepEqual(sim.load.slo, DEFAULT_SLO);
    assert.deepEqual(sim.load.regression, DEFAULT_REGRESSION);
    const dir = mkdtempSync(join(tmpdir(), 'slo-'));
    const raw = JSON.parse(readFileSync('targets/simulator.json', 'utf8'));
    delete raw.$schema;
    raw.expectations = join(process.cwd(), 'targets/expectations/simulator.json');
    raw.load = { slo: { latency: { p95: 250, p99: 600 }, endpoints: { crossAuth: { p95: 900, p99: 1200 } } }, regression: { ratio: 2, addedMs: 100 } };
    writeFileSync(join(dir, 'p.json'), JSON.stringify(raw));
    const p = loadProfile(join(dir, 'p.json'));
    assert.deepEqual(p.load.slo!.latency, { p95: 250, p99: 600 });
    assert.equal(p.load.slo!.failedRate, DEFAULT_SLO.failedRate);
    assert.deepEqual(p.load.slo!.endpoints, { crossAuth: { p95: 900, p99: 1200 } });
    assert.deepEqual(p.load.regression, { ...DEFAULT_REGRESSION, ratio: 2, addedMs: 100 });
    raw.load = { regression: { ratio: 0.5 } };
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(raw));
    assert.throws(() => loadProfile(join(dir, 'bad.json')), /load\.regression\.ratio/);
  });

  it('the load plan takes the profile\'s SLOs as the k6 thresholds\' values', async () => {
    const { planRun, parseLoadArgs } = await import('../load/run/plan.ts') as typeof import('../load/run/plan.ts');
    const dir = mkdtempSync(join(tmpdir(), 'slo-'));
    const raw = JSON.parse(readFileSync('targets/simulator.json', 'utf8'));
    delete raw.$schema;
    raw.expectations = join(process.cwd(), 'targets/expectations/simulator.json');
    raw.load = { slo: { latency: { p95: 123, p99: 456 } } };
    writeFileSync(join(dir, 'p.json'), JSON.stringify(raw));
    const plan = planRun(parseLoadArgs(['throughput']), loadProfile(join(dir, 'p.json')));
    assert.deepEqual(plan.config.slo.latency, { p95: 123, p99: 456 });
  });
});
