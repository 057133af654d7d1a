import { matchCategory, normalizeCategoriesConfig, type CategoryRule } from '@allurereport/core-api';
import { CREDENTIALS_REFUSED_TAG } from '../lib/report-labels.ts';

/**
 * Why a test did not pass, as the report's Categories tab sorts it. The first rule that matches wins, so the
 * causes that are not about the server's behaviour (it could not be reached, it throttled us, something took
 * too long) come before "spec violation", and whatever is left over is the harness's own fault.
 *
 * allure-playwright records any error thrown in a test as `failed`, so the rules look at the message, not
 * only the status. The patterns are exported for the unit test that pins each cause to sample messages.
 */

/** The target could not be reached at all: DNS, refused or reset connections, undici's "fetch failed". */
export const UNREACHABLE_TARGET =
  /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|EHOSTUNREACH|ENETUNREACH|EPIPE|UND_ERR_SOCKET|UND_ERR_CONNECT_TIMEOUT)\b|fetch failed|socket hang up|target (is )?unreachable|net::ERR_CONNECTION_REFUSED|net::ERR_NAME_NOT_RESOLVED/i;

/** The target answered 429 or the harness reported throttling. */
export const RATE_LIMITED = /\b429\b|too many requests|rate[ -]?limit(ed|ing)?|retry-after/i;

/** Something did not finish in time: Playwright's test/expect/action timeouts, undici's, k6's. */
export const TIMED_OUT = /\btime(d)?[ -]?out\b|timeout(s)? of \d+ ?m?s|Timeout \d+ ?ms exceeded|\bETIMEDOUT\b|UND_ERR_(HEADERS|BODY)_TIMEOUT|request timeout/i;

/** A k6 threshold (the load stage's SLO) was crossed. */
export const LOAD_THRESHOLD = /threshold/i;

/**
 * An assertion about the target's answer did not hold: Playwright's `expect` (and the project's matchers
 * built on it), node's assert, or a check that names what was expected and what came.
 */
export const SPEC_VIOLATION = /expect\(|\bexpected\b|AssertionError|toBe|toEqual|toMatch|toHave|toContain|toSatisfy/i;

/** The label of the one result that stands for a stage that could not run (reports/results.ts writeStageResult). */
export const STAGE_DID_NOT_RUN_TAG = 'stage-did-not-run';

export const CATEGORY_NAMES = {
  credentialsRefused: 'Credentials refused',
  stageDidNotRun: 'Stage did not run (missing tool)',
  unreachable: 'Unreachable target',
  rateLimited: 'Rate limited (429)',
  timedOut: 'Timeout',
  loadThreshold: 'Load SLO crossed (k6 threshold)',
  specViolation: 'Spec violation',
  harnessError: 'Harness error',
  changed: 'Changed',
} as const;

const UNSUCCESSFUL = ['failed', 'broken'] as const;

export const CATEGORIES: CategoryRule[] = [
  // What changed against the baseline run or the other target (reports/drift/): every such result, failing or only
  // shown, whatever its message says. First, so a failing change is not sorted as a spec violation.
  { id: 'changed', name: CATEGORY_NAMES.changed, matchers: { labels: { tag: '^drift$' } }, groupBy: [{ label: 'feature' }], expand: true },
  // A provider whose account the social network refused before the suites (or whose credential source failed): one
  // broken result per provider (lib/credential-check.ts), its message saying what to renew. Before the message rules:
  // "422" or "timed out" in it is about the credential, not the server's rate limit or speed.
  { id: 'credentials-refused', name: CATEGORY_NAMES.credentialsRefused, matchers: { statuses: UNSUCCESSFUL, labels: { tag: `^${CREDENTIALS_REFUSED_TAG}$` } }, groupByMessage: true, expand: true },
  // A stage that could not run (no Chromium, no k6 where required) is one broken result; its message is the fix.
  { id: 'stage-did-not-run', name: CATEGORY_NAMES.stageDidNotRun, matchers: { statuses: UNSUCCESSFUL, labels: { tag: STAGE_DID_NOT_RUN_TAG } }, groupByMessage: true, expand: true },
  { id: 'unreachable-target', name: CATEGORY_NAMES.unreachable, matchers: { statuses: UNSUCCESSFUL, message: UNREACHABLE_TARGET }, groupByMessage: true, expand: true },
  { id: 'rate-limited', name: CATEGORY_NAMES.rateLimited, matchers: { statuses: UNSUCCESSFUL, message: RATE_LIMITED }, groupBy: ['severity'] },
  { id: 'timeout', name: CATEGORY_NAMES.timedOut, matchers: { statuses: UNSUCCESSFUL, message: TIMED_OUT }, groupByMessage: true },
  { id: 'load-threshold', name: CATEGORY_NAMES.loadThreshold, matchers: { statuses: UNSUCCESSFUL, message: LOAD_THRESHOLD } },
  {
    id: 'spec-violation',
    name: CATEGORY_NAMES.specViolation,
    matchers: { statuses: ['failed'], message: SPEC_VIOLATION },
    groupBy: ['severity', { label: 'epic' }],
    expand: true,
  },
  // Anything else that went wrong (a TypeError, a crashed stage, a bad profile) is the harness's to fix.
  { id: 'harness-error', name: CATEGORY_NAMES.harnessError, matchers: { statuses: UNSUCCESSFUL }, groupByMessage: true },
];

const NORMALIZED = normalizeCategoriesConfig(CATEGORIES);

/** Which category a failure lands in, decided by Allure's own matcher (for the unit test and the summary). */
export function categoryOf(status: 'passed' | 'failed' | 'broken' | 'skipped' | 'unknown', message: string, labels: { name: string; value: string }[] = []): string | null {
  return matchCategory(NORMALIZED, { status, labels, message, flaky: false })?.name ?? null;
}
