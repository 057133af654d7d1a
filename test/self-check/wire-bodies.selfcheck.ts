import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { request as playwrightRequest, type APIRequestContext } from '@playwright/test';
import { ApiClient, attachmentBody, renderExchange, reportProblem, type CallOptions, type ExchangeSink } from '../../lib/api-client.ts';
import { curlBody } from '../../lib/curl.ts';
import { DataBuilder, MALFORMED_JSON_BODIES, seededFaker } from '../../lib/data-builders.ts';
import type { Exchange } from '../../lib/exchange.ts';
import { PROJECT_ROOT, loadProfile, type TargetProfile } from '../../lib/profile.ts';
import { Redactor } from '../../lib/redact.ts';
import { firstDifference, reportedBytes } from '../../lib/wire-body.ts';

/**
 * The wire proof: every negative body the suites send goes through the client's real send path (Playwright's
 * APIRequestContext) to a tiny server that keeps the raw bytes it receives. What arrives must be exactly the
 * bytes the test meant, and what the report shows (the attachment, and the cURL line, run through a real shell
 * and curl to the same server) must be those bytes with secrets redacted and nothing else changed.
 */

const run = promisify(execFile);

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

let server: Server;
let context: APIRequestContext;
let profile: TargetProfile;
const received = new Map<string, Received[]>();
let probes = 0;

class ListSink implements ExchangeSink {
  readonly attached: string[] = [];
  async exchange(x: Exchange, redactor: Redactor): Promise<void> {
    this.attached.push(renderExchange(x, redactor));
  }
  async checked(): Promise<void> {}
}

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const probe = new URL(req.url ?? '/', 'http://x').searchParams.get('probe') ?? '';
      received.set(probe, [...(received.get(probe) ?? []), { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) }]);
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: '003-004', description: 'The request body is not valid JSON.' } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  profile = { ...loadProfile(), baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api` };
  context = await playwrightRequest.newContext();
});

after(async () => {
  await context.dispose();
  server.closeAllConnections();
  server.close();
});

/**
 * Sends `options` through ApiClient.call and proves the three views agree: the bytes received equal `meant`;
 * the attachment and the cURL line (executed) show `meant` with secrets redacted. Returns whether redaction
 * changed anything (then the report differs from the wire only where a secret was).
 */
async function proveOnTheWire(endpoint: 'jwtLogin' | 'oauthLogin', options: CallOptions, meant: Buffer, contentType: string): Promise<{ redacted: boolean }> {
  const probe = `p${++probes}`;
  const sink = new ListSink();
  const query = { ...(endpoint === 'jwtLogin' ? { projectId: profile.projectId } : { client_id: '7001', response_type: 'code', state: 'state-123456789' }), probe };
  const x = await new ApiClient(context, profile, sink).call(endpoint, { provider: 'facebook', query, ...options });
  const [wire] = received.get(probe) ?? [];
  assert.ok(wire, `${probe}: nothing reached the server`);
  assert.ok(wire.body.equals(meant), `the bytes on the wire are not the bytes meant: ${firstDifference(wire.body, meant)}`);
  assert.equal(wire.headers['content-type'], contentType);

  const shown = reportedBytes(meant, new Redactor(x.secrets));
  const attached = attachmentBody(sink.attached[0]!, x);
  assert.ok(attached?.equals(shown), `the attachment does not show the bytes sent: ${attached ? firstDifference(attached, shown) : 'no body in it'}`);
  assert.ok(curlBody(x.curl)?.equals(shown), 'the cURL line does not carry the bytes sent');

  // The cURL line itself, run by a shell: what curl sends must be what the report shows.
  await run('sh', ['-c', `${x.curl} -o /dev/null`], { timeout: 10_000 });
  const byCurl = received.get(probe)?.[1];
  assert.ok(byCurl, 'the cURL line reached nothing');
  assert.ok(byCurl.body.equals(shown), `the cURL line sends other bytes than the report shows: ${firstDifference(byCurl.body, shown)}`);
  assert.equal(byCurl.headers['content-type'], contentType);
  assert.equal(byCurl.method, wire.method);
  assert.equal(byCurl.url, wire.url);
  return { redacted: !shown.equals(meant) };
}

/** How many bodies this file proved, reported at the end (the number the suites' negative tests rest on). */
const proved = { malformed: 0, generated: 0 };

describe('malformed JSON bodies (every body the malformed-body tests send)', () => {
  for (const body of MALFORMED_JSON_BODIES) {
    for (const endpoint of ['jwtLogin', 'oauthLogin'] as const) {
      test(`${endpoint}: ${body.title}`, async () => {
        await proveOnTheWire(endpoint, { raw: body.bytes, contentType: body.contentType }, body.bytes, body.contentType);
        proved.malformed++;
      });
    }
  }
});

describe('generated junk in JSON bodies (conformance/generated-input.spec.ts sends these through `json`)', () => {
  const data = new DataBuilder(seededFaker(20261129));
  const fields = ['access_token', 'access_token_secret', 'openid', 'note'];
  for (let i = 0; i < 40; i++) {
    const field = fields[i % fields.length]!;
    const body = { access_token: `sim-facebook-u${i}`, [field]: data.junkJson() };
    test(`junk #${i} in ${field}: ${JSON.stringify(body[field]).slice(0, 40)}`, async () => {
      await proveOnTheWire(i % 2 ? 'oauthLogin' : 'jwtLogin', { json: body }, Buffer.from(JSON.stringify(body), 'utf8'), 'application/json');
      proved.generated++;
    });
  }
});

