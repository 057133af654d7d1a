import { CREDENTIALS_REFUSED_TAG } from '../lib/report-labels.ts';
import { addCounts, emptyCounts, readResults, totalOf, type Counts, type StoredResult } from './results.ts';
import { GATE_RULE, type GateVerdict } from './quality-gate.ts';

/** The one-screen summary the main job and the report build print last: counts per stage, the gate, the paths. */

export interface StageLine {
  stage: string;
  outcome: 'ran' | 'skipped' | 'broken';
  reason: string | null;
  seconds: number;
  counts: Counts;
  /** How many parts (CI shards) the line sums. */
  parts: number;
}

export interface SummaryInput {
  target: string;
  stages: StageLine[];
  gate: GateVerdict;
  report: { html: string | null; singleFile: string | null; errors: string[] };
  /** Absent when no report was built. */
  history?: { runs: number; path: string };
  seconds?: number;
  /** The stages `--require` named: one that is absent from the run is listed as not run too. */
  required?: readonly string[];
  /** The messages of the "Credentials refused" results: what to renew (credentialsToRenew). */
  renew?: readonly string[];
}

/**
 * What to renew: the message of each "Credentials refused" result (lib/credential-check.ts), once each (stages and
 * shards of one run may each have written the same one).
 */
export function credentialsToRenew(results: readonly Pick<StoredResult, 'labels' | 'statusDetails' | 'status'>[]): string[] {
  const out = new Set<string>();
  for (const r of results) {
    if (r.status !== 'broken' && r.status !== 'failed') continue;
    if (!(r.labels ?? []).some((l) => l.name === 'tag' && l.value === CREDENTIALS_REFUSED_TAG)) continue;
    out.add(r.statusDetails?.message ?? 'a provider\'s credentials were refused (no message recorded)');
  }
  return [...out].sort();
}

/** credentialsToRenew of a results folder. */
export const credentialsToRenewIn = (dir: string): string[] => credentialsToRenew(readResults(dir).map((r) => r.result));

/**
 * The stages that did not run and why, one line each, with the fix their reason carries (how to install k6,
 * Chromium): printed under the table so nobody has to read a note column to learn that a stage is missing.
 */
export function notRunLines(stages: readonly StageLine[], required: readonly string[] = []): string[] {
  const lines: string[] = [];
  for (const line of stages) {
    if (line.outcome === 'ran') continue;
    const tag = line.outcome === 'broken' ? 'could not run' : 'skipped';
    lines.push(`  ${line.stage} ${tag}${required.includes(line.stage) ? ' (required)' : ''}: ${line.reason ?? 'no reason recorded'}`);
  }
  for (const stage of required) {
    if (!stages.some((l) => l.stage === stage)) lines.push(`  ${stage} (required): not in this run (no results of it were gathered)`);
  }
  return lines;
}

/** Merges the manifests of one stage's shards into one line per stage, in the order stages first appear. */
export function stageLines(manifests: Omit<StageLine, 'parts'>[]): StageLine[] {
  const byStage = new Map<string, StageLine>();
  for (const m of manifests) {
    const line = byStage.get(m.stage);
    if (!line) {
      byStage.set(m.stage, { ...m, counts: addCounts(emptyCounts(), m.counts), parts: 1 });
      continue;
    }
    line.counts = addCounts(line.counts, m.counts);
    line.seconds = Math.max(line.seconds, m.seconds);
    line.parts += 1;
    if (m.outcome !== 'ran') line.outcome = m.outcome;
    line.reason ??= m.reason;
  }
  return [...byStage.values()];
}

const pad = (s: string | number, n: number): string => String(s).padStart(n);

export function formatSummary(input: SummaryInput): string {
  const rows: string[] = [];
  rows.push(`Summary: target ${input.target}${input.seconds !== undefined ? `, ${input.seconds.toFixed(0)} s in all` : ''}`);
  rows.push(`  ${'stage'.padEnd(13)}${pad('passed', 7)}${pad('failed', 7)}${pad('broken', 7)}${pad('skipped', 8)}${pad('time', 9)}  note`);
  let total = emptyCounts();
  for (const line of input.stages) {
    const c = line.counts;
    total = addCounts(total, c);
    // The reason of a stage that did not run is printed in full below the table.
    const note = line.outcome === 'skipped' ? 'DID NOT RUN (skipped, see below)' : line.outcome === 'broken' ? 'DID NOT RUN (see below)' : line.reason ?? (line.parts > 1 ? `${line.parts} shards` : '');
    rows.push(
      `  ${line.stage.padEnd(13)}${pad(c.passed, 7)}${pad(c.failed, 7)}${pad(c.broken + c.unknown, 7)}${pad(c.skipped, 8)}${pad(`${line.seconds.toFixed(1)} s`, 9)}  ${note}`,
    );
  }
  rows.push(`  ${'total'.padEnd(13)}${pad(total.passed, 7)}${pad(total.failed, 7)}${pad(total.broken + total.unknown, 7)}${pad(total.skipped, 8)}   (${totalOf(total)} results)`);
  const notRun = notRunLines(input.stages, input.required);
  if (notRun.length > 0) rows.push('Did not run:', ...notRun);
  if (input.renew && input.renew.length > 0) {
    rows.push(`Credentials to renew (their providers' tests were skipped; each is a broken result, so the gate fails):`, ...input.renew.map((m) => `  ${m}`));
  }
  rows.push(
    input.gate.passed
      ? `Quality gate: PASSED (${GATE_RULE})`
      : `Quality gate: FAILED: ${input.gate.reasons.join(', ')} (rule: ${GATE_RULE})`,
  );
  if (input.report.html) {
    rows.push(`Report:      ${input.report.html}   (serve it: npx allure open reports/html)`);
  }
  if (input.report.singleFile) rows.push(`Single file: ${input.report.singleFile}   (opens from disk; send by mail or chat)`);
  for (const error of input.report.errors) rows.push(`Report build error: ${error}`);
  if (input.history) rows.push(`History:     ${input.history.path} (${input.history.runs} run${input.history.runs === 1 ? '' : 's'})`);
  return `${rows.join('\n')}\n`;
}
