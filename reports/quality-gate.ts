import { totalOf, type Counts } from './results.ts';

/**
 * The quality gate of a run, the one rule behind `npm start`'s exit code and the CI report job's status:
 *
 *   no failed, no broken and no unknown (interrupted) result, and at least one passed test.
 *
 * Skipped results do not fail it (a load stage without k6, a provider without test accounts), but each one
 * carries its reason and the summary lists them. A stage named with `--require` must have run: one that was
 * skipped, could not start (a missing tool) or was left out fails the gate, so a nightly runner without k6
 * fails the night instead of passing it silently. It is evaluated here rather than by `allure quality-gate`
 * because that command needs Node 22 (it fails on Node 20 with "toArray is not a function") and records an
 * extra run in the history.
 */
export interface GateVerdict {
  passed: boolean;
  reasons: string[];
}

/** What the gate needs to know of a stage: did it run, and if not, why. */
export interface StageRun {
  stage: string;
  outcome: 'ran' | 'skipped' | 'broken';
  reason: string | null;
}

/** One line per required stage that did not run, saying why (its own reason, or that the run left it out). */
export function requiredStageProblems(required: readonly string[], stages: readonly StageRun[]): string[] {
  const problems: string[] = [];
  for (const name of required) {
    const runs = stages.filter((s) => s.stage === name);
    const notRun = runs.find((s) => s.outcome !== 'ran');
    if (runs.length === 0) problems.push(`required stage ${name} did not run: no result of it in this run`);
    else if (notRun) problems.push(`required stage ${name} did not run: ${notRun.reason ?? notRun.outcome}`);
  }
  return problems;
}

export function evaluateGate(counts: Counts, require: { stages: readonly string[]; runs: readonly StageRun[] } = { stages: [], runs: [] }): GateVerdict {
  const reasons: string[] = requiredStageProblems(require.stages, require.runs).map((p) => p.replace(/: .*$/, ''));
  if (counts.failed > 0) reasons.push(`${counts.failed} failed`);
  if (counts.broken > 0) reasons.push(`${counts.broken} broken`);
  if (counts.unknown > 0) reasons.push(`${counts.unknown} without a status (interrupted)`);
  if (counts.passed === 0) reasons.push(totalOf(counts) === 0 ? 'no results at all' : 'no test passed');
  return { passed: reasons.length === 0, reasons };
}

export const GATE_RULE = 'no failed, broken or interrupted result, at least one passed test, and every --require stage run';
