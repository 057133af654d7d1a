import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import * as contract from '../contract/index.ts';
import {
  ANSWERS, CROSS_AUTH_PLATFORMS, CROSS_AUTH_REQUIRED, DOCUMENTS, ENDPOINTS, ERROR_CODE_PATTERN, SOCIAL_PROVIDERS, SOCIAL_PROVIDERS_FULL, SOCIAL_PROVIDERS_REFERENCE_PAGE,
  codePointLength, isBase64, isValidState, endpointPath, DOCUMENTED_ENDPOINTS, type DocumentId, type Endpoint, type Parameter,
} from '../contract/index.ts';
import { PROJECT_ROOT } from '../lib/profile.ts';

const docText = (id: keyof typeof DOCUMENTS): string => readFileSync(resolve(PROJECT_ROOT, DOCUMENTS[id].file.split('#')[0]!), 'utf8');

test('every document the contract cites is in the project', () => {
  // flowSupport names a section of a docs page (file#anchor); test/docs-links.test.ts checks the anchor.
  for (const doc of Object.values(DOCUMENTS)) assert.ok(existsSync(resolve(PROJECT_ROOT, doc.file.split('#')[0]!)), `${doc.file} missing`);
});

test('provider lists are the documents\' lists, and the default is their union', () => {
  assert.match(docText('jwtLogin'), new RegExp(SOCIAL_PROVIDERS_FULL.join(', ')));
  assert.match(docText('oauthLogin'), new RegExp(SOCIAL_PROVIDERS_FULL.join(', ')));
  assert.match(docText('jwtLoginReferencePage'), new RegExp(SOCIAL_PROVIDERS_REFERENCE_PAGE.join(', ')));
  assert.deepEqual([...SOCIAL_PROVIDERS].sort(), [...new Set([...SOCIAL_PROVIDERS_FULL, ...SOCIAL_PROVIDERS_REFERENCE_PAGE])].sort());
  assert.ok(!SOCIAL_PROVIDERS_REFERENCE_PAGE.includes('battlenet' as never));
});

const normalise = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** Whether a quote occurs in a document: verbatim once whitespace is normalised; ` ... ` joins passages that follow each other. */
function occursIn(doc: DocumentId, quote: string): boolean {
  const text = normalise(docText(doc));
  let from = 0;
  for (const passage of quote.split(' ... ').map(normalise)) {
    const at = text.indexOf(passage, from);
    if (passage.length === 0 || at < 0) return false;
    from = at + passage.length;
  }
  return true;
}

/** Every `{doc, quote}` in contract/'s exports (sources of rules, parameters and their evidence), with where it sits. */
function quotesIn(value: unknown, path: string, out: { path: string; doc: DocumentId; quote: string }[] = []): typeof out {
  if (value === null || typeof value !== 'object') return out;
  const v = value as Record<string, unknown>;
  if (typeof v.doc === 'string' && typeof v.quote === 'string' && v.doc in DOCUMENTS) out.push({ path, doc: v.doc as DocumentId, quote: v.quote });
  for (const [key, child] of Object.entries(v)) quotesIn(child, `${path}.${key}`, out);
  return out;
}

const valueIn = (quote: string, value: string): boolean => new RegExp(`(^|[^\\w])${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^\\w]|$)`).test(quote);

/**
 * What is wrong with the claims a parameter makes: a claim without a quote, a quote for a claim not made, or a
 * quote without the document's own wording for the claim. On the four pages: `required` ("`state` (string,
 * required)", "state required string"), "Required if" / "Required for" / "required if" for a conditional, "Must be",
 * "Can be" or "Can have the following values" naming every value of an enum, "Default:" with the value, and the
 * type's own word (`integer`, `boolean`, `<uuid>`, `Base64`). The two calls outside the pages quote docs/simulator.md's
 * description, which must name the parameter.
 */
function claimProblems(endpoint: Endpoint, p: Parameter): string[] {
  const problems: string[] = [];
  const made: Record<'required' | 'type' | 'enum' | 'default', boolean> = {
    required: p.required !== false,
    type: p.type !== 'string',
    enum: p.enum !== undefined && p.type !== 'boolean', // a boolean's two values are its type's
    default: p.default !== undefined,
  };
  for (const claim of ['required', 'type', 'enum', 'default'] as const) {
    const evidence = p.says[claim];
    if (made[claim] && !evidence) problems.push(`${claim}: no quote`);
    if (!made[claim] && evidence) problems.push(`${claim}: a quote for a claim the contract does not make`);
  }
  for (const [claim, evidence] of Object.entries(p.says)) {
    if (!occursIn(evidence.doc, evidence.quote)) problems.push(`${claim}: quote not in ${DOCUMENTS[evidence.doc].file}: "${evidence.quote}"`);
  }
  const q = (claim: keyof Parameter['says']) => normalise(p.says[claim]?.quote ?? '');
  if (!endpoint.documented) {
    for (const claim of Object.keys(p.says) as (keyof Parameter['says'])[]) {
      if (!q(claim).includes(p.name) && !q(claim).includes(`\`${p.name}`)) problems.push(`${claim}: the quote does not name ${p.name}`);
    }
    return problems;
  }
  if (p.required === true && !(/\brequired\b/.test(q('required')) && q('required').includes(p.name))) {
    problems.push(`required: the quote does not mark ${p.name} "required": "${q('required')}"`);
  }
  if (p.required === 'conditional' && !/\b(Required if|required if|Required for)\b/.test(q('required'))) {
    problems.push(`conditional: the quote does not say "Required if" / "Required for" / "required if": "${q('required')}"`);
  }
  if (made.enum) {
    if (!/\b(Must be|Can be|Can have the following values)\b/.test(q('enum'))) problems.push(`enum: no "Must be" / "Can be" / "Can have the following values": "${q('enum')}"`);
    for (const value of p.enum ?? []) if (!valueIn(q('enum'), value)) problems.push(`enum: the quote does not name ${value}`);
  }
  if (p.type === 'boolean' && JSON.stringify(p.enum ?? null) !== JSON.stringify(['true', 'false'])) problems.push('a boolean\'s values are true and false');
  if (made.default && !(q('default').includes('Default:') && valueIn(q('default'), p.default!))) problems.push(`default: the quote does not say "Default: ${p.default}"`);
  const typeWord = { string: null, integer: /\binteger\b/, boolean: /\bboolean\b/, uuid: /<uuid>/, base64: /\bBase64\b/ }[p.type];
  if (typeWord && !typeWord.test(q('type'))) problems.push(`type: the quote does not say ${p.type}: "${q('type')}"`);
  return problems;
}

