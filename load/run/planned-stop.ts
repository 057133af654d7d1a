import { SEARCH_STOP_PREFIX } from '../lib/search.ts';

/**
 * The limit search of ratelimit.ts ends the run once it has measured the limit. k6 gives a script one way to end a
 * run early, `exec.test.abort()`, and logs it as `level=error msg="test aborted: ..."` (k6's errext), which on a run
 * that passed reads as a failure. A threshold with abortOnFail is logged the same way and marks a threshold failed;
 * letting the scenario run to its planned end would ramp on towards load.maxRate for nothing. So the runner holds
 * back k6's line of this one planned stop and, once the summary shows the search measured a limit, prints one
 * plain line instead; any other abort, or this one without a measured limit, is printed as k6 wrote it.
 */

/** The search's own stop message when `line` is k6's log line of it, else null. */
export function plannedSearchStop(line: string): string | null {
  if (!/\blevel=error\b/.test(line)) return null;
  const at = line.indexOf(`test aborted: ${SEARCH_STOP_PREFIX}`);
  if (at < 0) return null;
  const message = line.slice(at + 'test aborted: '.length);
  // k6 appends where the abort was called (` at default (file:///...:107:50(177))`) and closes the quoted msg.
  return message.replace(/\s+at \S+ \(.*$/, '').replace(/"\s.*$|"$/, '').trim();
}

/** The plain line printed in place of k6's, once the summary shows the search measured a limit. */
export function plannedStopLine(message: string): string {
  return `load: ${message.slice(SEARCH_STOP_PREFIX.length)}; the search stopped k6 there as planned (k6 exit code 108 is this stop)`;
}
