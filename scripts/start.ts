import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DEFAULT_PROFILE_PATH, PROJECT_ROOT, ProfileError, loadProfile, type TargetProfile } from '../lib/profile.ts';
import { buildReport, readManifests } from '../reports/build.ts';
import { evaluateGate } from '../reports/quality-gate.ts';
import { REPORT_PATHS } from '../reports/report-config.ts';
import { countResults } from '../reports/results.ts';
import { credentialsToRenewIn, formatSummary, stageLines } from '../reports/summary.ts';
import { OptionsError, USAGE, parseOptions } from './main-job/options.ts';
import { runStage } from './main-job/run-stage.ts';
import { startSimulator, type RunningSimulator } from './main-job/simulator.ts';
import { publicBaseUrl } from './main-job/target-url.ts';
import { runTargetA } from './main-job/compare.ts';
import type { DriftOptions } from '../reports/drift/step.ts';
import { driftForBuild } from '../reports/drift/for-build.ts';
import { readRunSecrets, removeRunDir } from '../lib/credential-sources.ts';
import { RUN_ENV } from '../lib/report-labels.ts';

/**
 * `npm start`: the main job. Every stage against the target (default: the embedded simulator, started here
 * once and stopped at the end), one Allure report, a one-screen summary, exit 1 when the quality gate fails.
 * A stage that fails or cannot run does not stop the others, and the report is always built.
 */

function commit(): string {
  const head = spawnSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  if (head.status !== 0) return process.env.GITHUB_SHA?.slice(0, 12) ?? 'unknown';
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  return `${head.stdout.trim()}${dirty.stdout.trim() ? ' (with local changes)' : ''}`;
}