test('every parameter cites its document, and every documented parameter name appears in it', () => {
  for (const endpoint of DOCUMENTED_ENDPOINTS) {
    const text = docText(endpoint.doc);
    for (const p of endpoint.params) {
      assert.equal(p.source.doc, endpoint.doc, `${endpoint.id}.${p.name} cites another document`);
      assert.ok(text.includes(p.name), `${endpoint.id}: ${p.name} is not in ${DOCUMENTS[endpoint.doc].file}`);
    }
  }
});

test('every quote in contract/ occurs in the document it cites (whitespace normalised)', () => {
  const quotes = quotesIn(contract, 'contract');
  assert.ok(quotes.length >= 60, `only ${quotes.length} quotes found: the walk missed contract/'s sources`);
  const missing = quotes.filter((x) => !occursIn(x.doc, x.quote)).map((x) => `${x.path}: "${x.quote}" is not in ${DOCUMENTS[x.doc].file}`);
  assert.deepEqual(missing, []);
});

test('every required, conditional, type, enum and default marker quotes the document\'s own wording for it', () => {
  const problems: string[] = [];
  for (const endpoint of Object.values(ENDPOINTS)) {
    for (const p of endpoint.params) for (const problem of claimProblems(endpoint, p)) problems.push(`${endpoint.id} ${p.in}.${p.name}: ${problem}`);
  }
  assert.deepEqual(problems, []);
});

test('the check refuses a marker the document does not make: deployment_id "required for epicgames", as it was', () => {
  // The marker this project carried until the audit: conditional-required, quoting a sentence that says no such thing.
  const invented: Parameter = {
    ...contract.param('crossAuth', 'deployment_id'),
    required: 'conditional',
    requiredWhen: 'platform is epicgames',
    says: {},
  };
  assert.ok(claimProblems(ENDPOINTS.crossAuth, invented).includes('required: no quote'));
  const quoted = { ...invented, says: { required: { doc: 'crossAuth' as const, quote: 'The deployment ID that the client is trying to authenticate with.' } } };
  assert.match(claimProblems(ENDPOINTS.crossAuth, quoted).join('\n'), /conditional: the quote does not say "Required if"/);
  const misquoted = { ...invented, says: { required: { doc: 'crossAuth' as const, quote: 'deployment_id Required if the platform is Epic Games.' } } };
  assert.match(claimProblems(ENDPOINTS.crossAuth, misquoted).join('\n'), /quote not in contract\/documents\/oauth2-cross-auth/);
});

test('the platforms\' required parameters are exactly the page\'s conditional markers (only Steam\'s app_id)', () => {
  for (const platform of CROSS_AUTH_PLATFORMS) {
    const marked = ENDPOINTS.crossAuth.params.filter((p) => p.required === 'conditional' && new RegExp(`platform is ${platform}\\b`).test(p.requiredWhen ?? '')).map((p) => p.name);
    assert.deepEqual([...CROSS_AUTH_REQUIRED[platform]].sort(), marked.sort(), platform);
  }
  assert.deepEqual(CROSS_AUTH_REQUIRED, { steam: ['app_id'], xbox: [], epicgames: [] });
});

test('the rules\' defaults and value sets are the parameters\' quoted ones', () => {
  assert.equal(contract.param('jwtLogin', 'with_logout').default, contract.WITH_LOGOUT_DEFAULT);
  assert.deepEqual(contract.param('jwtLogin', 'with_logout').enum, contract.WITH_LOGOUT_VALUES);
  assert.equal(contract.param('crossAuth', 'is_redirect').default, String(contract.IS_REDIRECT_DEFAULT));
  assert.equal(contract.param('crossAuth', 'no_user_creation').default, String(contract.NO_USER_CREATION_DEFAULT));
  assert.deepEqual(contract.param('oauthLogin', 'response_type').enum, [contract.RESPONSE_TYPE_CODE]);
  assert.deepEqual(contract.param('crossAuth', 'oauth2_cross_social_provider_name').enum, CROSS_AUTH_PLATFORMS);
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
