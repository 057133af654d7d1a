import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { SEED_ENV, runSeed } from './data-builders.ts';
import { checkCredentials } from './credential-check.ts';
import { removeRunDir } from './credential-sources.ts';
import { PROJECT_ROOT, loadProfile, profilePathFromEnv } from './profile.ts';
import { probeTarget } from './target-probe.ts';
import { RUN_ENV } from './report-labels.ts';
import { ensureSimSocialUrl } from './sim-social-url.ts';

/**
 * Before any Playwright stage: the target must answer (else the run stops at once, naming the URL), and the
 * faker seed is fixed for every worker, printed, and written where the coverage table and the report find it. Then
 * the credential check (lib/credential-check.ts): each provider's first account signs in once, credential sources
 * run; what cannot be used has its tests skipped and one broken result in the report.
 */

/** Where a run leaves its facts (start time, seed, target) for the coverage table and the report. */
export const RUN_INFO_PATH = resolve(PROJECT_ROOT, 'reports/out/playwright-run.json');

export interface RunInfo {
  startedAt: number;
  seed: number;
  target: { name: string; kind: string; baseUrl: string };
  resultsDir: string;
}

export default async function globalSetup(): Promise<(() => Promise<void>) | void> {
  const profile = loadProfile(profilePathFromEnv());
  const probe = await probeTarget(profile.baseUrl, profile.timeouts.connectMs);
  if (!probe.ok) {
    throw new Error(`target unreachable: ${profile.baseUrl} (profile "${profile.name}", ${probe.reason}); check the URL and that the server is up`);
  }
  // Credential sources that call the simulator's fake test-account APIs find them through SIM_SOCIAL_URL.
  await ensureSimSocialUrl(profile);
  const seed = runSeed();
  process.env[SEED_ENV] = String(seed);
  // stderr: stdout may be a machine-readable reporter (--reporter=json).
  process.stderr.write(`faker seed: ${seed} (set ${SEED_ENV}=${seed} to reproduce the generated input)\n`);
  const startedAt = Date.now();
  // A job that runs the suite in shards sets one run id for all of them (npm start sets one for all its stages);
  // otherwise this run's start names it, and this run owns the run's folder (credential sources' accounts).
  const ownsRun = !process.env[RUN_ENV];
  process.env[RUN_ENV] ??= String(startedAt);
  const runId = process.env[RUN_ENV]!;
  const info: RunInfo = {
    startedAt,
    seed,
    target: { name: profile.name, kind: profile.kind, baseUrl: profile.baseUrl },
    resultsDir: resolve(PROJECT_ROOT, process.env.ALLURE_RESULTS_DIR ?? 'reports/allure-results'),
  };
  mkdirSync(dirname(RUN_INFO_PATH), { recursive: true });
  writeFileSync(RUN_INFO_PATH, `${JSON.stringify(info, null, 2)}\n`);
  await checkCredentials(profile, { runId, resultsDir: info.resultsDir });
  // The run's folder holds what credential sources printed: gone when the run that made it ends.
  if (ownsRun) return async () => removeRunDir(runId);
}
