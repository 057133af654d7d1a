import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { exchange } from './drift-helpers.ts';
import { ANSWERS_PARAMETER, bodyShape, decodeAnswers, encodeAnswers, noteExpectationCase } from '../lib/drift/answers.ts';
import { buildRecord, readRecord, recordPathFor, testIdOf, writeRecord, type RunFacts } from '../lib/drift/record.ts';
import { latencyStats, percentile } from '../lib/drift/percentiles.ts';

/** The run record: answers reduced to shapes, stable test ids, latency figures, size and redaction. */

import { JWT } from './drift-helpers.ts';


const FACTS: RunFacts = { id: 'run-1', date: '2026-11-29T09:00:00Z', commit: 'abc', target: { name: 'simulator', baseUrl: 'http://127.0.0.1:8787/api' }, stages: ['conformance'], secrets: ['canary-secret-value'] };

function writeResult(dir: string, over: Record<string, unknown>): void {
  const uuid = `${Math.random().toString(16).slice(2)}-${Date.now()}`;
  writeFileSync(join(dir, `${uuid}-result.json`), JSON.stringify({ uuid, status: 'passed', stop: Date.now(), labels: [], ...over }));
}

describe('answers of a test', () => {
  it('keeps the body shape (keys, nesting, types), never values', () => {
    assert.equal(bodyShape({ error: { description: 'x', code: '003-003', details: { parameter: 'state' } } }), '{error:{code:s,description:s,details:{parameter:s}}}');
    assert.equal(bodyShape({ token: JWT }), '{token:s}');
    assert.equal(bodyShape([{ a: 1 }, { b: 2 }]), '[{a:n}]');
    assert.equal(bodyShape(undefined, ''), 'empty');
    assert.equal(bodyShape(undefined, '<html>'), 'text');
  });
  it('round-trips through the hidden parameter with the expectation case toMatchExpectation noted', () => {
    const x = exchange();
    const y = exchange({ status: 200, json: { token: JWT }, elapsedMs: 12 });
    noteExpectationCase(x, 'invalidParameter');
    const decoded = decodeAnswers(encodeAnswers([x, y]));
    assert.deepEqual(decoded.map((a) => [a.status, a.code, a.shape, a.ms, a.expectationCase]), [
      [422, '003-003', '{error:{code:s,description:s}}', 7, 'invalidParameter'],
      [200, null, '{token:s}', 12, null],
    ]);
    assert.ok(!encodeAnswers([y]).includes(JWT), 'a token value never enters the answers');
  });
});

describe('test ids', () => {
  it('are the file and title path plus visible parameters; hidden and excluded ones (seed, answers) are left out', () => {
    const id = testIdOf({
      fullName: 'conformance/jwt-login.spec.ts › projectId missing is refused',
      parameters: [
        { name: 'Project', value: 'conformance' },
        { name: 'faker seed', value: '123 (test stream 9)', excluded: true } as never,
        { name: ANSWERS_PARAMETER, value: '[]', mode: 'hidden', excluded: true } as never,
      ],
    });
    assert.equal(id, 'conformance/jwt-login.spec.ts › projectId missing is refused [Project=conformance]');
  });
});

describe('what the record leaves out', () => {
  it('the credential check\'s "Credentials refused" results: they are no suite\'s tests (and would name the record file)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'drift-record-creds-'));
    writeResult(dir, { fullName: 'conformance/jwt-login.spec.ts › a test', name: 'a test' });
    for (const provider of ['facebook', 'google']) {
      writeResult(dir, { fullName: `credentials: ${provider}`, name: `${provider}: credentials refused`, status: 'broken', labels: [{ name: 'tag', value: 'credentials-refused' }] });
    }
    const record = buildRecord(dir, FACTS);
    assert.deepEqual(Object.keys(record.tests), ['conformance/jwt-login.spec.ts › a test']);
  });
});

describe('percentiles', () => {
  it('nearest rank: every figure is a measured value', () => {
    const s = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(percentile(s, 50), 50);
    assert.equal(percentile(s, 95), 95);
    assert.equal(percentile(s, 99), 99);
    assert.deepEqual(latencyStats([5, 1, 3]), { n: 3, p10: 1, p50: 3, p95: 5, p99: 5 });
  });
});

