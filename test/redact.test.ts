import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REDACTED, Redactor } from '../lib/redact.ts';

test('secrets by value, in every encoding a request carries them', () => {
  const r = new Redactor(['s3cr3t value/+']);
  const out = r.text(`a s3cr3t value/+ b ${encodeURIComponent('s3cr3t value/+')} c ${Buffer.from('s3cr3t value/+').toString('base64')}`);
  assert.equal(out.includes('s3cr3t'), false, out);
  assert.equal(out.split(REDACTED).length - 1, 3);
});

test('JWT-shaped strings and credential fields, JSON, query and form', () => {
  const r = new Redactor();
  const text = r.text('{"access_token":"abc","client_secret":"x\\"y"} ?code=QQ&state=123456789&refresh_token=zz eyJhbGciOiJ.eyJzdWIiOiIx.sig');
  assert.equal(text, `{"access_token":"${REDACTED}","client_secret":"${REDACTED}"} ?code=${REDACTED}&state=123456789&refresh_token=${REDACTED} ${REDACTED}-JWT`);
  // A 302's HTML note (RFC 9110 §15.4) links to the Location with & escaped as &amp;: the code is still found.
  assert.equal(r.text('<a href="https://g.example/cb?state=123456789&amp;code=QQ&amp;src=x">'), `<a href="https://g.example/cb?state=123456789&amp;code=${REDACTED}&amp;src=x">`);
});

test('documented error codes stay readable', () => {
  assert.equal(new Redactor().text('{"error":{"code":"003-061","description":"Object not found."}}'), '{"error":{"code":"003-061","description":"Object not found."}}');
});

test('credential headers keep their scheme only', () => {
  assert.deepEqual(new Redactor().headers({ Authorization: 'Bearer abc.def', 'x-other': 'fine' }), { Authorization: `Bearer ${REDACTED}`, 'x-other': 'fine' });
});
