import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import {
  ANSWERS, DOCUMENTS, ENDPOINTS, ERROR_CODE_PATTERN, SOCIAL_PROVIDERS, SOCIAL_PROVIDERS_FULL, SOCIAL_PROVIDERS_REFERENCE_PAGE,
  codePointLength, isBase64, isValidState, endpointPath, DOCUMENTED_ENDPOINTS,
} from '../contract/index.ts';
import { PROJECT_ROOT } from '../lib/profile.ts';

const docText = (id: keyof typeof DOCUMENTS): string => readFileSync(resolve(PROJECT_ROOT, DOCUMENTS[id].file.split('#')[0]!), 'utf8');

test('every document the contract cites is in the project', () => {
  for (const [id, doc] of Object.entries(DOCUMENTS)) {
    if (id === 'flowSupport') continue;
    assert.ok(existsSync(resolve(PROJECT_ROOT, doc.file)), `${doc.file} missing`);
  }
});

test('provider lists are the documents\' lists, and the default is their union', () => {
  assert.match(docText('jwtLogin'), new RegExp(SOCIAL_PROVIDERS_FULL.join(', ')));
  assert.match(docText('oauthLogin'), new RegExp(SOCIAL_PROVIDERS_FULL.join(', ')));
  assert.match(docText('jwtLoginReferencePage'), new RegExp(SOCIAL_PROVIDERS_REFERENCE_PAGE.join(', ')));
  assert.deepEqual([...SOCIAL_PROVIDERS].sort(), [...new Set([...SOCIAL_PROVIDERS_FULL, ...SOCIAL_PROVIDERS_REFERENCE_PAGE])].sort());
  assert.ok(!SOCIAL_PROVIDERS_REFERENCE_PAGE.includes('battlenet' as never));
});

test('every parameter cites its document, and every documented parameter name appears in it', () => {
  for (const endpoint of DOCUMENTED_ENDPOINTS) {
    const text = docText(endpoint.doc);
    for (const p of endpoint.params) {
      assert.equal(p.source.doc, endpoint.doc, `${endpoint.id}.${p.name} cites another document`);
      assert.ok(text.includes(p.name), `${endpoint.id}: ${p.name} is not in ${DOCUMENTS[endpoint.doc].file}`);
      if (p.source.quote) assert.ok(text.includes(p.source.quote.split('...')[0]!.trim()), `${endpoint.id}.${p.name}: quote not found in the document`);
    }
  }
});

test('documented statuses match each page', () => {
  for (const endpoint of DOCUMENTED_ENDPOINTS) {
    const text = docText(endpoint.doc);
    for (const status of endpoint.statuses) assert.ok(text.includes(String(status)), `${endpoint.id}: ${status} not in document`);
  }
  assert.deepEqual(ENDPOINTS.crossAuth.successStatus, [200, 302]);
});

test('state is counted in code points and must be longer than 8', () => {
  assert.equal(isValidState('12345678'), false);
  assert.equal(isValidState('123456789'), true);
  assert.equal(codePointLength('😀😀😀😀😀😀😀😀'), 8); // 16 UTF-16 units, 32 bytes
  assert.equal(isValidState('😀😀😀😀😀😀😀😀'), false);
  assert.equal(isValidState('😀😀😀😀😀😀😀😀😀'), true);
  assert.equal(isValidState('ééééééééé'), true);
});

test('Base64 is the standard alphabet with padding', () => {
  assert.equal(isBase64('c2ltLXhib3gtYWxpY2U='), true);
  assert.equal(isBase64('c2ltLXhib3gtYWxpY2U'), false);
  assert.equal(isBase64('ab_-'), false);
  assert.equal(isBase64(''), false);
  assert.equal(isBase64('not base64!'), false);
});

test('answers table: codes have the documented form and statuses are 4xx', () => {
  for (const [name, answer] of Object.entries(ANSWERS)) {
    assert.match(answer.code, ERROR_CODE_PATTERN, name);
    assert.ok(answer.status >= 400 && answer.status < 500, name);
    assert.ok(answer.why.length > 10, `${name} says why`);
  }
  assert.equal(ANSWERS.rateLimited.status, 429);
});

test('endpoint paths fill the provider', () => {
  assert.equal(endpointPath('jwtLogin', 'qq_mobile'), '/social/qq_mobile/login_with_token');
  assert.equal(endpointPath('crossAuth', 'steam'), '/oauth2/social/steam/cross_auth');
});

test('contract/ uses no Node built-ins, so k6 can import it', () => {
  for (const file of ['index', 'sources', 'providers', 'rules', 'errors', 'endpoints', 'answers']) {
    const text = readFileSync(resolve(PROJECT_ROOT, `contract/${file}.ts`), 'utf8');
    assert.doesNotMatch(text, /from ['"]node:|require\(|process\.|Buffer\./, file);
  }
});
