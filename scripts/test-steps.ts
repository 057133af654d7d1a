import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { k6MissingReason } from '../load/run/k6-binary.ts';
import { PROJECT_ROOT } from '../lib/profile.ts';

/**
 * The steps of `npm test` and the order they run in. Steps of one phase run at the same time (the machine has
 * two cores and most steps leave one idle, or wait on child processes); phases run one after the other, and the
 * first failed phase stops the run. Nothing runs twice: the main job's conformance and e2e runs are THE runs of
 * the suites against the simulator, and the coverage table and the report check read what the main job left.
 */

export interface Step {
  name: string;
  command: string[];
  /** Why a step did not run; a step that is skipped says so in the summary and never counts as passed. */
  skipUnless?: () => string | null;
}

export interface Phase {
  /** Why these steps may share the machine (or why the phase is alone). */
  why: string;
  steps: Step[];
}

export function findFiles(dir: string, suffix: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules') continue;
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...findFiles(full, suffix));
    else if (entry.endsWith(suffix)) out.push(relative(PROJECT_ROOT, full));
  }
  return out.sort();
}

/** Where the main job leaves the conformance stage's own Allure results (scripts/main-job/run-stage.ts). */
export const MAIN_JOB_CONFORMANCE_RESULTS = 'reports/out/stages/conformance/allure-results';

const nodeTest = (files: string[]): string[] => ['npx', 'tsx', '--test', '--test-reporter=spec', ...files];

/** Every `test/*.test.ts` in one process (test/unit-suite.ts finds them): unit tests are pure, so they share one. */
export const UNIT_SUITE = 'test/unit-suite.ts';
/** The self-checks with a step of their own; every other `test/self-check/*.selfcheck.ts` runs in the servers-and-timers step. */
export const SECRET_HYGIENE = 'test/self-check/secret-hygiene.selfcheck.ts';
export const ROBUSTNESS = 'test/self-check/harness-robustness.selfcheck.ts';

/**
 * `full` (`npm test -- --full`, the nightly): the complete version of each step that has a fast one: the secret
 * hygiene over every conformance and e2e test instead of the covering subset, and verify:harness --full.
 */
export function testPhases(options: { full?: boolean } = {}): Phase[] {
  const full = options.full === true;
  const selfChecks = findFiles(join(PROJECT_ROOT, 'test/self-check'), '.selfcheck.ts').filter((f) => f !== SECRET_HYGIENE && f !== ROBUSTNESS);
  return [
    {
      why: 'type checks and unit tests take a core each at most, the robustness checks mostly wait on timeouts; the secret-hygiene run owns the e2e client app port, which nothing else here uses',
      steps: [
        { name: 'typecheck', command: ['npx', 'tsc', '-p', 'tsconfig.json'] },
        // The k6 scripts against @types/k6 alone (no Node types): what k6 runs must not lean on Node.
        { name: 'k6 scripts typecheck', command: ['npx', 'tsc', '-p', 'load/tsconfig.json'] },
        // Pure unit tests, one process; tests that start servers or child processes or wait on timers are self-checks (the last phase).
        { name: 'unit tests', command: nodeTest([UNIT_SUITE]) },
        // No canary secret in any report, trace or log, with conformance and e2e tests failing on purpose: the smallest set
        // of tests that sends every secret through every output path (it proves so before it scans); --full: every test.
        { name: 'self-check: secret hygiene', command: full ? ['env', 'SECRET_HYGIENE_FULL=1', ...nodeTest([SECRET_HYGIENE])] : nodeTest([SECRET_HYGIENE]) },
        // Unreachable, invalid and slow targets handled in bounded time (free ports, no browser).
        { name: 'self-check: robustness', command: nodeTest([ROBUSTNESS]) },
      ],
    },
    {
      why: 'real k6 runs measure rates: alone, so a busy neighbour does not turn into a false 429 onset',
      steps: [
        // Each against a simulator the command starts on a free port; skipped (never passed) without k6.
        { name: 'k6 smoke.ts vs simulator', command: ['npx', 'tsx', 'scripts/load.ts', 'smoke', '--no-report'], skipUnless: k6MissingReason },
        // 10 s of the 429 ramp at a 40 req/s limit (20 -> 60 req/s: modest enough for a busy 2-core machine); a burst of
        // 0.2 s keeps its stalls from reading as 429s below the limit, and the onset verdict allows for the overshoot
        // that burst predicts. The bars at 50, 200 and 1000 req/s are measured with `npm run load` (load/README.md).
        {
          name: 'k6 ratelimit.ts (10 s) vs simulator',
          command: ['npx', 'tsx', 'scripts/load.ts', 'ratelimit', '--rate', '40', '--burst', '8', '--duration', '10', '--no-report'],
          skipUnless: k6MissingReason,
        },
        // The scale-out path: two k6 instances with execution segments, their summaries merged into one limit (±5%)
        // and one Allure result; skipped (never passed) without k6.
        { name: 'k6 ratelimit.ts on 2 instances', command: nodeTest(['test/k6/load-instances.k6.ts']), skipUnless: k6MissingReason },
      ],
    },
    {
      why: 'the main job uses both cores and the e2e client app port',
      steps: [
        // Every stage against the simulator, one report, the quality gate as exit code: the one run of the conformance
        // and e2e suites in npm test. Both must have run (a missing Chromium fails here, with the apt-get line).
        { name: 'main job (npm start) vs simulator', command: ['npm', 'start', '--', '--require', 'conformance,e2e'] },
      ],
    },
    {
      why: 'the coverage table and the report check only read what the main job left, and the server self-checks use free ports, so they share the machine with verify:harness (whose one-at-a-time browser runs leave a core idle)',
      steps: [
        // The coverage table of the main job's conformance run: every documented parameter, provider and status checked.
        { name: 'conformance coverage', command: ['npx', 'tsx', 'scripts/coverage.ts', '--results', MAIN_JOB_CONFORMANCE_RESULTS] },
        // The report the main job built, opened in Chromium: its totals, every stage, a load result, an attachment.
        { name: 'report opens in Chromium', command: ['npx', 'playwright', 'test', '--config', 'reports/playwright.report.config.ts'] },
        // Every defect mode of the simulator caught by some check, the good simulator passing (the fast subset: each
        // defect against the suites of its rules; `npm run verify:harness -- --full` nightly).
        { name: 'self-check: defect modes caught', command: ['npx', 'tsx', 'scripts/verify-harness.ts', ...(full ? ['--full'] : [])] },
        // The simulator over HTTP (every defect and quirk mode, fuzzing), the API client and probes against real sockets,
        // account leases across processes, file locks, credential sources through Playwright and the example sources
        // against the fake networks: tests that start servers or processes or wait on timers.
        { name: 'self-check: simulator, servers and processes', command: nodeTest(selfChecks) },
      ],
    },
  ];
}

/** `--only <word>`: the steps whose name contains the word, each phase keeping only those. */
export function selectSteps(phases: Phase[], only: string | undefined): Phase[] {
  if (!only) return phases;
  return phases.map((p) => ({ ...p, steps: p.steps.filter((s) => s.name.includes(only)) })).filter((p) => p.steps.length > 0);
}
