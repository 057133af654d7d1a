import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { renderCurl, shellQuote } from '../lib/curl.ts';
import { Redactor } from '../lib/redact.ts';

test('shellQuote survives quotes, newlines and dollar signs through a real shell', () => {
  for (const value of [`it's`, 'a "b" $HOME `x`', 'line1\nline2', '\\', '']) {
    assert.equal(execFileSync('sh', ['-c', `printf %s ${shellQuote(value)}`]).toString(), value);
  }
});

test('the cURL line has method, URL, headers and body, with secrets redacted', () => {
  const redactor = new Redactor(['client-secret-123456']);
  const line = renderCurl(
    {
      method: 'POST',
      url: 'http://127.0.0.1:8787/api/social/twitter/login_with_token?projectId=p&state=a%20b',
      headers: { 'content-type': 'application/json', authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig' },
      body: JSON.stringify({ access_token: 'sim-twitter-xyz', access_token_secret: 'sim-secret-xyz', note: 'client-secret-123456' }),
    },
    redactor,
  );
  assert.match(line, /^curl -sS -i -X POST 'http:\/\/127\.0\.0\.1:8787\/api\/social\/twitter\/login_with_token\?projectId=p&state=a%20b'/);
  assert.match(line, /-H 'content-type: application\/json'/);
  assert.match(line, /-H 'authorization: Bearer \[REDACTED\]'/);
  assert.doesNotMatch(line, /sim-twitter-xyz|sim-secret-xyz|client-secret-123456|eyJ/);
  assert.match(line, /--data-raw '\{"access_token":"\[REDACTED\]"/);
});

test('a body that is not UTF-8 is piped in through printf, byte for byte', () => {
  const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x27, 0x7d]);
  const line = renderCurl({ method: 'POST', url: 'http://h/api/x', headers: {}, body: bytes }, new Redactor());
  assert.match(line, /^printf '\{\\377\\376\\047\}' \| curl .* --data-binary @-$/);
  const printed = execFileSync('sh', ['-c', line.split(' | ')[0]!]);
  assert.deepEqual(printed, bytes);
});
