import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ANSWER_CASES, type AnswerCase } from '../contract/index.ts';
import { decodeAnswers, encodeAnswers, observe } from '../lib/drift/answers.ts';
import { diffRecords, type DiffOptions } from '../lib/drift/diff.ts';
import { learnedFile, writeLearnedFile } from '../lib/drift/learn.ts';
import { RECORD_FORMAT, type RunRecord } from '../lib/drift/record.ts';
import { breaksRetryAfter, learnRetryAfter, type RetryAfterCounts, type RetryAfterFact } from '../lib/drift/retry-after-facts.ts';
import { expectationFacts, loadProfile, type Expectation } from '../lib/profile.ts';
import { retryAfterForm } from '../lib/retry-after.ts';
import { DEFAULT_REGRESSION } from '../lib/slo.ts';
import { writeChangeResults } from '../reports/drift/changed-results.ts';
import { categoryOf, CATEGORY_NAMES } from '../reports/categories.ts';
import { exchange } from './drift-helpers.ts';

/**
 * Learned rate-limit facts: whether every 429 carried Retry-After and in which form is learned from a run, and a
 * later run whose 429s break it fails as a changed pinned fact, in the report's Changed category, until a new
 * learned file says otherwise.
 */

const EXPECTATIONS = Object.fromEntries(ANSWER_CASES.map((c) => [c, { status: [422], code: '003-003' }])) as Record<AnswerCase, Expectation>;

function record(retryAfter: RetryAfterCounts | null, id = 'r'): RunRecord {
  return {
    format: RECORD_FORMAT,
    run: { id, date: '2026-12-01T00:00:00Z', commit: 'c', target: { name: 'Staging', baseUrl: 'https://staging.example/api' }, stages: ['conformance'] },
    tests: {}, latency: {}, load: {}, rateLimit: null, expectations: {}, retryAfter,
  };
}

const options = (pins: { file: string; fact: RetryAfterFact }[] = [], strict = false): DiffOptions => ({ expectations: EXPECTATIONS, regression: DEFAULT_REGRESSION, strict, retryAfter: pins });
const EVERY_SECONDS: RetryAfterFact = { every429: true, form: 'delta-seconds', observed: { 'delta-seconds': 36 } };

