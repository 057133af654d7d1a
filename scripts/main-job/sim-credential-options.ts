import { OptionsError } from '../../lib/command-line.ts';

/**
 * The main job's flags that make the embedded simulator's credentials live as real ones do (sim/social/
 * credential-lifetimes.ts): `npm start -- --sim-social-token-ttl 20 --sim-epic-codes-single-use` starts the
 * simulator with `--social-token-ttl 20 --epic-codes-single-use`, to try a profile whose accounts come from
 * credential sources. They pass through as --sim-defect and --sim-latency do.
 */

export const SIM_CREDENTIAL_USAGE = `  --sim-social-token-ttl <s>
                            start the embedded simulator with social credentials that expire s seconds after issue
  --sim-epic-codes-single-use
                            start the embedded simulator with Epic codes that work once and for 300 s
  --sim-facebook-test-users-paused
                            start the embedded simulator with Facebook's test-user creation paused`;

export const SIM_CREDENTIAL_ARG_OPTIONS = {
  'sim-social-token-ttl': { type: 'string' },
  'sim-epic-codes-single-use': { type: 'boolean', default: false },
  'sim-facebook-test-users-paused': { type: 'boolean', default: false },
} as const;

/** The simulator's own flags for what was asked (none by default: today's simulator). */
export function simCredentialArgs(values: Record<string, unknown>): string[] {
  const args: string[] = [];
  const ttl = values['sim-social-token-ttl'] as string | undefined;
  if (ttl !== undefined) {
    const seconds = Number(ttl);
    if (!Number.isFinite(seconds) || seconds <= 0) throw new OptionsError(`--sim-social-token-ttl: expected seconds (a number > 0), got "${ttl}"`);
    args.push('--social-token-ttl', String(seconds));
  }
  if (values['sim-epic-codes-single-use'] === true) args.push('--epic-codes-single-use');
  if (values['sim-facebook-test-users-paused'] === true) args.push('--facebook-test-users-paused');
  return args;
}
