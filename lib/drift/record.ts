import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ANSWER_CASES, type AnswerCase, type EndpointId } from '../../contract/index.ts';
import { Redactor } from '../redact.ts';
import { CREDENTIALS_REFUSED_TAG, RUN_LABEL } from '../report-labels.ts';
import { ANSWERS_PARAMETER, decodeAnswers, type ObservedAnswer } from './answers.ts';

/** Kept equal to load/report/summary-to-allure.ts's (a unit test checks): lib/ does not import a stage. */
export const LOAD_LATENCY_PARAMETER = 'drift: latency per endpoint';
/** The ratelimit result's parameters the record reads (the converter writes them; a unit test keeps both equal). */
export const MEASURED_LIMIT_PARAMETER = 'sustained limit (req/s)';
export const ONSET_PARAMETER = '429 onset (req/s)';
import { latencyStats, type LatencyStats } from './percentiles.ts';
import type { RetryAfterCounts } from './retry-after-facts.ts';

/**
 * The record of one run: what the target did, compact and without values, so the next run can say what changed.
 * Built from the gathered Allure results only (the suites' hidden answers parameter, the load results'
 * parameters), so CI's report job, which has nothing else, builds the same record as `npm start`.
 *
 *   per test: its result and each distinct answer (endpoint, status, error code, body shape, how many times,
 *             the expectation case it was checked against, one redacted cURL line);
 *   per endpoint: latency percentiles of the suites' requests (every run has them, k6 or not);
 *   per load script: k6's p95/p99, and the 429 onset the ratelimit script measured;
 *   per expectation case: which statuses and codes were seen, and how often;
 *   over every 429 the suites saw: how many carried Retry-After as delay-seconds, as an HTTP-date, or not at all.
 */

export const RECORD_FORMAT = 'harness-run-record/1';

export interface AnswerRecord {
  endpoint: EndpointId | null;
  method: string;
  status: number;
  /** error.code (named errorCode here: a "code" field is an authorization code to the redactor). */
  errorCode: string | null;
  shape: string;
  /** How many answers of the test had exactly this endpoint, status, code and shape. */
  count: number;
  expectationCase: AnswerCase | null;
  /** The redacted cURL line of one such answer: kept in memory for this run's report, not written to the record (size). */
  curl?: string;
}

export interface TestRecord {
  result: string;
  answers: AnswerRecord[];
}

export interface CaseObservation {
  /** status → how many answers */
  statuses: Record<string, number>;
  /** error code → how many answers */
  codes: Record<string, number>;
}

export interface LoadFigures {
  p95: number | null;
  p99: number | null;
  failedRate: number | null;
  /** k6's per-endpoint latency (http_req_duration{endpoint:…}), when the script tags its requests. */
  endpoints?: Record<string, { p50: number | null; p95: number | null; p99: number | null }>;
}

export interface RunRecord {
  format: typeof RECORD_FORMAT;
  /** `shard`: the conformance shard the run was (`2/3`); absent for the whole suite. */
  run: { id: string; date: string; commit: string; target: { name: string; baseUrl: string }; stages: string[]; shard?: string };
  /** Keyed by the stable test id (see testIdOf). */
  tests: Record<string, TestRecord>;
  /** Latency of the suites' own requests, per endpoint. */
  latency: Partial<Record<EndpointId, LatencyStats>>;
  /** k6's figures per load script, when the load stage ran. */
  load: Record<string, LoadFigures>;
  /**
   * What the ratelimit script measured, when it ran: the sustained limit (what the target let through per second
   * once it limited; load/lib/limit-estimate.ts) and the 429 onset (req/s; it moves with the burst, the limit does not).
   */
  rateLimit: { limitPerSecond?: number | null; onsetPerSecond: number | null } | null;
  expectations: Partial<Record<AnswerCase, CaseObservation>>;
  /** The suites' 429 answers per Retry-After form; null when the run saw no 429 (absent in older records). */
  retryAfter?: RetryAfterCounts | null;
}

interface StoredParameter {
  name: string;
  value: string;
  excluded?: boolean;
  mode?: string;
}

interface StoredResult {
  uuid: string;
  historyId?: string;
  fullName?: string;
  name?: string;
  status?: string;
  stop?: number;
  parameters?: StoredParameter[];
  labels?: { name: string; value: string }[];
  steps?: { name?: string; parameters?: StoredParameter[] }[];
}

