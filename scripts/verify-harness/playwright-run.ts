import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../lib/profile.ts';

/**
 * One Playwright run of one project against one target, read back through Playwright's JSON reporter: which
 * tests failed (with the first line of why), which passed, which were flaky or skipped, and any error outside
 * a test (a target that did not start, a config that did not load).
 */

export interface FailedCheck {
  /** `file › describe › test`, as Playwright prints it. */
  title: string;
  /** First line of the failure, redacted by the suites' own client. */
  reason: string;
  /** `timeout` when the target did not answer within the per-request timeout (its own report category). */
  category: 'timeout' | 'unreachable' | 'assertion';
}

export interface RunOutcome {
  passed: number;
  /** The titles of the passed tests (file › describe › title), for proofs that need to know which passed. */
  passedTitles?: string[];
  failed: FailedCheck[];
  flaky: string[];
  skipped: number;
  /** Errors outside any test (webServer, config, global setup). */
  errors: string[];
  exitCode: number | null;
  seconds: number;
  timedOut: boolean;
  logPath: string;
}

export interface RunRequest {
  /** `bare`: bench:failing's spec without project imports (playwright.config.ts adds it under BENCH_BARE_DIR). */
  project: 'conformance' | 'e2e' | 'bare';
  outDir: string;
  env: Record<string, string>;
  files?: readonly string[];
  grep?: string;
  /** Leaves out the tests whose title matches (Playwright's --grep-invert). */
  grepInvert?: string;
  workers: number;
  repeatEach?: number;
  /** Stop after this many failed tests (0: never). */
  maxFailures?: number;
  /** Hard limit for the whole run; a run past it is killed and reported, never left hanging. */
  timeoutMs: number;
  /** Extra reporters besides the JSON one (e.g. allure-playwright for the hygiene test). */
  keepConfigReporters?: boolean;
}

export interface JsonResult {
  status: string;
  error?: { message?: string };
  errors?: { message?: string }[];
}
export interface JsonTest {
  projectName: string;
  status: 'expected' | 'unexpected' | 'flaky' | 'skipped';
  results: JsonResult[];
}
export interface JsonSpec {
  title: string;
  file: string;
  tests: JsonTest[];
}
export interface JsonSuite {
  title: string;
  file: string;
  specs?: JsonSpec[];
  suites?: JsonSuite[];
}
export interface JsonReport {
  suites?: JsonSuite[];
  errors?: { message?: string }[];
}

const ANSI = /\u001b\[[0-9;]*m/g;

function firstLine(message: string | undefined): string {
  return (message ?? '').replace(ANSI, '').split('\n').map((l) => l.trim()).find((l) => l.length > 0)?.slice(0, 240) ?? '(no message)';
}

function categoryOf(message: string): FailedCheck['category'] {
  if (/request timeout|RequestTimeoutError|timed out|Timeout \d+ms exceeded/i.test(message)) return 'timeout';
  if (/target unreachable/i.test(message)) return 'unreachable';
  return 'assertion';
}

/** Walks the report's nested suites; `path` is the describe titles above a spec. */
export function collect(report: JsonReport, outcome: RunOutcome): void {
  const walk = (suite: JsonSuite, path: string[]): void => {
    const here = suite.title && suite.title !== suite.file ? [...path, suite.title] : path;
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests) {
        const title = [spec.file, ...here, spec.title].join(' › ');
        if (t.status === 'expected') {
          outcome.passed++;
          (outcome.passedTitles ??= []).push(title);
        }
        else if (t.status === 'skipped') outcome.skipped++;
        else if (t.status === 'flaky') outcome.flaky.push(title);
        else {
          const bad = t.results.find((r) => r.status !== 'passed' && r.status !== 'skipped');
          const message = bad?.error?.message ?? bad?.errors?.[0]?.message ?? bad?.status ?? '';
          const reason = firstLine(message);
          outcome.failed.push({ title, reason, category: bad?.status === 'timedOut' ? 'timeout' : categoryOf(message.replace(ANSI, '')) });
        }
      }
    }
    for (const child of suite.suites ?? []) walk(child, here);
  };
  for (const suite of report.suites ?? []) walk(suite, []);
  for (const error of report.errors ?? []) {
    // --max-failures reports its own stop as an error; it is the fast mode working, not a broken run.
    if (/^Testing stopped early after \d+ maximum allowed failures/.test(firstLine(error.message))) continue;
    outcome.errors.push(firstLine(error.message));
  }
}

export async function runPlaywright(req: RunRequest): Promise<RunOutcome> {
  mkdirSync(req.outDir, { recursive: true });
  const reportPath = join(req.outDir, 'report.json');
  const logPath = join(req.outDir, 'output.log');
  const args = [
    'playwright', 'test', `--project=${req.project}`,
    `--workers=${req.workers}`,
    `--output=${join(req.outDir, 'test-results')}`,
    ...(req.keepConfigReporters ? [] : ['--reporter=json']),
    ...(req.repeatEach ? [`--repeat-each=${req.repeatEach}`] : []),
    ...(req.maxFailures ? [`--max-failures=${req.maxFailures}`] : []),
    ...(req.grep ? ['--grep', req.grep] : []),
    ...(req.grepInvert ? ['--grep-invert', req.grepInvert] : []),
    ...(req.files ?? []),
  ];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // A fresh simulator for every run: never reuse whatever listens on the port.
    CI: '1',
    PLAYWRIGHT_JSON_OUTPUT_FILE: reportPath,
    PLAYWRIGHT_JSON_OUTPUT_NAME: reportPath,
    FORCE_COLOR: '0',
    ...req.env,
  };
  const log = createWriteStream(logPath);
  const started = performance.now();
  const child = spawn('npx', args, { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    // The whole process group: Playwright, its workers and the simulator it started.
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }, req.timeoutMs);
  const exitCode = await new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  clearTimeout(timer);
  await new Promise<void>((resolve) => log.end(resolve));

  const outcome: RunOutcome = { passed: 0, failed: [], flaky: [], skipped: 0, errors: [], exitCode, seconds: (performance.now() - started) / 1000, timedOut, logPath };
  if (timedOut) outcome.errors.push(`run killed after ${Math.round(req.timeoutMs / 1000)} s`);
  if (!existsSync(reportPath)) {
    if (!req.keepConfigReporters) outcome.errors.push(`no JSON report (exit ${exitCode}); see ${logPath}`);
    return outcome;
  }
  try {
    collect(JSON.parse(readFileSync(reportPath, 'utf8')) as JsonReport, outcome);
  } catch (error) {
    outcome.errors.push(`unreadable JSON report ${reportPath}: ${(error as Error).message}`);
  }
  return outcome;
}
