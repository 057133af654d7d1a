import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { ANSWER_CASES, ERROR_CODE_PATTERN, type AnswerCase } from '../../contract/index.ts';
import { PROJECT_ROOT, type Expectation, type TargetProfile } from '../profile.ts';
import { pinnedParts } from './diff.ts';
import { slugOf, type CaseObservation, type RunRecord } from './record.ts';
import { learnRetryAfter, type RetryAfterFact } from './retry-after-facts.ts';

/**
 * Learn mode: an expectations file written from what the target answered. For every case the run observed, the
 * statuses and codes seen (one value pins it; several stay a list / an open code) and how many answers each rests
 * on; a case the run never reached keeps its current (open) values. The file names the run it comes from and a
 * hash of its cases (and facts): once QA edits it, --learn leaves it alone unless told --force.
 *
 * Beyond statuses and codes it learns facts the expectations cases cannot hold: whether every 429 carried
 * Retry-After, and in which form (lib/drift/retry-after-facts.ts).
 */

interface LearnedCase {
  status: number | number[];
  code: string | null;
  observed: CaseObservation | null;
  $comment?: string;
}

export interface LearnedFile {
  $schema: string;
  $comment: string;
  learned: { run: string; date: string; target: string; commit: string; from: string; sha256: string };
  cases: Record<AnswerCase, LearnedCase>;
  facts: LearnedFacts;
}

/** What a learned file (or an expectations file that adopted one) says besides the cases. */
export interface LearnedFacts {
  retryAfter?: RetryAfterFact;
}

export function learnedPathFor(profile: Pick<TargetProfile, 'name' | 'expectationsPath'>): string {
  return join(dirname(profile.expectationsPath), `${slugOf(profile.name)}.learned.json`);
}

const hashOf = (cases: unknown): string => createHash('sha256').update(JSON.stringify(cases)).digest('hex');

/** The hash a learned file keeps: of its cases, and of its facts when it has them (files written before facts had none). */
export const learnedHash = (file: { cases?: unknown; facts?: unknown }): string => hashOf(file.facts === undefined ? file.cases : { cases: file.cases, facts: file.facts });

const total = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);

function learnCase(current: Expectation, seen: CaseObservation | undefined, from: string): LearnedCase {
  const open: LearnedCase = { status: current.status.length === 1 ? current.status[0]! : current.status, code: current.code, observed: null };
  if (!seen || total(seen.statuses) === 0) return { ...open, $comment: `not observed in this run: left as in ${from}` };
  const statuses = Object.keys(seen.statuses).map(Number).sort((a, b) => a - b);
  // An expectation names a 4xx; anything else (a 5xx, a success) is a defect for the suites to report, not a value to learn.
  if (statuses.some((s) => s < 400 || s > 499)) {
    return { ...open, observed: seen, $comment: `answered outside 4xx (${statuses.join(', ')}): left as in ${from}; see the failed tests` };
  }
  const codes = Object.keys(seen.codes).filter((c) => ERROR_CODE_PATTERN.test(c)).sort();
  const notes: string[] = [];
  if (statuses.length > 1) notes.push(`several statuses seen (${statuses.join(', ')}): kept as a list`);
  if (codes.length > 1) notes.push(`several codes seen (${codes.join(', ')}): code left open`);
  if (codes.length === 0) notes.push('no code of the documented form seen: code left open');
  return {
    status: statuses.length === 1 ? statuses[0]! : statuses,
    code: codes.length === 1 ? codes[0]! : null,
    observed: seen,
    ...(notes.length ? { $comment: notes.join('; ') } : {}),
  };
}

export function learnedFile(record: RunRecord, profile: Pick<TargetProfile, 'expectations' | 'expectationsPath'> & { facts?: LearnedFacts }): LearnedFile {
  const from = relative(PROJECT_ROOT, profile.expectationsPath);
  const cases = {} as Record<AnswerCase, LearnedCase>;
  for (const name of ANSWER_CASES) cases[name] = learnCase(profile.expectations[name], record.expectations[name], from);
  const observed = ANSWER_CASES.filter((c) => cases[c].observed !== null).length;
  const facts: LearnedFacts = { retryAfter: learnRetryAfter(record.retryAfter, profile.facts?.retryAfter, from) };
  return {
    $schema: './expectations.schema.json',
    $comment:
      `Learned by npm start -- --learn from run ${record.run.id} of ${record.run.target.name} on ${record.run.date}: ${observed} of ${ANSWER_CASES.length} cases observed. ` +
      `"observed" says how many answers each value rests on; a case not observed keeps the value of ${from}. ` +
      '"facts" keeps what no case holds: whether every 429 carried Retry-After, and in which form; a later run whose 429s break it fails. ' +
      'To adopt it, point the profile\'s "expectations" at this file (or copy it over your expectations file). Edit freely: once edited, --learn does not overwrite it without --force.',
    learned: { run: record.run.id, date: record.run.date, target: record.run.target.name, commit: record.run.commit, from, sha256: learnedHash({ cases, facts }) },
    cases,
    facts,
  };
}

export type LearnOutcome =
  | { written: true; path: string; observed: number; pinned: number; retryAfter: RetryAfterFact }
  | { written: false; path: string; reason: string };

/** Writes the learned file unless one is there that QA edited (its cases no longer match its hash), or --force. */
export function writeLearnedFile(record: RunRecord, profile: Pick<TargetProfile, 'name' | 'expectations' | 'expectationsPath'> & { facts?: LearnedFacts }, force: boolean, path = learnedPathFor(profile)): LearnOutcome {
  if (existsSync(path) && !force) {
    let edited = true;
    try {
      const existing = JSON.parse(readFileSync(path, 'utf8')) as Partial<LearnedFile>;
      edited = existing.learned?.sha256 !== learnedHash(existing);
    } catch {
      edited = true;
    }
    if (edited) return { written: false, path, reason: `${relative(PROJECT_ROOT, path)} was edited by hand since --learn wrote it; not overwritten (add --force to replace it)` };
  }
  const file = learnedFile(record, profile);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
  const observed = ANSWER_CASES.filter((c) => file.cases[c].observed !== null).length;
  const pinned = ANSWER_CASES.filter((c) => {
    const status = file.cases[c].status;
    const p = pinnedParts({ status: Array.isArray(status) ? status : [status], code: file.cases[c].code });
    return p.status && p.code;
  }).length;
  return { written: true, path, observed, pinned, retryAfter: file.facts.retryAfter! };
}

/** The cases of an expectations file that do not pin one status and one code. */
export function looseCases(expectations: Record<AnswerCase, Expectation>): AnswerCase[] {
  return ANSWER_CASES.filter((c) => {
    const p = pinnedParts(expectations[c]);
    return !(p.status && p.code);
  });
}