/**
 * A test's id across runs and targets: its file and title path plus its visible parameters. Never a generated
 * value: titles are built from fixed case tables, and hidden or excluded parameters (the faker seed, the answers)
 * are left out.
 */
export function testIdOf(result: Pick<StoredResult, 'fullName' | 'name' | 'parameters'>): string {
  const params = (result.parameters ?? [])
    .filter((p) => !p.excluded && p.mode !== 'hidden')
    .map((p) => `${p.name}=${p.value}`)
    .sort();
  return `${result.fullName ?? result.name ?? '?'}${params.length ? ` [${params.join(', ')}]` : ''}`;
}

/**
 * Tests whose requests are drawn from the run's faker seed (junk values): which answer each value earns can
 * differ from run to run, so their answers are not compared (their latency still counts).
 */
export const GENERATED_INPUT_TESTS = /^conformance\/generated-input\.spec\.ts/;

function readStoredResults(dir: string): StoredResult[] {
  if (!existsSync(dir)) return [];
  const latest = new Map<string, StoredResult>();
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('-result.json')) continue;
    const result = JSON.parse(readFileSync(join(dir, file), 'utf8')) as StoredResult;
    // Retries: the last attempt counts, as in the report.
    const key = result.historyId ?? result.uuid;
    const seen = latest.get(key);
    if (!seen || (result.stop ?? 0) >= (seen.stop ?? 0)) latest.set(key, result);
  }
  return [...latest.values()];
}

function groupAnswers(answers: ObservedAnswer[]): AnswerRecord[] {
  const bySignature = new Map<string, AnswerRecord>();
  for (const a of answers) {
    const key = answerSignature({ ...a, errorCode: a.code });
    const found = bySignature.get(key);
    if (found) {
      found.count += 1;
      found.expectationCase ??= a.expectationCase;
    } else {
      bySignature.set(key, { endpoint: a.endpoint, method: a.method, status: a.status, errorCode: a.code, shape: a.shape, count: 1, expectationCase: a.expectationCase, curl: a.curl });
    }
  }
  return [...bySignature.values()].sort((x, y) => answerSignature(x).localeCompare(answerSignature(y)));
}

/** What makes two answers the same for drift: endpoint, method, status, code and body shape. */
export function answerSignature(a: Pick<AnswerRecord, 'endpoint' | 'method' | 'status' | 'errorCode' | 'shape'>): string {
  return `${a.method} ${a.endpoint ?? 'other'} ${a.status}${a.errorCode ? ` ${a.errorCode}` : ''} ${a.shape}`;
}

const numberParam = (r: StoredResult, name: string): number | null => {
  const raw = r.parameters?.find((p) => p.name === name)?.value;
  const n = raw === undefined ? Number.NaN : Number.parseFloat(raw);
  return Number.isFinite(n) ? n : null;
};

export interface RunFacts {
  id: string;
  date: string;
  commit: string;
  target: { name: string; baseUrl: string };
  stages: string[];
  /** The conformance shard the run was (`2/3`), when it was one. */
  shard?: string | null;
  /** The profile's secrets: the record passes through the redactor once more, whatever the results held. */
  secrets?: readonly string[];
}