function fail(message: string, code = 2): never {
  process.stderr.write(`npm start: ${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  const started = Date.now();
  let options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    if (error instanceof OptionsError) fail(error.message);
    throw error;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }

  // FAKER_SEED makes the generated data of a run reproducible: set it to replay a run, the summary names it.
  const seed = process.env.FAKER_SEED?.trim() || String(randomInt(1, 2 ** 31 - 1));

  // --compare A B: A's run first (same seed), then this run against B, with A's record as the baseline.
  const drift: DriftOptions = { learn: options.drift.learn, force: options.drift.force, strict: options.drift.strict, ...(options.drift.baseline ? { baseline: options.drift.baseline } : {}) };
  if (options.drift.compare) {
    const [profileA, profileB] = options.drift.compare;
    try {
      loadProfile(profileA);
      loadProfile(profileB);
    } catch (error) {
      if (error instanceof ProfileError) fail(error.message);
      throw error;
    }
    drift.baseline = (await runTargetA(profileA, process.argv.slice(2), seed, commit())).recordPath;
    options.target = profileB;
  }

  let profile: TargetProfile;
  try {
    profile = loadProfile(options.target ?? DEFAULT_PROFILE_PATH);
  } catch (error) {
    if (error instanceof ProfileError) fail(error.message);
    throw error;
  }

  const target = `${profile.name} (${publicBaseUrl(profile.baseUrl)})`;
  process.stdout.write(`Main job: target ${target}; stages ${options.stages.join(', ')}; faker seed ${seed}\n`);

  // Each run starts from an empty results folder; the history (reports/history) is kept.
  for (const dir of [REPORT_PATHS.results, REPORT_PATHS.stages, REPORT_PATHS.globalAttachments]) rmSync(dir, { recursive: true, force: true });

  let simulator: RunningSimulator | undefined;
  let profilePath = profile.path;
  // The Playwright stages share this simulator; the load stage starts its own, with the rate limit each script needs.
  const simArgs = [
    ...(options.drift.simDefect ? ['--defect', options.drift.simDefect] : []),
    ...(options.drift.simLatencyMs !== undefined ? ['--latency', String(options.drift.simLatencyMs)] : []),
    ...options.simCredentialArgs,
  ];
  if (simArgs.length > 0 && profile.kind !== 'simulator') fail(`the --sim-* flags change the embedded simulator; the target ${profile.name} is not the simulator`);
  if (simArgs.length > 0) process.stdout.write(`Simulator variant: ${simArgs.join(' ')}\n`);
  if (profile.kind === 'simulator' && options.stages.some((s) => s !== 'load')) {
    try {
      simulator = await startSimulator(profile, join(PROJECT_ROOT, 'reports/out'), simArgs);
    } catch (error) {
      fail(`cannot start the simulator: ${(error as Error).message}`);
    }
    profilePath = simulator.profilePath;
    process.stdout.write(`Simulator: ${simulator.baseUrl} (log: ${relative(PROJECT_ROOT, simulator.logPath)})\n`);
  }
  const stopSimulator = async (): Promise<void> => {
    await simulator?.stop();
    simulator = undefined;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void stopSimulator().then(() => process.exit(130)));
  }

  // One run id for every stage: a credential source of `run: once` runs once for all of them, and the credential
  // check before the suites is made once (lib/credential-sources.ts, lib/credential-check.ts). A CI job that set one
  // for its shards keeps it, and cleans up itself.
  const ownsRun = !process.env[RUN_ENV];
  const runId = process.env[RUN_ENV] || String(started);
  const endRun = (): void => {
    if (ownsRun) removeRunDir(runId);
  };
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    [RUN_ENV]: runId,
    TARGET_PROFILE: profilePath,
    FAKER_SEED: seed,
    // Tells the Playwright config to reuse the simulator started here instead of starting its own; SIM_SOCIAL_URL
    // tells credential sources where its fake networks' test-account APIs answer.
    ...(simulator ? { SIMULATOR_ALREADY_RUNNING: '1', SIM_SOCIAL_URL: simulator.socialUrl } : {}),
    // The load stage starts a simulator of its own (the rate limit each script needs): the same variant.
    ...(options.drift.simDefect ? { SIM_DEFECT: options.drift.simDefect } : {}),
    ...(options.drift.simLatencyMs !== undefined ? { SIM_LATENCY_MS: String(options.drift.simLatencyMs) } : {}),
  };
  const runEnvironment = {
    Target: profile.name,
    'Target base URL': publicBaseUrl(simulator?.baseUrl ?? profile.baseUrl),
    Commit: commit(),
    'Node.js': process.version,
    'Faker seed': seed,
  };

  const loadTarget = { baseUrl: profile.baseUrl, allowLoad: profile.load.allowNonLoopback, iOwnThisTarget: options.iOwnThisTarget };
  for (const [i, stage] of options.stages.entries()) {
    process.stdout.write(`\n━━ stage ${i + 1}/${options.stages.length}: ${stage} ━━\n`);
    await runStage(stage, { shard: options.shard, loadScripts: options.loadScripts, target: loadTarget, secrets: profile.secrets, env, required: options.require }, runEnvironment);
  }
  await stopSimulator();
  // What credential sources printed in this run is secret too, in the record and the learned expectations.
  profile.secrets.push(...readRunSecrets(runId));

  if (!options.report) {
    // CI's stage jobs gather results for one report: no record of a part of a run, unless asked for by a drift flag.
    const asked = options.drift.learn || options.drift.baseline !== undefined;
    const driftLines = asked ? driftForBuild({ profile, options: drift }, { ...runEnvironment, Stages: options.stages.join(', '), ...(options.shard && options.stages.includes('conformance') ? { Shard: options.shard } : {}) }, env).lines : [];
    const stages = stageLines(readManifests());
    const gate = evaluateGate(countResults(REPORT_PATHS.results), { stages: options.require, runs: stages });
    process.stdout.write(
      `\n${formatSummary({
        target,
        stages,
        required: options.require,
        renew: credentialsToRenewIn(REPORT_PATHS.results),
        gate,
        report: { html: null, singleFile: null, errors: [] },
        seconds: (Date.now() - started) / 1000,
      })}${driftLines.map((l) => `${l}\n`).join('')}Report not built (--no-report): results are in ${relative(PROJECT_ROOT, REPORT_PATHS.results)}\n`,
    );
    endRun();
    process.exit(gate.passed ? 0 : 1);
  }
  const result = await buildReport({ target, startedAt: started, env, require: options.require, drift: { profile, options: drift } });
  process.stdout.write(`\n${result.summary}`);
  endRun();
  process.exit(result.gate.passed ? 0 : 1);
}

await main();
