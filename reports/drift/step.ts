import { existsSync, readFileSync, statSync } from 'node:fs';
import type { AnswerCase } from '../../contract/index.ts';
import { join, relative } from 'node:path';
import { diffRecords, type Change, type DiffOptions } from '../../lib/drift/diff.ts';
import { learnedPathFor, looseCases, writeLearnedFile } from '../../lib/drift/learn.ts';
import { describeFact, type RetryAfterFact } from '../../lib/drift/retry-after-facts.ts';
import { chooseBaseline, comparedParts, describeCompared, describeScope, isEmptyScope, scopeKey, scopeOf } from '../../lib/drift/baseline.ts';
import { buildRecord, keptRecords, readRecord, recordPathFor, scopedRecordDir, writeRecord, type RunFacts, type RunRecord } from '../../lib/drift/record.ts';
import { PROJECT_ROOT, expectationFacts, type TargetProfile } from '../../lib/profile.ts';
import { DEFAULT_REGRESSION } from '../../lib/slo.ts';
import { removeChangeResults, writeChangeResults } from './changed-results.ts';

/**
 * The drift step of a run, after the stages and before the report: build the run's record from the gathered
 * results, compare it with the baseline (the previous run on the same target, a record file, or target A of
 * --compare), write each change as an Allure result, keep the record as the target's last run, and --learn.
 * Returns the lines the one-screen summary prints.
 */

export const HISTORY_DIR = join(PROJECT_ROOT, 'reports/history');

export interface DriftOptions {
  /** Write targets/expectations/<name>.learned.json from this run. */
  learn: boolean;
  /** Replace a learned file even when it was edited by hand. */
  force: boolean;
  /** A record file, or 'previous'; undefined means the previous run on the same target when there is one. */
  baseline?: string;
  /** Every change fails, not only broken pinned expectations and latency regressions. */
  strict: boolean;
}

export interface DriftContext {
  resultsDir: string;
  /** Where the last run of each target is kept (reports/history; DRIFT_HISTORY_DIR overrides it). */
  historyDir: string;
  profile: TargetProfile;
  facts: RunFacts;
}

export interface DriftOutcome {
  record: RunRecord | null;
  recordPath: string | null;
  recordBytes: number;
  baseline: string | null;
  changes: Change[];
  lines: string[];
}

/** One line per kind of change (the same title in many tests is one line with a count and an example). */
export function summarizeChanges(changes: Change[], max = 8): string[] {
  const groups = new Map<string, Change[]>();
  for (const c of changes) {
    const key = `${c.failing ? 'FAIL' : 'shown'}|${c.kind}|${c.title}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(c);
  }
  const lines = [...groups.values()]
    // Failing first, then the most frequent.
    .sort((a, b) => Number(b[0]!.failing) - Number(a[0]!.failing) || b.length - a.length)
    .map((g) => {
      const c = g[0]!;
      const where = c.kind === 'answer' ? ` in ${g.length > 1 ? `${g.length} tests, e.g. ` : ''}${c.subject}` : '';
      return `  ${c.failing ? 'FAIL ' : 'shown'} ${c.kind}: ${c.title}${where}`;
    });
  return lines.length > max ? [...lines.slice(0, max), `  … and ${lines.length - max} more kinds of change in the report's Changed category`] : lines;
}

/** The statuses the target's learned file observed, when it has one that is not its expectations file (see DiffOptions). */
function learnedPins(profile: TargetProfile): (NonNullable<DiffOptions['learned']> & { retryAfter?: RetryAfterFact }) | undefined {
  const path = learnedPathFor(profile);
  if (!existsSync(path) || path === profile.expectationsPath) return undefined;
  try {
    const file = JSON.parse(readFileSync(path, 'utf8')) as { cases?: Record<string, { status: number | number[]; observed?: unknown }>; facts?: { retryAfter?: RetryAfterFact } };
    const cases: NonNullable<DiffOptions['learned']>['cases'] = {};
    for (const [name, c] of Object.entries(file.cases ?? {})) {
      cases[name as AnswerCase] = { status: Array.isArray(c.status) ? c.status : [c.status], observed: c.observed !== null && c.observed !== undefined };
    }
    return { file: rel(path), cases, ...(file.facts?.retryAfter ? { retryAfter: file.facts.retryAfter } : {}) };
  } catch {
    return undefined;
  }
}

const rel = (p: string): string => relative(process.cwd(), p) || p;

export function historyDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.DRIFT_HISTORY_DIR ? join(process.cwd(), env.DRIFT_HISTORY_DIR) : HISTORY_DIR;
}

/** `208 tests, 179 with answers; k6 throughput` */
function describeRecord(record: RunRecord, answered: number): string {
  const parts: string[] = [];
  const tests = Object.keys(record.tests).length;
  if (tests > 0) parts.push(`${tests} tests, ${answered} with answers`);
  const load = Object.keys(record.load);
  if (load.length > 0) parts.push(`k6 ${load.join(', ')}`);
  return parts.join('; ');
}

