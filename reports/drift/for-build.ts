import { loadProfile, profilePathFromEnv, type TargetProfile } from '../../lib/profile.ts';
import { RecordError, runIdOf } from '../../lib/drift/record.ts';
import { REPORT_PATHS } from '../report-config.ts';
import { historyDir, runDriftStep, type DriftOptions, type DriftOutcome } from './step.ts';

/**
 * The drift step as the report build runs it: with what `npm start` passes, or, for `npm run report` (CI's report
 * job), with the defaults (compare with the previous run on the target of TARGET_PROFILE) and the run's facts
 * read from the stages' environment. Never stops the report: a problem becomes a summary line.
 */

export interface BuildDrift {
  profile?: TargetProfile;
  options?: DriftOptions;
  /** The run's id; default: now. */
  runId?: string;
}

export function driftForBuild(drift: BuildDrift, environment: Record<string, string>, env: NodeJS.ProcessEnv = process.env): DriftOutcome | { lines: string[] } {
  let profile = drift.profile;
  try {
    profile ??= loadProfile(profilePathFromEnv(env), env);
  } catch (error) {
    return { lines: [`Drift:       not compared: the target profile cannot be loaded (${(error as Error).message})`] };
  }
  const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  try {
    return runDriftStep(
      {
        resultsDir: REPORT_PATHS.results,
        historyDir: historyDir(env),
        profile,
        facts: {
          id: drift.runId ?? runIdOf(REPORT_PATHS.results) ?? date,
          date,
          commit: environment['Commit'] ?? 'unknown',
          target: { name: profile.name, baseUrl: environment['Target base URL'] ?? profile.baseUrl },
          stages: (environment['Stages'] ?? '').split(',').map((s) => s.trim()).filter(Boolean),
          shard: environment['Shard'] ?? null,
          secrets: profile.secrets,
        },
      },
      drift.options ?? { learn: false, force: false, strict: false },
    );
  } catch (error) {
    if (error instanceof RecordError) return { lines: [`Drift:       not compared: ${error.message}`] };
    throw error;
  }
}
