import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { mintAccount } from '../../lib/credentials.ts';
import { DEFAULT_PROFILE_PATH, loadProfile, PROJECT_ROOT, type TargetProfile } from '../../lib/profile.ts';
import { freePort } from '../../lib/listening.ts';
import { Redactor } from '../../lib/redact.ts';
import { LOAD_CONFIG_ENV, LOAD_SECRETS_ENV, type LoadConfig } from '../lib/config.ts';
import { mergeSummaries } from '../lib/merge-summaries.ts';
import { summaryFileName } from '../lib/ratelimit-result.ts';
import { thresholdResults, type K6Summary } from '../lib/summary.ts';
import { convertSummary, defaultResultsDir } from '../report/summary-to-allure.ts';
import { findK6 } from './k6-binary.ts';
import { prepareLoadCredentials, type LoadCredentials } from './credential-sources.ts';
import { planRun, resolveProfilePath, type LoadArgs } from './plan.ts';
import { plannedSearchStop, plannedStopLine } from './planned-stop.ts';
import { simulatorVariantArgs, startSimulatorProcess, type SimulatorProcess } from './simulator-process.ts';

/**
 * One load run: profile → plan (safety rules) → simulator if the profile is the simulator's → k6 → summary →
 * Allure results. k6's own output is passed through the redactor, since a failed request's error names its URL.
 */

export interface RunResult {
  script: string;
  /** 0 when k6 passed and every verdict of the harness (onset, drift) held. */
  exitCode: number;
  k6ExitCode: number | null;
  outDir: string;
  summary: K6Summary | null;
  problems: string[];
}

/** What k6's exit codes mean (k6 errext/exitcodes). */
export function describeK6Exit(code: number | null): string {
  switch (code) {
    case 0: return 'passed';
    case 99: return 'thresholds failed';
    case 104: return 'invalid config';
    case 105: return 'aborted from outside';
    case 107: return 'script error';
    case 108: return 'script aborted';
    default: return `exit ${code}`;
  }
}

/** "0,1/3,2/3,1": N equal execution segments, the way k6-operator assigns them from parallelism. */
export function executionSegmentSequence(instances: number): string[] {
  return Array.from({ length: instances + 1 }, (_, i) => (i === 0 ? '0' : i === instances ? '1' : `${i}/${instances}`));
}

/** k6's execution status "paused before run" (lib.ExecutionStatus): its VUs are initialised, it waits for resume. */
const K6_PAUSED_BEFORE_RUN = 4;

/**
 * Waits until every paused k6 instance has initialised its VUs (its REST API reports the status), then resumes
 * them all at once. Gives up, and resumes what is there, when an instance has ended or after 5 minutes.
 */
async function resumeTogether(addresses: readonly string[], someEnded: () => boolean, log: (line: string) => void): Promise<void> {
  const statusOf = async (address: string): Promise<number> => {
    try {
      const res = await fetch(`http://${address}/v1/status`);
      const body = (await res.json()) as { data?: { attributes?: { status?: number } } };
      return body.data?.attributes?.status ?? -1;
    } catch {
      return -1; // its API is not up yet
    }
  };
  const deadline = Date.now() + 300_000;
  while (!someEnded() && Date.now() < deadline) {
    const statuses = await Promise.all(addresses.map(statusOf));
    if (statuses.every((s) => s >= K6_PAUSED_BEFORE_RUN)) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  log(`load: ${addresses.length} k6 instances ready; starting them together`);
  await Promise.all(addresses.map((address) =>
    fetch(`http://${address}/v1/status`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data: { type: 'status', id: 'default', attributes: { paused: false } } }),
    }).then((r) => r.arrayBuffer()).catch(() => undefined)));
}

/** The search stopped the run itself (test.abort, exit 108) once it had measured the limit. */
function searchFinished(summary: K6Summary | null): boolean {
  const rl = summary?.harness?.ratelimit;
  return rl?.mode === 'search' && rl.measured?.limitPerSecond != null;
}