export function buildRecord(resultsDir: string, facts: RunFacts): RunRecord {
  const tests: Record<string, TestRecord> = {};
  const samples = new Map<EndpointId, number[]>();
  const expectations: Partial<Record<AnswerCase, CaseObservation>> = {};
  const load: RunRecord['load'] = {};
  let rateLimit: RunRecord['rateLimit'] = null;
  const retryAfter: RetryAfterCounts = {};

  for (const r of readStoredResults(resultsDir)) {
    const labels = r.labels ?? [];
    // The harness's own results about drift are not part of what the target did.
    if (labels.some((l) => l.name === 'tag' && l.value === DRIFT_TAG)) continue;
    if (labels.some((l) => l.name === 'tag' && l.value === 'stage-status')) continue;
    // Nor the credential check's verdicts ("Credentials refused"): about the profile's accounts, not a suite's test
    // (their `credentials: <provider>` ids would each count as a suite of the run's scope, and name its record file).
    if (labels.some((l) => l.name === 'tag' && l.value === CREDENTIALS_REFUSED_TAG)) continue;
    if (labels.some((l) => l.name === 'framework' && l.value === 'k6')) {
      const script = (r.fullName ?? '').replace(/^load\/([\w-]+)\.ts.*$/, '$1');
      load[script] = { p95: numberParam(r, 'p95 latency (ms)'), p99: numberParam(r, 'p99 latency (ms)'), failedRate: (() => {
        const raw = r.parameters?.find((p) => p.name === 'failed requests')?.value;
        return raw === undefined ? null : Number.parseFloat(raw) / 100;
      })() };
      const perEndpoint = r.parameters?.find((p) => p.name === LOAD_LATENCY_PARAMETER)?.value;
      if (perEndpoint) load[script]!.endpoints = JSON.parse(perEndpoint) as LoadFigures['endpoints'];
      // The ratelimit result's parameters (load/report/summary-to-allure.ts): 'not measured' / 'none' read as null.
      if (r.parameters?.some((p) => p.name === MEASURED_LIMIT_PARAMETER)) {
        rateLimit = { limitPerSecond: numberParam(r, MEASURED_LIMIT_PARAMETER), onsetPerSecond: numberParam(r, ONSET_PARAMETER) };
      }
      continue;
    }
    const encoded = r.parameters?.find((p) => p.name === ANSWERS_PARAMETER)?.value;
    const answers = encoded ? decodeAnswers(encoded) : [];
    for (const a of answers) {
      if (a.endpoint) {
        if (!samples.has(a.endpoint)) samples.set(a.endpoint, []);
        samples.get(a.endpoint)!.push(a.ms);
      }
      if (a.status === 429 && a.retryAfter) retryAfter[a.retryAfter] = (retryAfter[a.retryAfter] ?? 0) + 1;
      if (a.expectationCase) {
        const seen = (expectations[a.expectationCase] ??= { statuses: {}, codes: {} });
        seen.statuses[a.status] = (seen.statuses[a.status] ?? 0) + 1;
        if (a.code) seen.codes[a.code] = (seen.codes[a.code] ?? 0) + 1;
      }
    }
    const id = testIdOf(r);
    tests[id] = { result: r.status ?? 'unknown', answers: GENERATED_INPUT_TESTS.test(r.fullName ?? '') ? [] : groupAnswers(answers) };
  }

  const latency: RunRecord['latency'] = {};
  for (const [endpoint, list] of [...samples].sort(([a], [b]) => a.localeCompare(b))) latency[endpoint] = latencyStats(list);
  const sortedTests: Record<string, TestRecord> = {};
  for (const id of Object.keys(tests).sort()) sortedTests[id] = tests[id]!;
  const orderedCases: Partial<Record<AnswerCase, CaseObservation>> = {};
  for (const name of ANSWER_CASES) if (expectations[name]) orderedCases[name] = expectations[name];

  const record: RunRecord = {
    format: RECORD_FORMAT,
    run: { id: facts.id, date: facts.date, commit: facts.commit, target: facts.target, stages: facts.stages, ...(facts.shard ? { shard: facts.shard } : {}) },
    tests: sortedTests,
    latency,
    load,
    rateLimit,
    expectations: orderedCases,
    retryAfter: Object.keys(retryAfter).length > 0 ? retryAfter : null,
  };
  // The cURL lines were redacted when they were made; this second pass covers anything the results let through.
  return JSON.parse(new Redactor(facts.secrets ?? []).text(JSON.stringify(record))) as RunRecord;
}

/**
 * The run the results belong to: the earliest `harnessRun` label (each Playwright run's start; CI's shards each have
 * one), so building the report twice from the same results is recognised as the same run. Null without one.
 */
export function runIdOf(resultsDir: string): string | null {
  let earliest: number | null = null;
  for (const r of readStoredResults(resultsDir)) {
    for (const l of r.labels ?? []) {
      if (l.name !== RUN_LABEL) continue;
      const n = Number(l.value);
      if (Number.isFinite(n) && (earliest === null || n < earliest)) earliest = n;
    }
  }
  return earliest === null ? null : new Date(earliest).toISOString().replace(/\.\d+Z$/, 'Z');
}

