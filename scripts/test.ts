import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { findChromium } from '../lib/chromium.ts';
import { k6MissingReason } from '../load/run/k6-binary.ts';
import { PROJECT_ROOT } from '../lib/profile.ts';

/**
 * `npm test`: the project's own tests, in order, each a named step with its wall time; stops at the first failure
 * and exits non-zero. `.ci/run` calls exactly this.
 */

interface Step {
  name: string;
  command: string[];
  /** Why a step did not run; a step that is skipped says so in the summary and never counts as passed. */
  skipUnless?: () => string | null;
  /** What the step needs and is missing, in one line: the step fails with it instead of running. */
  failUnless?: () => string | null;
}

function findFiles(dir: string, suffix: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules') continue;
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...findFiles(full, suffix));
    else if (entry.endsWith(suffix)) out.push(relative(PROJECT_ROOT, full));
  }
  return out.sort();
}

const unitTests = findFiles(join(PROJECT_ROOT, 'test'), '.test.ts');

const STEPS: Step[] = [
  { name: 'typecheck', command: ['npx', 'tsc', '-p', 'tsconfig.json'] },
  { name: 'unit tests', command: ['npx', 'tsx', '--test', '--test-reporter=spec', ...unitTests] },
  // The k6 scripts against @types/k6 alone (no Node types): what k6 runs must not lean on Node.
  { name: 'k6 scripts typecheck', command: ['npx', 'tsc', '-p', 'load/tsconfig.json'] },
  // Real k6 runs, each against a simulator the command starts on a free port; skipped (never passed) without k6.
  { name: 'k6 smoke.ts vs simulator', command: ['npx', 'tsx', 'scripts/load.ts', 'smoke', '--no-report'], skipUnless: k6MissingReason },
  // 10 s of the 429 ramp at a 40 req/s limit (20 -> 60 req/s: modest enough for a busy 2-core machine); a burst of
  // 0.2 s keeps its stalls from reading as 429s below the limit, and the onset verdict allows for the overshoot
  // that burst predicts. The bars at 50, 200 and 1000 req/s are measured with `npm run load` (load/README.md).
  {
    name: 'k6 ratelimit.ts (10 s) vs simulator',
    command: ['npx', 'tsx', 'scripts/load.ts', 'ratelimit', '--rate', '40', '--burst', '8', '--duration', '10', '--no-report'],
    skipUnless: k6MissingReason,
  },
  // The scale-out path: two k6 instances with execution segments, their summaries merged into one limit (±5%) and
  // one Allure result; skipped (never passed) without k6.
  {
    name: 'k6 ratelimit.ts on 2 instances',
    command: ['npx', 'tsx', '--test', '--test-reporter=spec', 'test/k6/load-instances.k6.ts'],
    skipUnless: k6MissingReason,
  },
  { name: 'conformance vs simulator', command: ['npx', 'playwright', 'test', '--project=conformance'] },
  // The coverage table of that run: every documented parameter, provider and status checked at least once.
  { name: 'conformance coverage', command: ['npx', 'tsx', 'scripts/coverage.ts'] },
  // The browser flows in Debian's Chromium; without the browser this fails at once with the apt-get line.
  {
    name: 'e2e in chromium vs simulator',
    command: ['npx', 'playwright', 'test', '--project=e2e'],
    failUnless: () => {
      const lookup = findChromium();
      return lookup.found ? null : lookup.message;
    },
  },
  // The main job end to end: every stage against the simulator, one report, the quality gate as exit code.
  { name: 'main job (npm start) vs simulator', command: ['npm', 'start'] },
  // The report that run built, opened in Chromium: its totals, every stage, a load result, an attachment.
  { name: 'report opens in Chromium', command: ['npx', 'playwright', 'test', '--config', 'reports/playwright.report.config.ts'] },
  // The harness checks itself: every defect mode of the simulator caught by some check, the good simulator passing
  // (the fast subset: each defect against the suites of its rules; `npm run verify:harness -- --full` nightly).
  { name: 'self-check: defect modes caught', command: ['npx', 'tsx', 'scripts/verify-harness.ts'] },
  // No canary secret in any report, trace or log; unreachable, invalid and slow targets handled in bounded time.
  { name: 'self-check: secret hygiene, robustness', command: ['npx', 'tsx', '--test', '--test-reporter=spec', ...findFiles(join(PROJECT_ROOT, 'test'), '.selfcheck.ts')] },
];

// `npm test -- --only unit` runs the steps whose name contains the word; the default is every step.
const onlyIndex = process.argv.indexOf('--only');
const only = onlyIndex >= 0 ? process.argv[onlyIndex + 1] : undefined;
const selected = only ? STEPS.filter((s) => s.name.includes(only)) : STEPS;
if (selected.length === 0) {
  process.stderr.write(`npm test: no step matches --only ${only}; steps: ${STEPS.map((s) => s.name).join(', ')}\n`);
  process.exit(2);
}

const results: { name: string; outcome: string; seconds: number }[] = [];
let failed = false;
for (const step of selected) {
  const skip = step.skipUnless?.() ?? null;
  if (skip) {
    results.push({ name: step.name, outcome: `SKIPPED (${skip})`, seconds: 0 });
    process.stdout.write(`\n── ${step.name}: skipped: ${skip}\n`);
    continue;
  }
  const missing = step.failUnless?.() ?? null;
  if (missing) {
    results.push({ name: step.name, outcome: 'FAILED (see the line above)', seconds: 0 });
    process.stderr.write(`\n── ${step.name}: ${missing}\n`);
    failed = true;
    break;
  }
  process.stdout.write(`\n── ${step.name}: ${step.command.join(' ')}\n`);
  const started = Date.now();
  const run = spawnSync(step.command[0]!, step.command.slice(1), { cwd: PROJECT_ROOT, stdio: 'inherit', env: process.env });
  const seconds = (Date.now() - started) / 1000;
  const ok = run.status === 0;
  results.push({ name: step.name, outcome: ok ? 'passed' : `FAILED (exit ${run.status ?? run.signal})`, seconds });
  if (!ok) {
    failed = true;
    break;
  }
}

process.stdout.write('\nnpm test summary\n');
for (const r of results) process.stdout.write(`  ${r.name.padEnd(32)} ${r.outcome.padEnd(40)} ${r.seconds.toFixed(1)} s\n`);
process.exit(failed ? 1 : 0);
