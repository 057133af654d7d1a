import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { diffRecords, type Change } from '../../lib/drift/diff.ts';
import { learnedPathFor, writeLearnedFile } from '../../lib/drift/learn.ts';
import { buildRecord, recordPathFor, writeRecord, type RunRecord } from '../../lib/drift/record.ts';
import { DEFAULT_PROFILE_PATH, PROJECT_ROOT, expectationFacts, loadProfile, type TargetProfile } from '../../lib/profile.ts';
import { describeFact } from '../../lib/drift/retry-after-facts.ts';
import { startSimulator } from '../../sim/server.ts';
import type { SimOptions } from '../../sim/context.ts';
import { runPlaywright } from './playwright-run.ts';
import { writeProfile } from './target-profiles.ts';

/**
 * verify:harness's proof of the drift comparison, through the same modules `npm start` uses: learn from a clean
 * simulator, adopt the learned expectations, then compare runs against the simulator changed in one way each with
 * that baseline. Each change must be reported and fail (a status, an error code, +300 ms on every answer, 429s that
 * no longer carry the Retry-After every 429 of the learn run carried), and a
 * second run against the unchanged simulator must report no change at all (no false alarm from the run's new
 * faker seed or a busy machine).
 */

/**
 * One suite is enough: its parameter checks give the pinned cases, its requests the latency sample. Plus one
 * rate-limit test, whose 429s give the learned Retry-After fact (the other two endpoints' would only add time).
 */
const FILES = ['conformance/jwt-login.spec.ts', 'conformance/rate-limit.spec.ts'];
const GREP_INVERT = '(oauthLogin|crossAuth): past the limit';
const LATENCY_MS = 300;

interface Variant {
  name: string;
  sim: Partial<SimOptions>;
  /** What the comparison must report, or null for "nothing". */
  expect: ((c: Change) => boolean) | null;
  describe: string;
}

const VARIANTS: Variant[] = [
  { name: 'unchanged', sim: {}, expect: null, describe: 'the same simulator again: no change' },
  {
    name: 'status', sim: { defect: 'wrong-4xx-for-invalid-input' }, describe: 'a changed status (422 → 400)',
    expect: (c) => c.kind === 'answer' && c.failing && /^422 \S+ → 400/.test(c.title),
  },
  {
    name: 'code', sim: { defect: 'error-code-not-nnn-nnn' }, describe: 'a changed error code, same status',
    expect: (c) => c.kind === 'answer' && c.failing && /^(\d{3}) (\S+) → \1 (?!\2)\S+/.test(c.title),
  },
  {
    name: 'latency', sim: { latencyMs: LATENCY_MS }, describe: `+${LATENCY_MS} ms on every answer`,
    expect: (c) => c.kind === 'latency' && c.endpoint === 'jwtLogin' && c.failing,
  },
  {
    // The profile does not pin rateLimit.retryAfter (as a profile written before any run would not): the rate-limit
    // test passes without the header, and only the learned fact says the server changed.
    name: 'retry-after', sim: { defect: '429-without-retry-after' }, describe: '429s without Retry-After (learned: on every 429)',
    expect: (c) => c.kind === 'rate limit' && c.failing && /Retry-After/.test(c.title),
  },
];

async function recordOf(dir: string, sim: Partial<SimOptions>, expectationsPath: string): Promise<{ record: RunRecord; profile: TargetProfile }> {
  const running = await startSimulator({ port: 0, ...sim });
  try {
    const profilePath = writeProfile(dir, running.port, (doc) => {
      doc.name = 'drift proof';
      doc.expectations = expectationsPath;
      if (doc.rateLimit) delete (doc.rateLimit as { retryAfter?: boolean }).retryAfter;
    });
    const results = join(dir, 'allure-results');
    rmSync(results, { recursive: true, force: true });
    await runPlaywright({
      project: 'conformance', outDir: dir, files: FILES, grepInvert: GREP_INVERT, workers: 2, timeoutMs: 8 * 60_000, keepConfigReporters: true,
      env: { TARGET_PROFILE: profilePath, SIMULATOR_ALREADY_RUNNING: '1', E2E_CLIENT_APP: 'off', ALLURE_RESULTS_DIR: results },
    });
    const profile = loadProfile(profilePath);
    const date = new Date().toISOString();
    return { profile, record: buildRecord(results, { id: `${sim.defect ?? (sim.latencyMs ? `latency-${sim.latencyMs}` : 'clean')}-${date}`, date, commit: 'verify-harness', target: { name: profile.name, baseUrl: profile.baseUrl }, stages: ['conformance'], secrets: profile.secrets }) };
  } finally {
    await running.close();
  }
}

