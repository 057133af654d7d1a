import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { waitForListening } from '../../lib/listening.ts';
import { PROJECT_ROOT } from '../../lib/profile.ts';
import { k6MissingReason } from '../../load/run/k6-binary.ts';
import type { FailedCheck, RunOutcome } from './playwright-run.ts';
import { freePort } from '../../lib/listening.ts';
import { writeProfile } from './target-profiles.ts';

/**
 * The k6 rate-limit script (load/ratelimit.ts) as one more stage of the self-check, when k6 is present: a
 * simulator (good or with a defect) is started with a known limit, and `npm run load -- ratelimit` ramps past
 * it through `--base-url`. Its verdicts (429 onset near the limit, the documented 429 body and Retry-After)
 * are the checks; a failed verdict against a defect is a catch, against the good simulator a false alarm.
 */

export const K6_RATELIMIT_SCRIPT = join(PROJECT_ROOT, 'load/ratelimit.ts');
/** The limit the simulator is started with and the script is told to expect. */
const LIMIT = 40;
const BURST = 2;
const DURATION_SECONDS = 16;

export function k6Available(): boolean {
  return existsSync(K6_RATELIMIT_SCRIPT) && k6MissingReason() === null;
}

function startSimulator(port: number, defect: string | null, quirks: readonly string[], log: NodeJS.WritableStream): Promise<ChildProcess> {
  const args = ['tsx', 'sim/main.ts', '--port', String(port), '--rate-limit', String(LIMIT), '--burst', String(BURST), ...(defect ? ['--defect', defect] : []), ...(quirks.length > 0 ? ['--quirk', quirks.join(',')] : [])];
  const child = spawn('npx', args, { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stderr!.pipe(log, { end: false });
  return waitForListening(child, 'simulator', 30_000).then(() => child);
}

function stop(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGTERM'); // npx, tsx and the simulator: the group this stage started
  } catch {
    /* already gone */
  }
}

export async function runK6RateLimit(dir: string, defect: string | null, quirks: readonly string[] = []): Promise<Pick<RunOutcome, 'failed' | 'errors' | 'passed' | 'seconds'>> {
  mkdirSync(dir, { recursive: true });
  const logPath = join(dir, 'output.log');
  const log = createWriteStream(logPath);
  const started = performance.now();
  const outcome: Pick<RunOutcome, 'failed' | 'errors' | 'passed' | 'seconds'> = { failed: [], errors: [], passed: 0, seconds: 0 };
  const port = await freePort();
  const profile = writeProfile(dir, port, undefined, quirks);
  let sim: ChildProcess | null = null;
  try {
    sim = await startSimulator(port, defect, quirks, log);
    const args = [
      'tsx', 'scripts/load.ts', 'ratelimit', '--target', profile, '--base-url', `http://127.0.0.1:${port}/api`,
      '--rate', String(LIMIT), '--burst', String(BURST), '--duration', String(DURATION_SECONDS), '--no-dashboard', '--no-report',
    ];
    const child = spawn('npx', args, { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    log.write(output);
    // `load: FAILED: <problem>` lines are the verdicts that did not hold; k6's own threshold lines name the check.
    const problems = [...output.matchAll(/^load: FAILED: (.+)$/gm)].map((m) => m[1]!).filter((p) => p !== 'k6: thresholds failed');
    const thresholds = [...output.matchAll(/^\s*FAIL\s+(.+)$/gm)].map((m) => `threshold ${m[1]!.trim()}`);
    const failed: FailedCheck[] = [...problems, ...thresholds].map((reason) => ({ title: 'load/ratelimit.ts', reason: reason.slice(0, 240), category: 'assertion' }));
    if (code !== 0 && failed.length === 0) outcome.errors.push(`npm run load -- ratelimit exited ${code} without a verdict; see ${logPath}`);
    if (code === 0) outcome.passed = 1;
    outcome.failed = failed;
  } catch (error) {
    outcome.errors.push((error as Error).message);
  } finally {
    if (sim) stop(sim);
    await new Promise<void>((resolve) => log.end(resolve));
    outcome.seconds = (performance.now() - started) / 1000;
  }
  return outcome;
}
