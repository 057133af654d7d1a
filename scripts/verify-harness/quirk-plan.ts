import { QUIRKS, combinableQuirks, type QuirkArea } from '../../sim/quirks.ts';

/**
 * Which runs prove "0 false alarms" on the quirk modes (sim/quirks.ts), and the verdict line they end in.
 *
 * Fast mode (part of `npm test`, a budget of about a minute on two cores): ONE simulator with every quirk that
 * can be combined runs every conformance file, and the browser flows that see a login URL travel (silent auth and
 * one social login, through the 302 and the login_url); each quirk that cannot join the others runs the spec files
 * of its area. `--full`: every quirk on a simulator of its own against every conformance file, the whole e2e
 * stage where a browser can see the quirk, and the combined simulator against everything as well (interactions).
 */

export interface QuirkRun {
  /** Folder and report name: the quirk's own name, or `quirks-together`. */
  name: string;
  quirks: string[];
  /** Conformance files: every one, or those of the quirk's area. */
  conformance: 'all' | RegExp;
  /** Within those files, only the tests that see the quirk (fast mode, where the area has such a list). */
  grep?: string;
  /** Browser flows: none, the smoke subset that sees login URLs and redirects, or all. */
  e2e: 'none' | 'smoke' | 'all';
  /** The k6 rate-limit script too (when k6 is there): for rate-limit quirks in --full. */
  k6: boolean;
}

export const COMBINED_RUN = 'quirks-together';

/** The spec files that see each area's quirks; a quirk that runs apart in the fast mode runs these. */
const FILES_FOR_AREA: Record<QuirkArea, RegExp> = {
  'error-body': /jwt-login\.spec/,
  'success-body': /jwt-login\.spec|oauth-login\.spec/,
  jwt: /jwt-login\.spec|exchange|cross-auth/,
  'login-url': /oauth-login|cross-auth/,
  status: /jwt-login\.spec|oauth-login/,
  headers: /jwt-login\.spec|cross-auth/,
  encoding: /jwt-login\.spec|oauth-login-query/,
  timing: /logout|cross-auth/,
  'rate-limit': /rate-?limit/,
};

/** Within an area's files, the tests that see its quirks (fast mode): every error status of the JWT call for the error body. */
const GREP_FOR_AREA: Partial<Record<QuirkArea, string>> = {
  'error-body': '(projectId|access_token) .* is refused|malformed JSON body',
};

/** The e2e tests of the fast mode: the browser following a 302 Location and a login_url to the redirect URI. */
export const E2E_SMOKE_GREP = '(steam|xbox|epicgames): 302 to the redirect URI|google: the game page signs in';

export function quirkRuns(names: readonly string[], full: boolean): QuirkRun[] {
  const { together, apart } = combinableQuirks([...names].sort());
  const seenByBrowser = (list: readonly string[]) => list.some((q) => QUIRKS[q]!.e2e);
  const runs: QuirkRun[] = [];
  // Together: every combinable quirk on one simulator (in --full as well, for their interactions).
  if (together.length > 1 || (!full && together.length === 1)) {
    runs.push({
      name: together.length === 1 ? together[0]! : COMBINED_RUN, quirks: together, conformance: 'all',
      e2e: seenByBrowser(together) ? (full ? 'all' : 'smoke') : 'none', k6: false,
    });
  }
  if (full) {
    for (const name of [...names].sort()) {
      const quirk = QUIRKS[name]!;
      runs.push({ name, quirks: [name], conformance: 'all', e2e: quirk.e2e ? 'all' : 'none', k6: quirk.area === 'rate-limit' });
    }
  } else {
    for (const name of apart) {
      const area = QUIRKS[name]!.area;
      runs.push({ name, quirks: [name], conformance: FILES_FOR_AREA[area], ...(GREP_FOR_AREA[area] ? { grep: GREP_FOR_AREA[area] } : {}), e2e: 'none', k6: false });
    }
  }
  return runs;
}

/** The spec files of a run, from every conformance file; never none (a pattern that matches nothing runs them all). */
export function conformanceFilesFor(run: QuirkRun, all: readonly string[]): string[] {
  if (run.conformance === 'all') return [...all];
  const pattern = run.conformance;
  const matched = all.filter((f) => pattern.test(f));
  return matched.length > 0 ? matched : [...all];
}

/** The distinct quirks the runs cover. */
export function quirksCovered(runs: readonly QuirkRun[]): number {
  return new Set(runs.flatMap((r) => r.quirks)).size;
}

/**
 * The last line of `npm run verify:harness`: how many defects were caught, how many tests failed on a conforming
 * quirk server (each one a false alarm), and on how many quirks. Computed, never written by hand.
 */
export function verdictLine(caught: number, defects: number, falseAlarms: number, quirks: number): string {
  return `harness detects ${caught}/${defects} defects, ${falseAlarms} false alarm${falseAlarms === 1 ? '' : 's'} on ${quirks} quirk${quirks === 1 ? '' : 's'}`;
}

/** Reads a verdict line back (the main job and CI print it; a test checks the two agree). */
export function parseVerdictLine(line: string): { caught: number; defects: number; falseAlarms: number; quirks: number } | null {
  const m = /^harness detects (\d+)\/(\d+) defects, (\d+) false alarms? on (\d+) quirks?$/.exec(line.trim());
  return m ? { caught: Number(m[1]), defects: Number(m[2]), falseAlarms: Number(m[3]), quirks: Number(m[4]) } : null;
}
