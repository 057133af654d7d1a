import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Stage, Status, type Label, type TestResult } from 'allure-js-commons';
import { FileSystemWriter, ReporterRuntime } from 'allure-js-commons/sdk/reporter';
import { STAGE_DID_NOT_RUN_TAG } from './categories.ts';

/**
 * Reading and writing Allure result folders: counting what a stage produced, recording a stage that could not
 * run as a result of its own (skipped with the reason, or broken with the error), and gathering every stage's
 * folder into the one the report is built from.
 */

export const STATUSES = ['passed', 'failed', 'broken', 'skipped', 'unknown'] as const;
export type ResultStatus = (typeof STATUSES)[number];
export type Counts = Record<ResultStatus, number>;

export const emptyCounts = (): Counts => ({ passed: 0, failed: 0, broken: 0, skipped: 0, unknown: 0 });

export function addCounts(a: Counts, b: Counts): Counts {
  const out = emptyCounts();
  for (const s of STATUSES) out[s] = a[s] + b[s];
  return out;
}

export const totalOf = (c: Counts): number => STATUSES.reduce((n, s) => n + c[s], 0);

export type StoredResult = Pick<TestResult, 'uuid' | 'historyId' | 'status' | 'stop' | 'labels' | 'name' | 'attachments' | 'statusDetails' | 'steps'>;

/** Every attachment of a result, its steps' included (allure-playwright puts them in steps). */
export function attachmentsOf(r: { attachments?: TestResult['attachments']; steps?: TestResult['steps'] }): TestResult['attachments'] {
  return [...(r.attachments ?? []), ...(r.steps ?? []).flatMap((step) => attachmentsOf(step))];
}

export function readResults(dir: string): { file: string; result: StoredResult }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('-result.json'))
    .map((file) => ({ file, result: JSON.parse(readFileSync(join(dir, file), 'utf8')) as StoredResult }));
}

/**
 * Status counts of a results folder, one per test: when a test was retried only its last attempt counts,
 * as in the report.
 */
export function countResults(dir: string): Counts {
  const latest = new Map<string, StoredResult>();
  for (const { result } of readResults(dir)) {
    const key = result.historyId ?? result.uuid;
    const seen = latest.get(key);
    if (!seen || (result.stop ?? 0) >= (seen.stop ?? 0)) latest.set(key, result);
  }
  const counts = emptyCounts();
  for (const r of latest.values()) {
    const status = (STATUSES as readonly string[]).includes(r.status ?? '') ? (r.status as ResultStatus) : 'unknown';
    counts[status] += 1;
  }
  return counts;
}

export interface StageResultInput {
  stage: string;
  /** What the result is about, e.g. "load stage" or "conformance stage did not run". */
  name: string;
  status: 'skipped' | 'broken';
  message: string;
  details?: string;
  severity?: 'blocker' | 'critical' | 'normal' | 'minor' | 'trivial';
  /** The stage could not run at all (a missing tool): its own report category. */
  didNotRun?: boolean;
}

/**
 * One result that stands for a whole stage which could not run (k6 missing → skipped with the reason; the
 * runner crashed before writing results → broken), so the report and the gate see it instead of a silent gap.
 */
export function writeStageResult(dir: string, input: StageResultInput): void {
  mkdirSync(dir, { recursive: true });
  const runtime = new ReporterRuntime({ writer: new FileSystemWriter({ resultsDir: dir }) });
  const now = Date.now();
  const labels: Label[] = [
    { name: 'parentSuite', value: input.stage },
    { name: 'severity', value: input.severity ?? (input.status === 'broken' ? 'critical' : 'normal') },
    { name: 'tag', value: 'stage-status' },
    ...(input.didNotRun ? [{ name: 'tag', value: STAGE_DID_NOT_RUN_TAG }] : []),
  ];
  const uuid = runtime.startTest({
    name: input.name,
    fullName: `${input.stage}: ${input.name}`,
    // A stable id so the history tab tracks "the load stage was skipped" across runs.
    testCaseId: `stage-status:${input.stage}`,
    historyId: `stage-status:${input.stage}`,
    labels,
    start: now,
  });
  runtime.updateTest(uuid, (r) => {
    r.status = input.status === 'skipped' ? Status.SKIPPED : Status.BROKEN;
    r.stage = Stage.FINISHED;
    r.statusDetails = { message: input.message, ...(input.details ? { trace: input.details } : {}) };
  });
  runtime.stopTest(uuid, { stop: now });
  runtime.writeTest(uuid);
}

/**
 * Copies a stage's results into the gathered folder. A result without a `parentSuite` label gets the stage's
 * name, so every stage is one top-level branch of the report's tree whatever wrote it.
 */
export function gatherResults(stageDir: string, stage: string, into: string): number {
  if (!existsSync(stageDir)) return 0;
  mkdirSync(into, { recursive: true });
  let copied = 0;
  for (const file of readdirSync(stageDir)) {
    const from = join(stageDir, file);
    const to = join(into, file);
    if (!statSync(from).isFile()) continue;
    if (file.endsWith('-result.json')) {
      const result = JSON.parse(readFileSync(from, 'utf8')) as { labels?: Label[] };
      result.labels ??= [];
      if (!result.labels.some((l) => l.name === 'parentSuite')) result.labels.push({ name: 'parentSuite', value: stage });
      writeFileSync(to, JSON.stringify(result));
    } else {
      copyFileSync(from, to);
    }
    copied += 1;
  }
  return copied;
}

/** environment.properties: the report's "Metadata" block. Values must already be free of secrets. */
export function writeEnvironment(dir: string, info: Record<string, string>): void {
  mkdirSync(dir, { recursive: true });
  new FileSystemWriter({ resultsDir: dir }).writeEnvironmentInfo(info);
}
