import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../lib/profile.ts';
import { REPORT_PATHS } from '../../reports/report-config.ts';
import { countResults, gatherResults, totalOf, writeStageResult, type Counts } from '../../reports/results.ts';
import type { StageName } from './options.ts';
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

function run(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((done) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', (error) => {
      process.stderr.write(`cannot start ${argv[0]}: ${error.message}\n`);
      done(127);
    });
    child.once('exit', (code, signal) => done(code ?? (signal ? 128 : 1)));
  });
}

export async function runStage(stage: StageName, ctx: StageContext, runEnvironment: Record<string, string>): Promise<StageManifest> {
  const started = Date.now();
  const name = manifestName(stage, stage === 'conformance' ? ctx.shard : undefined);
  const stageResults = join(REPORT_PATHS.stages, name, 'allure-results');
  rmSync(stageResults, { recursive: true, force: true });
  mkdirSync(stageResults, { recursive: true });

  const plan = STAGES[stage](ctx);
  const exitCodes: number[] = [];
  let outcome: StageManifest['outcome'] = 'ran';
  let reason: string | null = null;

  if (plan.kind === 'blocked') {
    outcome = plan.status;
    reason = plan.reason;
    writeStageResult(stageResults, { stage, name: `${stage} stage`, status: plan.status, message: plan.reason });
  } else {
    const env = { ...ctx.env, ALLURE_RESULTS_DIR: stageResults };
    for (const [i, command] of plan.commands.entries()) {
      process.stdout.write(`\n▶ ${stage}${plan.commands.length > 1 ? ` (${i + 1}/${plan.commands.length})` : ''}: ${command.argv.join(' ')}\n`);
      exitCodes.push(await run(command.argv, env));
    }
    const counts = countResults(stageResults);
    const failedCodes = exitCodes.filter((c) => c !== 0);
    if (failedCodes.length > 0 && counts.failed + counts.broken === 0) {
      // The runner says something went wrong but no result says what: a crash, a bad config, "no tests found".
      const message = `${stage}: a command exited with code ${failedCodes[0]} but no failed or broken result explains it; its output in the job log says why`;
      writeStageResult(stageResults, { stage, name: `${stage} stage exited abnormally`, status: 'broken', message });
      reason = message;
    }
  }

  const manifest: StageManifest = {
    stage,
    shard: stage === 'conformance' ? (ctx.shard ?? null) : null,
    outcome,
    reason,
    exitCodes,
    seconds: (Date.now() - started) / 1000,
    counts: countResults(stageResults),
    environment: { ...runEnvironment, ...plan.environment },
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