function describeRate(config: LoadConfig): string {
  const rl = config.ratelimit;
  if (!rl) return `${config.rate} req/s`;
  return rl.expectedPerSecond === null ? `searching for the limit up to ${rl.maxRate} req/s` : `expected limit ${rl.expectedPerSecond} req/s`;
}

function stamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\..+$/, '');
}

/** `held`: lines kept back instead of written (the search's planned stop; load/run/planned-stop.ts). */
function pipeRedacted(stream: NodeJS.ReadableStream, out: NodeJS.WritableStream, redactor: Redactor, held?: string[]): Promise<void> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: stream });
    rl.on('line', (line) => {
      const text = redactor.text(line);
      if (held && plannedSearchStop(text) !== null) held.push(text);
      else out.write(`${text}\n`);
    });
    rl.on('close', () => resolve());
  });
}

/**
 * A freshly started simulator compiles its hot paths on the first requests and stalls while it does; the run
 * should measure it warm. Health checks, and a few sign-ins into the profile's isolated rate-limit project, so
 * no token of the bucket the run measures is taken.
 */
async function warmUp(baseUrl: string, profile: TargetProfile): Promise<void> {
  const health = baseUrl.replace(/\/api$/, '/_sim/health');
  for (let i = 0; i < 50; i++) await fetch(health).then((r) => r.arrayBuffer());
  const account = mintAccount(profile, 'facebook') as { accessToken?: string } | undefined;
  if (!profile.rateLimit || !account?.accessToken) return;
  const url = `${baseUrl}/social/facebook/login_with_token?projectId=${encodeURIComponent(profile.rateLimit.projectId)}`;
  for (let i = 0; i < 5; i++) {
    const fresh = mintAccount(profile, 'facebook') as { accessToken: string };
    await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ access_token: fresh.accessToken }) }).then((r) => r.arrayBuffer());
  }
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  /** Where summary.json, the config and the dashboard go (default load/out/<script>-<time>). */
  outDir?: string;
  resultsDir?: string;
  /** Extra k6 arguments (the benchmark uses none; kept for the operator-style --execution-segment). */
  k6Args?: string[];
  log?: (line: string) => void;
  /** Pass k6's console output through (default true; the benchmark keeps its own output short). */
  showK6Output?: boolean;
}

/**
 * `--archive`: the same script and config packed by `k6 archive` for k6-operator (see load/README.md). The
 * config's outDir is the pod's /tmp; secrets stay out of the archive: `--write-secrets` writes the value of
 * LOAD_SECRETS to a file of mode 0600 for `kubectl create secret`, and nothing else holds it.
 */
export async function archiveLoad(args: LoadArgs, options: RunOptions = {}): Promise<string> {
  const env = options.env ?? process.env;
  const k6 = findK6(env);
  const profile = loadProfile(resolveProfilePath(args, env, DEFAULT_PROFILE_PATH), env);
  const plan = planRun(args, profile);
  const runId = `${args.script}-${stamp()}`;
  const workDir = join(PROJECT_ROOT, 'load', 'out', `${runId}-archive`);
  mkdirSync(workDir, { recursive: true });
  const configPath = join(workDir, 'config.json');
  writeFileSync(configPath, `${JSON.stringify({ ...plan.config, outDir: '/tmp', runId, summaryOnStdout: true } satisfies LoadConfig, null, 2)}\n`);
  const archive = resolve(args.archive!);
  const script = join(PROJECT_ROOT, 'load', `${args.script}.ts`);
  const code = await new Promise<number | null>((done) =>
    spawn(k6, ['archive', '-e', `${LOAD_CONFIG_ENV}=${configPath}`, '-O', archive, script], { cwd: PROJECT_ROOT, stdio: 'inherit', env: { ...env, K6_NO_USAGE_REPORT: 'true' } }).once('close', done));
  if (code !== 0) throw new Error(`k6 archive exited with ${code}`);
  if (args.writeSecrets) writeFileSync(resolve(args.writeSecrets), JSON.stringify(plan.secrets), { mode: 0o600 });
  return archive;
}