export function runDriftStep(ctx: DriftContext, options: DriftOptions): DriftOutcome {
  const lines: string[] = [];
  const record = buildRecord(ctx.resultsDir, ctx.facts);
  const answered = Object.values(record.tests).filter((t) => t.answers.length > 0).length;
  const scope = scopeOf(record);
  if (isEmptyScope(scope)) {
    return { record: null, recordPath: null, recordBytes: 0, baseline: null, changes: [], lines: ['Drift:       no test or load results, so no record of this run'] };
  }

  const previousPath = recordPathFor(ctx.historyDir, ctx.profile.name);
  const kept = keptRecords(ctx.historyDir, ctx.profile.name);
  // The report built again from the same results (`npm run report` after `npm start`): the record is already kept
  // and the changes already written; comparing the run with itself would only erase them.
  const same = kept.find((k) => k.record.run.id === record.run.id);
  if (same && !options.baseline) {
    return { record, recordPath: same.path, recordBytes: statSync(same.path).size, baseline: null, changes: [], lines: [`Drift:       run ${record.run.id} is already recorded in ${rel(same.path)}; its changes are in the results as they were`] };
  }

  let baseline: RunRecord | null = null;
  let baselineName: string | null = null;
  if (options.baseline && options.baseline !== 'previous') {
    baseline = readRecord(options.baseline);
    baselineName = rel(options.baseline);
  } else {
    // The last run of this target that had what this run has (lib/drift/baseline.ts).
    const chosen = chooseBaseline(kept.filter((k) => k.record.run.id !== record.run.id), scope);
    if (chosen) {
      baseline = chosen.record;
      baselineName = `the previous run on ${ctx.profile.name} with ${describeScope(scopeOf(chosen.record))} (${rel(chosen.path)}, ${baseline.run.date})`;
    }
  }

  let changes: Change[] = [];
  const facts = expectationFacts(ctx.profile.expectationsPath);
  if (baseline) {
    // Changed results of an earlier build from these results, compared with another baseline, are replaced.
    removeChangeResults(ctx.resultsDir);
    const learned = learnedPins(ctx.profile);
    // Retry-After facts: the expectations file's (an adopted learned file) first, then the learned file's beside it.
    const retryAfter = [
      ...(facts?.retryAfter ? [{ file: rel(ctx.profile.expectationsPath), fact: facts.retryAfter }] : []),
      ...(learned?.retryAfter ? [{ file: learned.file, fact: learned.retryAfter }] : []),
    ];
    changes = diffRecords(baseline, record, { expectations: ctx.profile.expectations, regression: ctx.profile.load.regression ?? DEFAULT_REGRESSION, strict: options.strict, ...(learned ? { learned } : {}), retryAfter });
    writeChangeResults(ctx.resultsDir, changes, baseline, record, ctx.profile.secrets);
    const failing = changes.filter((c) => c.failing).length;
    lines.push(`Drift:       against ${baselineName}: ${changes.length} change${changes.length === 1 ? '' : 's'}${changes.length ? ` (${failing} failing)` : ''}`);
    lines.push(`             compared: ${describeCompared(comparedParts(baseline, record))}`);
    lines.push(...summarizeChanges(changes));
  } else {
    lines.push(`Drift:       first run on ${ctx.profile.name} with ${describeScope(scope)}${options.baseline === 'previous' ? ' (no earlier run with any of it to compare with)' : ''}: this run is the baseline of the next`);
  }

  writeRecord(previousPath, record);
  writeRecord(join(scopedRecordDir(ctx.historyDir, ctx.profile.name), `${scopeKey(scope)}.run.json`), record);
  const recordBytes = statSync(previousPath).size;
  lines.push(`Record:      ${rel(previousPath)} (${(recordBytes / 1024).toFixed(0)} KB, ${describeRecord(record, answered)})`);
  // A run without the suites' answers (load only) has nothing to learn from, and must not overwrite a learned file.
  if (answered === 0) {
    if (options.learn) lines.push('Learned:     nothing: this run has no answers of the suites to learn from (--learn needs the conformance or e2e stage)');
    return { record, recordPath: previousPath, recordBytes, baseline: baselineName, changes, lines };
  }

  // Learn when asked, and on a target's first run while its expectations leave cases open: the summary can then
  // point QA at a file to adopt instead of a command to run.
  const loose = looseCases(ctx.profile.expectations);
  const learnedPath = learnedPathFor(ctx.profile);
  if (options.learn || (!baseline && loose.length > 0)) {
    const outcome = writeLearnedFile(record, { ...ctx.profile, ...(facts ? { facts } : {}) }, options.force, learnedPath);
    lines.push(
      outcome.written
        ? `Learned:     ${rel(outcome.path)}: ${outcome.observed} of ${Object.keys(ctx.profile.expectations).length} cases observed, ${outcome.pinned} pinned to one status and code; ${describeFact(outcome.retryAfter)}`
        : `Learned:     ${outcome.reason}`,
    );
  }
  if (loose.length > 0) {
    const adopt = existsSync(learnedPath)
      ? `adopt ${rel(learnedPath)} (point the profile's "expectations" at it) to pin them`
      : 'run npm start -- --learn to write what this server answers, then adopt it';
    lines.push(`Expectations: ${loose.length} of ${Object.keys(ctx.profile.expectations).length} cases unpinned in ${rel(ctx.profile.expectationsPath)} (any of several statuses, or any code): a changed answer there passes; ${adopt}`);
  }
  return { record, recordPath: previousPath, recordBytes, baseline: baselineName, changes, lines };
}