export interface DriftProof {
  ok: boolean;
  caught: number;
  expected: number;
  falseAlarms: number;
  lines: string[];
}

export async function driftProof(outDir: string): Promise<DriftProof> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const lines: string[] = [];
  // The simulator's expectations, copied: the learned file is written beside them, inside this run's folder.
  const expectations = join(outDir, 'expectations.json');
  copyFileSync(loadProfile(DEFAULT_PROFILE_PATH).expectationsPath, expectations);

  const started = performance.now();
  const learn = await recordOf(join(outDir, 'learn'), {}, expectations);
  const learned = writeLearnedFile(learn.record, learn.profile, true, learnedPathFor(learn.profile));
  writeRecord(recordPathFor(join(outDir, 'history'), learn.profile.name), learn.record);
  const tests = Object.values(learn.record.tests).filter((t) => t.answers.length > 0).length;
  if (!learned.written || learned.observed === 0 || tests === 0) {
    return { ok: false, caught: 0, expected: VARIANTS.length - 1, falseAlarms: 0, lines: [`drift: learn run gave nothing to compare (${tests} tests with answers; ${learned.written ? `${learned.observed} cases observed` : learned.reason})`] };
  }
  lines.push(`drift: learned ${relative(PROJECT_ROOT, learned.path)} (${learned.observed} cases observed; ${describeFact(learned.retryAfter)}) from ${tests} tests; baseline latency jwtLogin ${JSON.stringify(learn.record.latency.jwtLogin)}`);

  let caught = 0;
  let falseAlarms = 0;
  for (const v of VARIANTS) {
    // Compared with the learned expectations adopted: what learn pinned is what a change must not break.
    const { record, profile } = await recordOf(join(outDir, v.name), v.sim, learned.path);
    const facts = expectationFacts(learned.path);
    const changes = diffRecords(learn.record, record, {
      expectations: profile.expectations, regression: profile.load.regression!, strict: false,
      ...(facts?.retryAfter ? { retryAfter: [{ file: relative(PROJECT_ROOT, learned.path), fact: facts.retryAfter }] } : {}),
    });
    writeRecord(join(outDir, v.name, 'record.json'), record);
    const failing = changes.filter((c) => c.failing).length;
    if (v.expect === null) {
      falseAlarms += changes.length;
      lines.push(`  ${changes.length === 0 ? 'ok    ' : 'FALSE '} ${v.describe}: ${changes.length} changes${changes.length ? `: ${changes.slice(0, 3).map((c) => `${c.kind} ${c.title}`).join('; ')}` : ''}`);
      continue;
    }
    const hit = changes.find(v.expect);
    if (hit) caught += 1;
    lines.push(`  ${hit ? 'caught' : 'MISSED'} ${v.describe}: ${changes.length} changes (${failing} failing)${hit ? `, e.g. ${hit.kind} ${hit.title}${hit.kind === 'answer' ? ` in ${hit.subject}` : ''}` : ''}`);
  }
  const expected = VARIANTS.filter((v) => v.expect !== null).length;
  lines.push(`drift: learn → change → compare caught ${caught}/${expected} changes, ${falseAlarms} changes reported on an unchanged target (${Math.round((performance.now() - started) / 1000)} s)`);
  return { ok: caught === expected && falseAlarms === 0, caught, expected, falseAlarms, lines };
}

// `npx tsx scripts/verify-harness/drift-proof.ts`: the proof alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  const proof = await driftProof(join(PROJECT_ROOT, 'reports/out/verify-harness/drift-proof'));
  for (const line of proof.lines) process.stdout.write(`${line}\n`);
  process.exit(proof.ok ? 0 : 1);
}
