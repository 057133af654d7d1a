import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SEARCH_STOP_PREFIX } from '../load/lib/search.ts';
import { plannedSearchStop, plannedStopLine } from '../load/run/planned-stop.ts';

// k6 v1.3.0's line for the search's exec.test.abort(), as it printed it on a passing search.
const K6_LINE = `time="2026-12-06T07:32:45Z" level=error msg="test aborted: ${SEARCH_STOP_PREFIX}429s held for 8 s, then 4 s more; the limit is measured (second 30) at default (file:///home/qa/harness/load/ratelimit.ts:107:50(177))"`;

test("the search's planned stop is recognised in k6's log line and said in one plain line", () => {
  const message = plannedSearchStop(K6_LINE);
  assert.equal(message, `${SEARCH_STOP_PREFIX}429s held for 8 s, then 4 s more; the limit is measured (second 30)`);
  const line = plannedStopLine(message!);
  assert.equal(line, 'load: 429s held for 8 s, then 4 s more; the limit is measured (second 30); the search stopped k6 there as planned (k6 exit code 108 is this stop)');
  assert.doesNotMatch(line, /error|abort/i);
});

test('any other abort or error line is not held back', () => {
  assert.equal(plannedSearchStop('time="x" level=error msg="test aborted: something else at default (file:///a.ts:1:1)"'), null);
  assert.equal(plannedSearchStop('time="x" level=error msg="thresholds on metrics \'http_req_failed\' were crossed"'), null);
  assert.equal(plannedSearchStop(`time="x" level=info msg="${SEARCH_STOP_PREFIX}printed by console.log"`), null);
});
