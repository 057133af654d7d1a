import { currentRunId, prepareCredentials, removeRunDir } from '../../lib/credential-sources.ts';
import type { TargetProfile } from '../../lib/profile.ts';
import { RUN_ENV } from '../../lib/report-labels.ts';
import { ensureSimSocialUrl } from '../../lib/sim-social-url.ts';

/**
 * The accounts of the profile's `once` credential sources, for a load run (lib/credential-sources.ts runs them):
 * afterwards they are in `profile.credentials` and their values in `profile.secrets`, so the plan puts them in the
 * mix and the k6 scripts get them as secrets, as literal accounts. `perTest` sources are never run here: each of
 * their accounts works for one test (the plan says so).
 *
 * Which run's accounts: on a target the run shares (a remote one, or one the command does not start), the run's own
 * (HARNESS_RUN_ID: `npm start` gives every stage one), so the load signs in with the accounts the suites used and a
 * source runs once for the whole run. On a simulator this command starts itself, a world of its own whose fake
 * networks know none of the accounts another simulator handed out: its sources run again, against its networks.
 */
export interface LoadCredentials {
  /** Deletes what this load run kept in the system temp folder, unless the run belongs to a caller. */
  release(): void;
}

export async function prepareLoadCredentials(profile: TargetProfile, env: NodeJS.ProcessEnv, ownSimulator: { url: string } | null): Promise<LoadCredentials> {
  const sources = Object.values(profile.sources.credentials).filter((s) => s.run === 'once');
  // Without sources there is still the credential check's verdicts of a run to read (a refused account stays out of
  // the mix); without either, nothing to do.
  if (sources.length === 0 && !env[RUN_ENV]) return { release: () => {} };
  let runId = currentRunId(env);
  let owned = !env[RUN_ENV];
  if (ownSimulator) {
    // Empty environment: the simulator this command started, never SIM_SOCIAL_URL of another the run may have.
    const socialUrl = await ensureSimSocialUrl({ ...profile, baseUrl: ownSimulator.url }, {});
    for (const source of sources) source.env = { ...(socialUrl ? { SIM_SOCIAL_URL: socialUrl } : {}), ...source.env };
    runId = `${runId} load simulator ${ownSimulator.url}`;
    owned = true;
  }
  await prepareCredentials(profile, runId);
  return { release: () => (owned ? removeRunDir(runId) : undefined) };
}
