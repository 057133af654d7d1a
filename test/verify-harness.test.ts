import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../lib/profile.ts';
import { test } from 'node:test';
import { QUIRKS, combinableQuirks } from '../sim/quirks.ts';
import { COMBINED_RUN, E2E_SMOKE_GREP, conformanceFilesFor, parseVerdictLine, quirkRuns, quirksCovered, verdictLine } from '../scripts/verify-harness/quirk-plan.ts';
import { DEFECTS } from '../sim/defects.ts';
import { collect, type RunOutcome } from '../scripts/verify-harness/playwright-run.ts';
import { specFilesFor } from '../scripts/verify-harness/suites-for-defect.ts';
import { base64Variants, needlesFor } from './self-check/canary-scan.ts';

/** The pieces verify:harness and the hygiene check decide with: reading Playwright's JSON, choosing files, finding canaries. */

const empty = (): RunOutcome => ({ passed: 0, failed: [], flaky: [], skipped: 0, errors: [], exitCode: 1, seconds: 0, timedOut: false, logPath: '' });

test("Playwright's JSON report becomes passed, failed (with title, first line and category), flaky, skipped and run errors", () => {
  const outcome = empty();
  collect(
    {
      suites: [{
        title: 'a.spec.ts', file: 'a.spec.ts',
        specs: [{ title: 'top', file: 'a.spec.ts', tests: [{ projectName: 'conformance', status: 'expected', results: [{ status: 'passed' }] }] }],
        suites: [{
          title: 'state', file: 'a.spec.ts',
          specs: [
            { title: '8 is refused', file: 'a.spec.ts', tests: [{ projectName: 'conformance', status: 'unexpected', results: [{ status: 'failed', error: { message: '\u001b[31mError: toBeRejected for POST /x\u001b[39m\n  expected 422' } }] }] },
            { title: 'slow', file: 'a.spec.ts', tests: [{ projectName: 'conformance', status: 'unexpected', results: [{ status: 'failed', error: { message: 'RequestTimeoutError: request timeout: no answer within 10 ms' } }] }] },
            { title: 'flaky one', file: 'a.spec.ts', tests: [{ projectName: 'conformance', status: 'flaky', results: [{ status: 'failed' }, { status: 'passed' }] }] },
            { title: 'skipped one', file: 'a.spec.ts', tests: [{ projectName: 'conformance', status: 'skipped', results: [] }] },
          ],
        }],
      }],
      errors: [{ message: 'Testing stopped early after 1 maximum allowed failures.' }, { message: 'Error: Process from config.webServer was not able to start.' }],
    },
    outcome,
  );
  assert.equal(outcome.passed, 1);
  assert.equal(outcome.skipped, 1);
  assert.deepEqual(outcome.flaky, ['a.spec.ts › state › flaky one']);
  assert.deepEqual(outcome.failed, [
    { title: 'a.spec.ts › state › 8 is refused', reason: 'Error: toBeRejected for POST /x', category: 'assertion' },
    { title: 'a.spec.ts › state › slow', reason: 'RequestTimeoutError: request timeout: no answer within 10 ms', category: 'timeout' },
  ]);
  // --max-failures stopping the run is the fast mode working; a web server that did not start is a run error.
  assert.deepEqual(outcome.errors, ['Error: Process from config.webServer was not able to start.']);
});

test("a defect's spec files are the ones of its area, and every file when none matches", () => {
  const all = ['conformance/jwt-login.spec.ts', 'conformance/with-logout.spec.ts', 'conformance/cross-auth.spec.ts'];
  assert.deepEqual(specFilesFor('with-logout-ignored', DEFECTS['with-logout-ignored']!, all), ['conformance/with-logout.spec.ts']);
  assert.deepEqual(specFilesFor('open-redirect', DEFECTS['open-redirect']!, all), all, 'no oauth-login file: everything runs');
  assert.deepEqual(specFilesFor('malformed-json-500', DEFECTS['malformed-json-500']!, ['conformance/jwt-login.spec.ts', 'conformance/oauth-login.spec.ts', 'conformance/cross-auth.spec.ts']), ['conformance/jwt-login.spec.ts', 'conformance/oauth-login.spec.ts'], 'every file with malformed-body tests');
});

test('canaries are searched plain, percent-encoded and Base64-encoded at every alignment', () => {
  const canary = 'sim-steam-CANARYabc123';
  for (const prefix of ['', 'x', 'xy', 'xyz']) {
    const encoded = Buffer.from(`${prefix}${canary}tail`).toString('base64');
    assert.ok(base64Variants(canary).some((v) => encoded.includes(v)), `found after ${prefix.length} bytes`);
  }
  const needles = needlesFor(['a b/c']).map((n) => n.needle);
  assert.ok(needles.includes('a b/c') && needles.includes('a%20b%2Fc'));
});