test('the always-on report check fails a request whose cURL line or attachment would show other bytes', async () => {
  const body = MALFORMED_JSON_BODIES[0]!;
  const probe = `p${++probes}`;
  const x = await new ApiClient(context, profile, new ListSink()).call('jwtLogin', { provider: 'facebook', query: { projectId: profile.projectId, probe }, raw: body.bytes });
  const redactor = new Redactor(x.secrets);
  assert.equal(reportProblem(x, redactor), null);
  // What the report showed before the fix while the wire carried a JSON string literal: the two must not pass as equal.
  const rewritten = { ...x, request: { ...x.request, body: Buffer.from(JSON.stringify(body.bytes.toString('utf8')), 'utf8') } };
  assert.match(reportProblem(rewritten, redactor) ?? '', /the cURL line does not show the body sent/);
  const invalid = MALFORMED_JSON_BODIES.find((b) => b.title === 'invalid UTF-8')!;
  const placeholder = { ...x, request: { ...x.request, body: invalid.bytes }, curl: x.curl.replace(/ --data-raw .*$/, '') };
  assert.match(reportProblem(placeholder, redactor) ?? '', /the cURL line does not show the body sent \(no body in it\)/);
});

test('the suites send no negative body but through the byte catalogue or the client\'s JSON path', () => {
  // A string literal given as `raw` is exactly what Playwright used to rewrite: the suites take their broken
  // bodies from MALFORMED_JSON_BODIES (Buffers), which the proof above covers body by body.
  for (const dir of ['conformance', 'e2e']) {
    for (const file of readdirSync(join(PROJECT_ROOT, dir)).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(join(PROJECT_ROOT, dir, file), 'utf8');
      assert.doesNotMatch(text, /\braw:\s*['"`]/, `${dir}/${file} sends a string literal as a raw body`);
      assert.doesNotMatch(text, /\bdata:\s*['"`]/, `${dir}/${file} hands Playwright a string body`);
      if (/\braw:/.test(text)) assert.match(text, /MALFORMED_JSON_BODIES/, `${dir}/${file} sends raw bodies that are not from the catalogue`);
    }
  }
});

after(() => {
  console.log(`wire proof: ${proved.malformed} malformed-body sends (${MALFORMED_JSON_BODIES.length} bodies x 2 endpoints) and ${proved.generated} generated junk bodies`);
});