describe('Retry-After as a learned fact', () => {
  it('tells the two forms apart, and absent or neither form', () => {
    assert.equal(retryAfterForm('3'), 'delta-seconds');
    assert.equal(retryAfterForm(' 120 '), 'delta-seconds');
    assert.equal(retryAfterForm('Wed, 21 Oct 2026 07:28:00 GMT'), 'http-date');
    assert.equal(retryAfterForm(undefined), 'absent');
    assert.equal(retryAfterForm('soon'), 'invalid');
    assert.equal(retryAfterForm('-1'), 'invalid');
  });

  it('each 429 a test saw keeps its form through the results parameter; other answers carry none', () => {
    const limited = exchange({ status: 429, headers: { 'retry-after': '2' } });
    const bare = exchange({ status: 429, headers: {} });
    const refused = exchange();
    const decoded = decodeAnswers(encodeAnswers([limited, bare, refused]));
    assert.deepEqual(decoded.map((a) => a.retryAfter), ['delta-seconds', 'absent', null]);
    assert.equal(observe(limited).retryAfter, 'delta-seconds');
    // A parameter written before the field existed reads as none.
    assert.equal(decodeAnswers(JSON.stringify([['jwtLogin', 'POST', 429, '003-429', 's', 3, null, 'curl']]))[0]!.retryAfter, null);
  });

  it('learns "on every 429, as delay-seconds", a mix of forms, or not on every one; keeps the current fact when no 429 came', () => {
    assert.deepEqual(learnRetryAfter({ 'delta-seconds': 36 }, undefined, 'x.json'), { every429: true, form: 'delta-seconds', observed: { 'delta-seconds': 36 } });
    assert.deepEqual(learnRetryAfter({ 'http-date': 4 }, undefined, 'x.json').form, 'http-date');
    assert.deepEqual(learnRetryAfter({ 'http-date': 4, 'delta-seconds': 1 }, undefined, 'x.json').form, 'mixed');
    const some = learnRetryAfter({ 'delta-seconds': 30, absent: 6 }, undefined, 'x.json');
    assert.equal(some.every429, false);
    assert.match(some.$comment!, /6 of 36 429s came without/);
    const none = learnRetryAfter(null, EVERY_SECONDS, 'x.json');
    assert.equal(none.every429, true, 'kept');
    assert.equal(none.observed, null);
    assert.match(none.$comment!, /no 429 in this run.*left as in x\.json/);
    assert.equal(learnRetryAfter(undefined, undefined, 'x.json').every429, null);
  });

  it('a pinned fact breaks when a 429 lacks it or comes in the other form; nothing breaks it without 429s or without a pin', () => {
    assert.match(breaksRetryAfter(EVERY_SECONDS, { 'delta-seconds': 10, absent: 2 })!, /2 of 12 429s came without a valid Retry-After/);
    assert.match(breaksRetryAfter(EVERY_SECONDS, { 'http-date': 3 })!, /HTTP-date, not delay-seconds/);
    assert.equal(breaksRetryAfter(EVERY_SECONDS, { 'delta-seconds': 9 }), null);
    assert.equal(breaksRetryAfter(EVERY_SECONDS, null), null);
    assert.equal(breaksRetryAfter({ every429: false, form: 'delta-seconds', observed: null }, { absent: 9 }), null);
    assert.equal(breaksRetryAfter({ every429: true, form: 'mixed', observed: null }, { 'http-date': 1, 'delta-seconds': 1 }), null);
  });

  it('a later run whose 429s lack it fails as a changed pinned fact, in the Changed category, naming Retry-After', () => {
    const changes = diffRecords(record({ 'delta-seconds': 36 }), record({ absent: 36 }), options([{ file: 'targets/expectations/staging.learned.json', fact: EVERY_SECONDS }]));
    assert.equal(changes.length, 1);
    const [c] = changes;
    assert.equal(c!.kind, 'rate limit');
    assert.equal(c!.failing, true);
    assert.match(c!.title, /^Retry-After on every 429 \(as delay-seconds\) → Retry-After not on every 429$/);
    assert.match(c!.now, /36 429s: 36 without it/);
    assert.match(c!.verdict, /fails: targets\/expectations\/staging\.learned\.json pins "Retry-After on every 429.*36 of 36 429s came without.*--learn/);
    const dir = mkdtempSync(join(tmpdir(), 'retry-after-changed-'));
    writeChangeResults(dir, changes, record({ 'delta-seconds': 36 }), record({ absent: 36 }));
    const written = JSON.parse(readFileSync(join(dir, readdirSync(dir).find((f) => f.endsWith('-result.json'))!), 'utf8'));
    assert.equal(written.status, 'failed');
    assert.match(written.name, /^Changed: Retry-After/);
    assert.equal(categoryOf(written.status, written.statusDetails.message, written.labels), CATEGORY_NAMES.changed);
  });

  it('the expectations file\'s fact is checked first, then the learned file\'s; a learned file that says "not on every 429" lets it pass', () => {
    const now = record({ absent: 5 });
    const failingFromExpectations = diffRecords(record({ 'delta-seconds': 5 }), now, options([{ file: 'adopted.json', fact: EVERY_SECONDS }, { file: 'new.learned.json', fact: { every429: false, form: null, observed: { absent: 5 } } }]));
    assert.match(failingFromExpectations[0]!.verdict, /adopted\.json pins/);
    // Re-learned and adopted: the new file pins nothing about Retry-After, so the same run is quiet (only shown against the baseline).
    const adoptedNew = diffRecords(record({ 'delta-seconds': 5 }), now, options([{ file: 'new.learned.json', fact: { every429: false, form: null, observed: { absent: 5 } } }]));
    assert.equal(adoptedNew.length, 1);
    assert.equal(adoptedNew[0]!.failing, false);
    assert.match(adoptedNew[0]!.verdict, /shown, not failing/);
  });

  it('without a pin, a change against the baseline is shown (failing only with --strict-drift); the same 429s are no change', () => {
    const shown = diffRecords(record({ 'delta-seconds': 5 }), record({ 'http-date': 5 }), options());
    assert.equal(shown.length, 1);
    assert.equal(shown[0]!.failing, false);
    assert.match(shown[0]!.title, /as delay-seconds.*→.*as an HTTP-date/);
    assert.equal(diffRecords(record({ 'delta-seconds': 5 }), record({ 'http-date': 5 }), options([], true))[0]!.failing, true);
    assert.deepEqual(diffRecords(record({ 'delta-seconds': 5 }), record({ 'delta-seconds': 9 }), options([{ file: 'x', fact: EVERY_SECONDS }])), []);
    assert.deepEqual(diffRecords(record({ 'delta-seconds': 5 }), record(null), options([{ file: 'x', fact: EVERY_SECONDS }])), [], 'no 429 this run: nothing to say');
  });

  it('the learned file keeps the fact under "facts", hashes it with the cases, and loads as an expectations file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'retry-after-learn-'));
    const profile = { name: 'Staging', expectations: EXPECTATIONS, expectationsPath: join(dir, 'staging.json') };
    const file = learnedFile(record({ 'delta-seconds': 36 }), profile);
    assert.deepEqual(file.facts.retryAfter, EVERY_SECONDS);
    const outcome = writeLearnedFile(record({ 'delta-seconds': 36 }), profile, false);
    assert.equal(outcome.written, true);
    if (!outcome.written) return;
    assert.deepEqual(outcome.retryAfter, EVERY_SECONDS);
    // Adopted: a profile pointed at it loads, and its facts are read back.
    const raw = JSON.parse(readFileSync('targets/simulator.json', 'utf8'));
    delete raw.$schema;
    raw.expectations = outcome.path;
    writeFileSync(join(dir, 'adopted.json'), JSON.stringify(raw));
    loadProfile(join(dir, 'adopted.json'));
    assert.deepEqual(expectationFacts(outcome.path)?.retryAfter, EVERY_SECONDS);
    // An edit of the fact alone is an edit: --learn leaves the file alone.
    const edited = JSON.parse(readFileSync(outcome.path, 'utf8'));
    edited.facts.retryAfter.every429 = false;
    writeFileSync(outcome.path, JSON.stringify(edited, null, 2));
    assert.equal(writeLearnedFile(record({ 'delta-seconds': 36 }), profile, false).written, false);
    // Learned from a run without 429s: the current fact is kept.
    assert.deepEqual(learnedFile(record(null), { ...profile, facts: { retryAfter: EVERY_SECONDS } }).facts.retryAfter?.every429, true);
  });
});