describe('the run record', () => {
  it('is built from the results folder: answers grouped per test, latency per endpoint, expectation cases counted, load figures', () => {
    const dir = mkdtempSync(join(tmpdir(), 'drift-record-'));
    const refused = exchange();
    noteExpectationCase(refused, 'missingParameter');
    const answers = encodeAnswers([refused, exchange(), exchange({ status: 200, json: { token: JWT }, elapsedMs: 30 })]);
    writeResult(dir, { fullName: 'conformance/a.spec.ts › t1', parameters: [{ name: 'Project', value: 'conformance' }, { name: ANSWERS_PARAMETER, value: answers, mode: 'hidden', excluded: true }] });
    writeResult(dir, { fullName: 'conformance/generated-input.spec.ts › junk', parameters: [{ name: ANSWERS_PARAMETER, value: encodeAnswers([exchange({ elapsedMs: 9 })]), mode: 'hidden', excluded: true }] });
    writeResult(dir, { fullName: 'e2e/x.spec.ts › flow', status: 'failed' });
    writeResult(dir, {
      fullName: 'load/ratelimit.ts#ratelimit',
      labels: [{ name: 'framework', value: 'k6' }],
      parameters: [
        { name: 'p95 latency (ms)', value: '12.5' }, { name: 'p99 latency (ms)', value: '30' }, { name: 'failed requests', value: '0.50%' },
        { name: 'sustained limit (req/s)', value: '199.80' }, { name: '429 onset (req/s)', value: '204' },
      ],
    });
    const record = buildRecord(dir, FACTS);
    const t1 = record.tests['conformance/a.spec.ts › t1 [Project=conformance]']!;
    assert.equal(t1.answers.length, 2);
    assert.equal(t1.answers.find((a) => a.status === 422)!.count, 2);
    assert.equal(t1.answers.find((a) => a.status === 422)!.expectationCase, 'missingParameter');
    assert.deepEqual(record.tests['conformance/generated-input.spec.ts › junk']!.answers, [], 'generated input: answers not compared');
    assert.equal(record.tests['e2e/x.spec.ts › flow']!.result, 'failed');
    assert.equal(record.latency.jwtLogin!.n, 4, 'generated-input latency still counts');
    assert.deepEqual(record.expectations.missingParameter, { statuses: { 422: 1 }, codes: { '003-003': 1 } });
    assert.deepEqual(record.load.ratelimit, { p95: 12.5, p99: 30, failedRate: 0.005 });
    assert.deepEqual(record.rateLimit, { limitPerSecond: 199.8, onsetPerSecond: 204 });
  });

  it('keeps an error code of any form readable (the redactor hides "code" fields: the record names it errorCode)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'drift-record-'));
    const symbolic = exchange({ json: { error: { code: 'INVALID_PARAMETER', description: 'x' } } });
    writeResult(dir, { fullName: 'conformance/a.spec.ts › symbolic', parameters: [{ name: ANSWERS_PARAMETER, value: encodeAnswers([symbolic]), mode: 'hidden', excluded: true }] });
    assert.equal(buildRecord(dir, FACTS).tests['conformance/a.spec.ts › symbolic']!.answers[0]!.errorCode, 'INVALID_PARAMETER');
  });

  it('holds no secret or JWT, whatever the results let through, and reads back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'drift-record-'));
    const leaky = exchange({ curl: `curl -H 'authorization: Bearer ${JWT}' --data-raw 'canary-secret-value'` });
    writeResult(dir, { fullName: 'conformance/a.spec.ts › leak', parameters: [{ name: ANSWERS_PARAMETER, value: encodeAnswers([leaky]), mode: 'hidden', excluded: true }] });
    const record = buildRecord(dir, FACTS);
    const path = recordPathFor(dir, 'Staging EU');
    assert.match(path, /staging-eu\.run\.json$/);
    writeRecord(path, record);
    const text = readFileSync(path, 'utf8');
    assert.ok(!text.includes(JWT) && !text.includes('canary-secret-value'), text);
    const back = readRecord(path);
    assert.equal(back.tests['conformance/a.spec.ts › leak']!.answers[0]!.curl, undefined, 'no cURL lines on disk');
    assert.equal(back.tests['conformance/a.spec.ts › leak']!.answers[0]!.status, 422);
  });

  it('stays under 200 KB for a run twice the size of the full suites (400 tests; the suites have about 240)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'drift-record-'));
    for (let i = 0; i < 400; i++) {
      const xs = [exchange({ elapsedMs: i % 50 }), exchange({ status: 200, json: { login_url: 'https://x' }, endpoint: 'oauthLogin' })];
      writeResult(dir, { fullName: `conformance/s${i % 9}.spec.ts › a test title of ordinary length number ${i}`, parameters: [{ name: 'Project', value: 'conformance' }, { name: ANSWERS_PARAMETER, value: encodeAnswers(xs), mode: 'hidden', excluded: true }] });
    }
    const path = join(dir, 'out.run.json');
    writeRecord(path, buildRecord(dir, FACTS));
    const size = statSync(path).size;
    assert.ok(size < 200 * 1024, `record is ${size} bytes`);
    process.stdout.write(`# record of 400 tests with 2 answers each: ${size} bytes\n`);
  });
});