/** The tag every result about drift carries (the Changed category and the record builder read it). */
export const DRIFT_TAG = 'drift';

export const slugOf = (name: string): string => name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'target';

/** Where the last run on a target is kept: one file per target under the history folder. */
export function recordPathFor(historyDir: string, targetName: string): string {
  return join(historyDir, `${slugOf(targetName)}.run.json`);
}

export function writeRecord(path: string, record: RunRecord): void {
  mkdirSync(dirname(path), { recursive: true });
  // One line per test: small, and a diff of two records reads test by test.
  const lines = [
    '{',
    `"format": ${JSON.stringify(record.format)},`,
    `"run": ${JSON.stringify(record.run)},`,
    `"latency": ${JSON.stringify(record.latency)},`,
    `"load": ${JSON.stringify(record.load)},`,
    `"rateLimit": ${JSON.stringify(record.rateLimit)},`,
    `"expectations": ${JSON.stringify(record.expectations)},`,
    `"retryAfter": ${JSON.stringify(record.retryAfter ?? null)},`,
    '"tests": {',
    // Without the cURL lines: they are most of the size, and the request of a test is the same in every run (the
    // Changed result shows this run's, and the baseline's as the same request sent to the baseline's base URL).
    Object.entries(record.tests)
      .map(([id, t]) => `${JSON.stringify(id)}: ${JSON.stringify({ ...t, answers: t.answers.map(compactAnswer) })}`)
      .join(',\n'),
    '}',
    '}',
  ];
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${lines.join('\n')}\n`);
  renameSync(tmp, path);
}

/** An answer as written: no cURL, and the fields that say nothing (no code, no case, once) left out. */
function compactAnswer({ curl: _curl, ...a }: AnswerRecord): Partial<AnswerRecord> {
  const out: Partial<AnswerRecord> = { ...a };
  if (out.errorCode === null) delete out.errorCode;
  if (out.expectationCase === null) delete out.expectationCase;
  if (out.count === 1) delete out.count;
  return out;
}

/** Puts back what compactAnswer left out. */
function fullAnswer(a: Partial<AnswerRecord>): AnswerRecord {
  return { endpoint: a.endpoint ?? null, method: a.method ?? '?', status: a.status ?? 0, errorCode: a.errorCode ?? null, shape: a.shape ?? '', count: a.count ?? 1, expectationCase: a.expectationCase ?? null };
}

export class RecordError extends Error {
  override name = 'RecordError';
}

export function readRecord(path: string): RunRecord {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new RecordError(`baseline ${path}: cannot be read as JSON (${(error as Error).message})`);
  }
  if ((raw as { format?: unknown }).format !== RECORD_FORMAT) throw new RecordError(`baseline ${path}: not a run record (format is not ${RECORD_FORMAT})`);
  const record = raw as RunRecord;
  for (const t of Object.values(record.tests)) t.answers = t.answers.map(fullAnswer);
  return record;
}

/**
 * Besides the target's last run (recordPathFor), the last run of each scope (what a run ran: its suites, shard and
 * load scripts; lib/drift/baseline.ts) is kept in a folder beside it, so a run's baseline is the last run that had
 * what it has: `reports/history/staging.runs/load-throughput.run.json`. One file per scope a target was run with.
 */
export function scopedRecordDir(historyDir: string, targetName: string): string {
  return join(historyDir, `${slugOf(targetName)}.runs`);
}

/** Every record kept for a target (its last run and the last run of each scope), the unreadable ones left out. */
export function keptRecords(historyDir: string, targetName: string): { record: RunRecord; path: string }[] {
  const paths = [recordPathFor(historyDir, targetName)];
  const dir = scopedRecordDir(historyDir, targetName);
  if (existsSync(dir)) paths.push(...readdirSync(dir).filter((f) => f.endsWith('.run.json')).sort().map((f) => join(dir, f)));
  const out: { record: RunRecord; path: string }[] = [];
  const seen = new Set<string>();
  for (const path of paths) {
    if (!existsSync(path)) continue;
    let record: RunRecord;
    try {
      record = readRecord(path);
    } catch {
      continue;
    }
    // The last run is also the last of its scope: one candidate.
    const key = `${record.run.id}|${record.run.date}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ record, path });
  }
  return out;
}
