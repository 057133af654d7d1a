import type { TargetProfile } from './profile.ts';

/**
 * Where the embedded simulator's fake social networks answer, for credential sources (targets/credential-sources/)
 * that call their test-account APIs: `npm start` exports it as SIM_SOCIAL_URL; when Playwright started the
 * simulator itself, the simulator's health check names it (`social_url`). A remote target has no fake networks:
 * nothing is set, and the sources call the real platforms.
 */
export async function ensureSimSocialUrl(profile: TargetProfile, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if (profile.kind !== 'simulator') return undefined;
  if (env.SIM_SOCIAL_URL) return env.SIM_SOCIAL_URL;
  try {
    const health = await fetch(`${new URL(profile.baseUrl).origin}/_sim/health`, { signal: AbortSignal.timeout(profile.timeouts.connectMs) });
    const url = ((await health.json()) as { social_url?: unknown }).social_url;
    if (typeof url !== 'string') return undefined;
    // Set in the runner's environment: Playwright's workers, and the commands they start, inherit it.
    env.SIM_SOCIAL_URL = url;
    return url;
  } catch {
    return undefined; // an older simulator, or none: sources that need the URL say so themselves
  }
}
