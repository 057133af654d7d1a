import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { loadProfile } from '../lib/profile.ts';
import { PlaywrightRedactor, templatePatterns } from '../lib/trace-redaction.ts';

const profile = loadProfile();
const minted = 'sim-google-0f9e8d7c6b5a49388f2e1d0c9b8a7f6e';
const ticket = Buffer.from('sim-steam-0f9e8d7c6b5a49388f2e1d0c9b8a7f6e').toString('base64');
const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

test('minted credentials are recognised by the shape of the profile\'s templates, Base64 ones included', () => {
  const redactor = PlaywrightRedactor.forProfile(profile);
  const text = redactor.text(`token ${minted} ticket ${ticket} and ${encodeURIComponent(ticket)}`);
  assert.doesNotMatch(text, /0f9e8d7c/);
  assert.doesNotMatch(text, new RegExp(ticket.slice(12, 30)));
  assert.ok(templatePatterns(profile.credentialTemplates).length >= 14);
});

test('a trace archive is rewritten: typed values, request bodies, URLs, JWTs; images untouched', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trace-redaction-'));
  const path = join(dir, 'trace.zip');
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]);
  writeFileSync(path, zipSync({
    'test.trace': strToU8(`{"type":"before","title":"Fill \\"${minted}\\""}\n`),
    '0-trace.trace': strToU8(`{"type":"before","method":"fill","params":{"selector":"#x","value":"typed-secret-value"}}\n`),
    '0-trace.network': strToU8(`{"request":{"url":"http://h/api/x?session_ticket=${encodeURIComponent(ticket)}&state=keep-me","postData":{"text":"{\\"access_token\\":\\"${minted}\\"}"}},"response":{"content":"${jwt}"}}\n`),
    'resources/abc.png': png,
  }));
  const changed = PlaywrightRedactor.forProfile(profile).traceArchive(path);
  assert.equal(changed, 3);
  const entries = unzipSync(new Uint8Array(readFileSync(path)));
  const all = ['test.trace', '0-trace.trace', '0-trace.network'].map((n) => strFromU8(entries[n]!)).join('\n');
  for (const secret of [minted, 'typed-secret-value', ticket, encodeURIComponent(ticket), jwt]) assert.ok(!all.includes(secret), secret);
  assert.match(all, /state=keep-me/, 'what is not secret stays readable');
  assert.deepEqual(entries['resources/abc.png'], png);
});

test('profile secrets and the client secret are redacted wherever they appear', () => {
  const redactor = PlaywrightRedactor.forProfile(profile);
  const secret = profile.oauth.multiRedirect.clientSecret;
  assert.doesNotMatch(redactor.text(`client_secret=${secret}&code=abc`), new RegExp(secret));
});
