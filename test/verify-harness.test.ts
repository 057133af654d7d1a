import assert from 'node:assert/strict';
import { test } from 'node:test';
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