test('quirk runs, fast mode: every combinable quirk on one simulator against every file plus the login-URL flows; the rest by area', () => {
  const runs = quirkRuns(Object.keys(QUIRKS), false);
  const { together, apart } = combinableQuirks();
  assert.deepEqual(runs[0], { name: COMBINED_RUN, quirks: together, conformance: 'all', e2e: 'smoke', k6: false });
  assert.deepEqual(runs.slice(1).map((r) => r.quirks), apart.map((q) => [q]));
  for (const r of runs.slice(1)) assert.ok(r.conformance instanceof RegExp && r.e2e === 'none', `${r.name} runs the files of its area`);
  assert.equal(runs.find((r) => r.name === 'error-details-absent')?.grep, '(projectId|access_token) .* is refused|malformed JSON body', 'the error answers only');
  assert.equal(quirksCovered(runs), Object.keys(QUIRKS).length, 'every quirk is covered');
  assert.deepEqual(quirkRuns([], false), []);
  assert.deepEqual(quirkRuns(['gzip-responses'], false), [{ name: 'gzip-responses', quirks: ['gzip-responses'], conformance: 'all', e2e: 'smoke', k6: false }]);
});

test('quirk runs, --full: each quirk alone against every file (e2e where a browser sees it, k6 for rate-limit quirks), and all together', () => {
  const runs = quirkRuns(Object.keys(QUIRKS), true);
  assert.equal(runs[0]!.name, COMBINED_RUN);
  assert.equal(runs[0]!.e2e, 'all');
  const alone = runs.slice(1);
  assert.deepEqual(alone.map((r) => r.name), Object.keys(QUIRKS).sort());
  for (const r of alone) {
    assert.equal(r.conformance, 'all');
    assert.equal(r.e2e, QUIRKS[r.name]!.e2e ? 'all' : 'none', r.name);
    assert.equal(r.k6, QUIRKS[r.name]!.area === 'rate-limit', r.name);
  }
});

test("a quirk run's files: its area's, or every file when none matches", () => {
  const all = ['conformance/jwt-login.spec.ts', 'conformance/rate-limit.spec.ts', 'conformance/cross-auth.spec.ts'];
  assert.deepEqual(conformanceFilesFor({ name: 'x', quirks: ['x'], conformance: /rate-?limit/, e2e: 'none', k6: false }, all), ['conformance/rate-limit.spec.ts']);
  assert.deepEqual(conformanceFilesFor({ name: 'x', quirks: ['x'], conformance: /nothing-matches/, e2e: 'none', k6: false }, all), all);
  assert.deepEqual(conformanceFilesFor({ name: 'x', quirks: ['x'], conformance: 'all', e2e: 'none', k6: false }, all), all);
});

test('the fast e2e subset is the silent-auth 302 of every platform and one social login, titles the specs really have', () => {
  const grep = new RegExp(E2E_SMOKE_GREP);
  for (const platform of ['steam', 'xbox', 'epicgames']) assert.match(`${platform}: 302 to the redirect URI page, which shows the code and the state @smoke`, grep);
  assert.match("google: the game page signs in and shows the JWT's user id @smoke", grep);
  assert.doesNotMatch("facebook: the game page signs in and shows the JWT's user id @smoke", grep);
  assert.match(readFileSync(join(PROJECT_ROOT, 'e2e/silent-auth.spec.ts'), 'utf8'), /\$\{platform\}: 302 to the redirect URI page/);
  assert.match(readFileSync(join(PROJECT_ROOT, 'e2e/social-login.spec.ts'), 'utf8'), /\$\{provider\}: the game page signs in/);
});

test('the last line counts defects, false alarms and quirks, and reads back', () => {
  assert.equal(verdictLine(46, 46, 0, 26), 'harness detects 46/46 defects, 0 false alarms on 26 quirks');
  assert.equal(verdictLine(45, 46, 1, 1), 'harness detects 45/46 defects, 1 false alarm on 1 quirk');
  assert.deepEqual(parseVerdictLine('harness detects 45/46 defects, 3 false alarms on 26 quirks'), { caught: 45, defects: 46, falseAlarms: 3, quirks: 26 });
  assert.equal(parseVerdictLine('harness detects 46/46 defects'), null, 'the old line no longer passes for the new one');
});
