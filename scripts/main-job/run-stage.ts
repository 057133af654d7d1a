import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../lib/profile.ts';
import { readRunSecrets } from '../../lib/credential-sources.ts';
import { Redactor } from '../../lib/redact.ts';
import { RUN_ENV } from '../../lib/report-labels.ts';
import { REPORT_PATHS } from '../../reports/report-config.ts';
import { countResults, gatherResults, totalOf, writeStageResult, type Counts } from '../../reports/results.ts';
import type { StageName } from '../../lib/stage-names.ts';
import { STAGES, type StageContext } from './stages.ts';

/**
 * Runs one stage: its commands with their output streamed as they go, its Allure results written to a folder
 * of its own, then checked (a runner that exited non-zero without a failed result to show for it becomes a
 * broken result, so nothing fails quietly), recorded in a small manifest and gathered into the report's folder.
 */

export interface StageManifest {
  stage: StageName;
  shard: string | null;
  /** ran: its commands ran; skipped/broken: it could not run, for `reason`. */
  outcome: 'ran' | 'skipped' | 'broken';
  reason: string | null;
  exitCodes: number[];
  seconds: number;
  counts: Counts;
  /** Tool versions and run facts for the report's environment block (no secrets). */
  environment: Record<string, string>;
}

const manifestName = (stage: StageName, shard: string | undefined): string => (shard ? `${stage}.shard-${shard.replace('/', '-of-')}` : stage);

export const stageManifestPath = (stage: StageName, shard?: string): string => join(REPORT_PATHS.stages, `${manifestName(stage, shard)}.json`);

interface CommandRun {
  code: number;
  /** The last lines the command printed (colour codes removed), to say why it failed. */
  tail: string[];
}

const TAIL_LINES = 40;

/** Runs a command with its output passed through as it comes (the progress), keeping its last lines. */
function run(argv: string[], env: NodeJS.ProcessEnv): Promise<CommandRun> {
  return new Promise((done) => {
    const tail: string[] = [];
    const keep = (chunk: Buffer): void => {
      tail.push(...chunk.toString().replace(/\x1b\[[0-9;]*m/g, '').split('\n'));
      tail.splice(0, Math.max(0, tail.length - TAIL_LINES));
    };
    const child = spawn(argv[0]!, argv.slice(1), { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => (process.stdout.write(chunk), keep(chunk)));
    child.stderr.on('data', (chunk: Buffer) => (process.stderr.write(chunk), keep(chunk)));
    child.once('error', (error) => done({ code: 127, tail: [`cannot start ${argv[0]}: ${error.message}`] }));
    child.once('close', (code, signal) => done({ code: code ?? (signal ? 128 : 1), tail }));
  });
}

/** The line that says what went wrong (an `Error: ...` line), else a pointer to the log. */
export function failureLine(stage: string, code: number, tail: string[]): string {
  const error = tail.map((l) => l.trim()).find((l) => /^(\w*Error|error)\b[:\s]/.test(l));
  return error
    ? `${stage}: ${error} (exit code ${code})`
    : `${stage}: a command exited with code ${code} but no failed or broken result explains it; its output in the job log says why`;
}

/** A required stage that cannot run is broken (the gate fails on it), whatever the stage itself would say. */
export function blockedOutcome(stage: StageName, status: 'skipped' | 'broken', required: readonly StageName[] = []): 'skipped' | 'broken' {
  return required.includes(stage) ? 'broken' : status;
}

export async function runStage(stage: StageName, ctx: StageContext, runEnvironment: Record<string, string>): Promise<StageManifest> {
  const started = Date.now();
  const name = manifestName(stage, stage === 'conformance' ? ctx.shard : undefined);
  const stageResults = join(REPORT_PATHS.stages, name, 'allure-results');
  rmSync(stageResults, { recursive: true, force: true });
  mkdirSync(stageResults, { recursive: true });

  const exitCodes: number[] = [];
  let outcome: StageManifest['outcome'] = 'ran';
  let reason: string | null = null;
  let environment: Record<string, string> = {};

  try {
    const plan = STAGES[stage](ctx);
    environment = plan.environment;
    if (plan.kind === 'blocked') {
      outcome = blockedOutcome(stage, plan.status, ctx.required);
      reason = plan.reason;
      writeStageResult(stageResults, { stage, name: `${stage} stage did not run`, status: outcome, message: plan.reason, didNotRun: true });
    } else {
      const env = { ...ctx.env, ALLURE_RESULTS_DIR: stageResults };
      let firstFailure: CommandRun | undefined;
      for (const [i, command] of plan.commands.entries()) {
        process.stdout.write(`\n▶ ${stage}${plan.commands.length > 1 ? ` (${i + 1}/${plan.commands.length})` : ''}: ${command.argv.join(' ')}\n`);
        const result = await run(command.argv, env);
        exitCodes.push(result.code);
        if (result.code !== 0) firstFailure ??= result;
      }
      const counts = countResults(stageResults);
      if (firstFailure && counts.failed + counts.broken === 0) {
        // The runner says something went wrong but no result says what: a crash, an unreachable target in the
        // global setup, a bad config, "no tests found". Its own error line becomes the message (and so decides
        // the category); its last lines become the trace.
        // With what the run's credential sources printed: they are secrets as much as the profile's.
        const runId = ctx.env[RUN_ENV];
        const redactor = new Redactor([...ctx.secrets, ...(runId ? readRunSecrets(runId) : [])]);
        reason = redactor.text(failureLine(stage, firstFailure.code, firstFailure.tail));
        writeStageResult(stageResults, { stage, name: `${stage} stage exited abnormally`, status: 'broken', message: reason, details: redactor.text(firstFailure.tail.join('\n')) });
      }
    }
  } catch (error) {
    // The harness itself failed around the stage: recorded as broken, and the next stage still runs.
    outcome = 'broken';
    reason = `${stage}: the stage could not be run: ${(error as Error).message}`;
    writeStageResult(stageResults, { stage, name: `${stage} stage`, status: 'broken', message: reason, details: (error as Error).stack ?? '' });
  }

  const manifest: StageManifest = {
    stage,
    shard: stage === 'conformance' ? (ctx.shard ?? null) : null,
    outcome,
    reason,
    exitCodes,
    seconds: (Date.now() - started) / 1000,
    counts: countResults(stageResults),
    environment: { ...runEnvironment, ...environment },
  };
  gatherResults(stageResults, stage, REPORT_PATHS.results);
  mkdirSync(REPORT_PATHS.stages, { recursive: true });
  writeFileSync(stageManifestPath(stage, manifest.shard ?? undefined), `${JSON.stringify(manifest, null, 2)}\n`);
  const c = manifest.counts;
  process.stdout.write(
    `\n${outcome === 'ran' ? '■' : '○'} ${stage} ${outcome === 'ran' ? 'finished' : outcome} in ${manifest.seconds.toFixed(1)} s: ` +
      `${totalOf(c)} results (${c.passed} passed, ${c.failed} failed, ${c.broken} broken, ${c.skipped} skipped)` +
      `${reason ? `\n  ${reason}` : ''}\n`,
  );
  return manifest;
}