export async function runLoad(args: LoadArgs, options: RunOptions = {}): Promise<RunResult> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const k6 = findK6(env);
  const profile = loadProfile(resolveProfilePath(args, env, DEFAULT_PROFILE_PATH), env);
  // Planned first for its safety rules (nothing starts before they hold), again once the sources have run.
  let plan = planRun(args, profile);
  const runId = `${args.script}-${stamp()}-${Math.random().toString(36).slice(2, 8)}`;
  const outDir = options.outDir ?? join(PROJECT_ROOT, 'load', 'out', runId);
  mkdirSync(outDir, { recursive: true });

  let sim: SimulatorProcess | null = null;
  let credentials: LoadCredentials | null = null;
  let redactor = new Redactor([...profile.secrets, plan.secrets.clientSecret]);
  const problems: string[] = [];
  try {
    if (plan.simulator) {
      const variant = simulatorVariantArgs(env);
      sim = await startSimulatorProcess(plan.simulator, undefined, variant);
      await warmUp(sim.url, profile);
      const limit = plan.simulator.rateLimit === null ? 'no rate limit' : `${plan.simulator.limiter ?? 'default'} limiter, limit ${plan.simulator.rateLimit}/s, burst ${plan.simulator.burst}`;
      log(`load: started the embedded simulator at ${sim.url} (${limit}${variant.length > 0 ? `; ${variant.join(' ')}` : ''})`);
    }
    // The once sources' accounts join the mix as literal accounts do (their values are secrets from here on).
    credentials = await prepareLoadCredentials(profile, env, sim);
    plan = planRun(args, profile);
    redactor = new Redactor([...profile.secrets, plan.secrets.clientSecret]);
    for (const { reason } of plan.leftOut) log(`load: left out of the mix: ${redactor.text(reason)}`);
    const config: LoadConfig = { ...plan.config, target: { ...plan.config.target, baseUrl: sim ? sim.url : plan.config.target.baseUrl }, outDir, runId };
    const configPath = join(outDir, 'config.json');
    writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
    const dashboardPath = join(outDir, 'dashboard.html');
    const script = join(PROJECT_ROOT, 'load', `${args.script}.ts`);
    const k6Env: NodeJS.ProcessEnv = {
      ...env,
      [LOAD_SECRETS_ENV]: JSON.stringify(plan.secrets),
      K6_NO_USAGE_REPORT: 'true',
      ...(args.dashboard
        ? { K6_WEB_DASHBOARD: 'true', K6_WEB_DASHBOARD_PORT: '-1', K6_WEB_DASHBOARD_PERIOD: '1s', K6_WEB_DASHBOARD_EXPORT: dashboardPath }
        : { K6_WEB_DASHBOARD: 'false' }),
    };
    const instances = args.instances ?? 1;
    const sequence = executionSegmentSequence(instances);
    log(`load: ${relative(PROJECT_ROOT, script)} against ${config.target.baseUrl}: ${describeRate(config)}, ${config.durationSeconds} s${instances > 1 ? `, ${instances} k6 instances (execution segments)` : ''} (${k6} run ...)`);
    const show = options.showK6Output ?? true;
    const sink = show ? null : { write: () => true } as unknown as NodeJS.WritableStream;
    // N instances, each its segment of every scenario (k6 splits the arrival rates); one dashboard only. They
    // start paused and are resumed together once every one has its VUs: one still compiling its VUs while
    // another already runs would starve it (and the target) of CPU, and their seconds would not line up.
    const addresses = instances > 1 ? await Promise.all(Array.from({ length: instances }, async () => `127.0.0.1:${await freePort()}`)) : [];
    let ended = 0;
    const heldLines: string[] = [];
    const exits = Promise.all(Array.from({ length: instances }, (_, i) => {
      const segmentArgs = instances > 1
        ? ['--execution-segment', `${sequence[i]}:${sequence[i + 1]}`, '--execution-segment-sequence', sequence.join(','), '--paused', '--address', addresses[i]!]
        : [];
      const k6Args = ['run', '--quiet', '-e', `${LOAD_CONFIG_ENV}=${configPath}`, ...segmentArgs, ...(options.k6Args ?? []), script];
      const child = spawn(k6, k6Args, { cwd: PROJECT_ROOT, env: i === 0 ? k6Env : { ...k6Env, K6_WEB_DASHBOARD: 'false' }, stdio: ['ignore', 'pipe', 'pipe'] });
      const piping = Promise.all([pipeRedacted(child.stdout!, sink ?? process.stdout, redactor, heldLines), pipeRedacted(child.stderr!, sink ?? process.stderr, redactor, heldLines)]);
      return new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code))).then(async (code) => (ended++, await piping, code));
    }));
    if (instances > 1) await resumeTogether(addresses, () => ended > 0, log);
    const exitCodes = await exits;

    const summaryFiles = instances > 1 ? sequence.slice(0, -1).map((from, i) => join(outDir, summaryFileName(`${from}:${sequence[i + 1]}`))) : [join(outDir, 'summary.json')];
    const found = summaryFiles.filter((f) => existsSync(f));
    let summary: K6Summary | null = null;
    if (found.length === summaryFiles.length) {
      summary = mergeSummaries(found.map((f) => JSON.parse(readFileSync(f, 'utf8')) as K6Summary));
      if (instances > 1) writeFileSync(join(outDir, 'summary.json'), JSON.stringify(summary, null, 1));
    }
    const k6ExitCode = exitCodes.find((c) => c !== 0) ?? 0;
    // The search's planned stop: one plain line when it measured a limit; otherwise k6's own line, as it wrote it.
    if (heldLines.length > 0) {
      if (searchFinished(summary)) log(plannedStopLine(plannedSearchStop(heldLines[0]!)!));
      else if (show) for (const line of heldLines) process.stderr.write(`${line}\n`);
    }
    exitCodes.forEach((code, i) => {
      if (code === 0 || (code === 108 && searchFinished(summary))) return;
      problems.push(`k6${instances > 1 ? ` instance ${i + 1} of ${instances}` : ''}: ${describeK6Exit(code)}`);
    });
    if (summary) {
      // A search stopped by the script (exit 108) evaluated its thresholds all the same: they are in the summary.
      if (exitCodes.includes(108) && searchFinished(summary)) for (const t of thresholdResults(summary)) if (!t.ok) problems.push(`threshold ${t.metric}: ${t.expression} failed`);
      if (summary.harness?.ratelimit && !summary.harness.ratelimit.verdict.ok) problems.push(`rate limit: ${summary.harness.ratelimit.verdict.reason}`);
      if (summary.harness?.ratelimit?.below && !summary.harness.ratelimit.below.ok) problems.push(`rate limit: ${summary.harness.ratelimit.below.reason}`);
      if (summary.harness?.soak && !summary.harness.soak.ok) problems.push(`drift: ${summary.harness.soak.reason}`);
      if (args.report) {
        const resultsDir = options.resultsDir ?? defaultResultsDir(env);
        const written = convertSummary({
          summary,
          resultsDir,
          redactor,
          dashboardHtmlPath: existsSync(dashboardPath) ? dashboardPath : undefined,
          k6ExitCode: k6ExitCode === 108 && searchFinished(summary) ? 0 : k6ExitCode,
          leftOut: plan.leftOut,
        });
        log(`load: Allure results for ${written.length} scenario(s) in ${relative(PROJECT_ROOT, resultsDir) || resultsDir}`);
      }
    } else problems.push(`k6 wrote ${found.length} of ${summaryFiles.length} summaries (the script failed before its end)`);
    for (const p of problems) log(`load: FAILED: ${p}`);
    if (problems.length === 0) log(`load: ${args.script}.ts passed; summary in ${relative(PROJECT_ROOT, outDir)}`);
    return { script: args.script, exitCode: problems.length === 0 ? 0 : 1, k6ExitCode, outDir, summary, problems };
  } finally {
    await sim?.stop();
    credentials?.release();
  }
}
