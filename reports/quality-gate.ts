import { totalOf, type Counts } from './results.ts';

/**
 * The quality gate of a run, the one rule behind `npm start`'s exit code and the CI report job's status:
 *
 *   no failed, no broken and no unknown (interrupted) result, and at least one passed test.
 *
 * Skipped results do not fail it (a load stage without k6, a provider without test accounts), but each one
 * carries its reason and the summary lists them. It is evaluated here rather than by `allure quality-gate`
 * because that command needs Node 22 (it fails on Node 20 with "toArray is not a function") and records an
 * extra run in the history.
 */
export interface GateVerdict {
  passed: boolean;
  reasons: string[];
}

export function evaluateGate(counts: Counts): GateVerdict {
  const reasons: string[] = [];
  if (counts.failed > 0) reasons.push(`${counts.failed} failed`);
  if (counts.broken > 0) reasons.push(`${counts.broken} broken`);
  if (counts.unknown > 0) reasons.push(`${counts.unknown} without a status (interrupted)`);
  if (counts.passed === 0) reasons.push(totalOf(counts) === 0 ? 'no results at all' : 'no test passed');
  return { passed: reasons.length === 0, reasons };
}

export const GATE_RULE = 'no failed, broken or interrupted result, and at least one passed test';
