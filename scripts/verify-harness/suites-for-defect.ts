import type { Defect, DefectArea } from '../../sim/defects.ts';

/**
 * The fast subset of `npm run verify:harness` (the one `npm test` runs): each defect against the spec files of
 * the rules it breaks, matched by file name, rather than against everything. `--full` ignores this and runs
 * every suite against every defect. When no file matches (the suites were reorganised), all files run: the
 * subset may only ever make a run slower, never let a defect through unchecked.
 */
const FILES_FOR_AREA: Record<DefectArea, RegExp> = {
  state: /oauth-login|state/,
  with_logout: /logout/,
  // The always-on checks see every error answer, so any suite that provokes 4xx answers catches these.
  'error-shape': /jwt-login\.spec/,
  status: /jwt-login\.spec|oauth-login/,
  provider: /jwt-login\.spec|cross-auth|provider/,
  project: /jwt-login\.spec/,
  'required-field': /jwt-login\.spec|cross-auth/,
  redirect: /cross-auth/,
  redirect_uri: /oauth-login|redirect/,
  'jwt-claims': /jwt-login\.spec|cross-auth|flow|exchange|token/,
  'oauth-params': /oauth-login|cross-auth|flow|exchange|scope/,
  'cross-auth': /cross-auth/,
  'code-exchange': /flow|exchange|token/,
  'rate-limit': /rate-?limit/,
  robustness: /jwt-login\.spec|malformed|negative|generated|robust/,
};

/** Defects whose tests sit in fewer or other files than their area's (malformed-body tests: both login specs). */
const FILES_FOR_DEFECT: Record<string, RegExp> = { 'malformed-json-500': /jwt-login\.spec|oauth-login\.spec/ };

/** Areas whose defects a browser flow can see (redirects, state, redirect_uri, the code): e2e runs for them. */
export const E2E_AREAS: readonly DefectArea[] = ['redirect', 'state', 'redirect_uri', 'code-exchange', 'cross-auth'];

/** slow-answers makes every request wait for the per-request timeout: a few tests show it as well as all of them. */
export const SLOW_DEFECT_GREP = 'projectId (missing|not a UUID) is refused';

export function specFilesFor(name: string, defect: Defect, all: readonly string[]): string[] {
  const pattern = FILES_FOR_DEFECT[name] ?? FILES_FOR_AREA[defect.area];
  const matched = all.filter((f) => pattern.test(f));
  return matched.length > 0 ? matched : [...all];
}
