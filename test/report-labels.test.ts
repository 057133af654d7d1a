import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labelsFor, severityFromWording } from '../lib/report-labels.ts';
import { DOCUMENTS, ENDPOINTS, STATE_RULE, param } from '../contract/index.ts';

test('severity follows the documents\' wording', () => {
  assert.equal(severityFromWording(param('jwtLogin', 'projectId').source), 'critical'); // "(string, required)" item
  assert.equal(severityFromWording(STATE_RULE), 'critical'); // "Must be longer than 8 symbols."
  assert.equal(severityFromWording({ doc: 'jwtLogin', item: 'query.payload', quote: 'Recommended maximum length less than 500 characters.' }), 'minor');
  assert.equal(severityFromWording(param('crossAuth', 'audience').source), 'normal');
  assert.equal(severityFromWording(STATE_RULE, true), 'minor', 'an expectation the documents do not state');
});

test('labels: epic = endpoint, feature = rule, story = provider, severity, covers, link to the document', () => {
  const { labels, link } = labelsFor({ endpoint: 'oauthLogin', feature: 'state', story: 'twitter', source: STATE_RULE, covers: ['query.state'] });
  const get = (name: string) => labels.filter((l) => l.name === name).map((l) => l.value);
  assert.deepEqual(get('epic'), [ENDPOINTS.oauthLogin.title]);
  assert.deepEqual(get('feature'), ['state']);
  assert.deepEqual(get('story'), ['twitter']);
  assert.deepEqual(get('severity'), ['critical']);
  assert.ok(get('covers').includes('oauthLogin query.state'));
  assert.ok(get('covers').includes('oauthLogin provider twitter'));
  assert.equal(link.url, DOCUMENTS.oauthLogin.url);
});
