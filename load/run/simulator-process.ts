import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { waitForListening } from '../../lib/listening.ts';
import { PROJECT_ROOT } from '../../lib/profile.ts';

/**
 * The embedded simulator as a child process on a free loopback port, with the rate limit a run needs. Started
 * the way `npm run sim` starts it and talked to over HTTP only, exactly like a real target.
 */

export interface SimulatorProcess {
  /** e.g. http://127.0.0.1:34567/api */
  url: string;
  stop(): Promise<void>;
}

export interface SimulatorLimit {
  /** Requests per second per project/client, or null for no limit. */
  rateLimit: number | null;
  burst?: number;
  /** Which limiter counts (sim --limiter: a name of `npm run sim -- --list-limiters`); else the simulator's default. */
  limiter?: string;
}

/**
 * The burst the load runs give the simulator: a tenth of a second of the limit. Small enough that the slow middle
 * of the ramp passes the limit by about 5% before the first 429 (load/lib/onset.ts); large enough that a stall of
 * the simulator or of k6 shorter than 100 ms on a busy machine does not bunch arrivals into 429s below the limit.
 */
export function simulatorBurstFor(rateLimit: number): number {
  return Math.max(1, Math.ceil(rateLimit / 10));
}

export function simulatorArgs(limit: SimulatorLimit): string[] {
  const args = ['--port', '0', '--rate-limit', limit.rateLimit === null ? 'off' : String(limit.rateLimit)];
  if (limit.rateLimit !== null && limit.burst !== undefined) args.push('--burst', String(limit.burst));
  if (limit.rateLimit !== null && limit.limiter !== undefined) args.push('--limiter', limit.limiter);
  return args;
}

/** The simulator's command line, through tsx's CLI exactly as `npm run sim` runs it (its loader then reaches the simulator's worker threads too). */
const simCommand = (args: string[]): [string, string[]] => [process.execPath, [join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'sim/main.ts', ...args]];

let limiterNames: readonly string[] | undefined;

/**
 * The limiters the simulator offers, as its command line lists them (`npm run sim -- --list-limiters`: one per
 * line, the name first). The load stage knows the simulator only as a process, like any target: the names come
 * from there, not from the simulator's modules. Asked once per process.
 */
export function simulatorLimiters(): readonly string[] {
  if (limiterNames) return limiterNames;
  const [command, args] = simCommand(['--list-limiters']);
  const listed = spawnSync(command, args, { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 60_000 });
  const names = (listed.stdout ?? '').split('\n').map((line) => /^(\S+)/.exec(line)?.[1]).filter((name): name is string => name !== undefined);
  if (listed.status !== 0 || names.length === 0) {
    throw new Error(`npm run sim -- --list-limiters did not list the simulator's limiters (exit ${listed.status ?? listed.signal}): ${(listed.stderr ?? '').trim() || listed.error?.message || 'no output'}`);
  }
  limiterNames = names;
  return names;
}

/**
 * The simulator variant a run asks for through the environment, as for the Playwright stages: SIM_DEFECT=<name>
 * (one documented rule broken) and SIM_LATENCY_MS=<ms> (every API answer that much later). `npm start --sim-defect
 * / --sim-latency` set them, so the simulator the load stage starts is the same variant as the suites'.
 */
export function simulatorVariantArgs(env: NodeJS.ProcessEnv): string[] {
  const args: string[] = [];
  const defect = env.SIM_DEFECT?.trim();
  if (defect) {
    if (!/^[a-z0-9-]+$/.test(defect)) throw new Error(`SIM_DEFECT: "${defect}" is not a defect name (see npm run sim -- --list-defects)`);
    args.push('--defect', defect);
  }
  const latency = env.SIM_LATENCY_MS?.trim();
  if (latency) {
    if (!/^\d+(\.\d+)?$/.test(latency)) throw new Error(`SIM_LATENCY_MS: expected milliseconds (a number >= 0), got "${latency}"`);
    if (Number(latency) > 0) args.push('--latency', latency);
  }
  return args;
}

export async function startSimulatorProcess(limit: SimulatorLimit, timeoutMs = 60_000, variant: readonly string[] = []): Promise<SimulatorProcess> {
  const [command, args] = simCommand([...simulatorArgs(limit), ...variant]);
  const child: ChildProcess = spawn(command, args, {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const stderrText = (): string => (stderr ? `: ${stderr.trim()}` : '');
  const url = await waitForListening(child, 'simulator', timeoutMs, stderrText).catch((error: Error) => {
    child.kill('SIGTERM');
    throw error;
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
