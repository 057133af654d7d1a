import type { APIRequestContext } from '@playwright/test';
import { ENDPOINTS, endpointPath, type EndpointId } from '../contract/index.ts';
import { describeViolations, pathOf, runChecks, type Check, ALWAYS_ON_CHECKS } from './checks.ts';
import { curlBody, renderCurl } from './curl.ts';
import { parseJson, preview, redactAbout, type Exchange, type SentRequest } from './exchange.ts';
import type { TargetProfile } from './profile.ts';
import { Redactor, SECRET_FIELD_NAMES } from './redact.ts';
import { asBytes, bodyText, bytesOfBodyText, firstDifference, reportedBytes } from './wire-body.ts';

/**
 * The suites' HTTP client: Playwright's APIRequestContext (the `request` fixture) addressed at the profile's
 * base URL, redirects never followed, every request bounded by the profile's per-request timeout. Every
 * exchange is reported (request and response, redacted) and passes the always-on checks before the test
 * sees it; a violation fails the test with what was expected, what came and a cURL line.
 */

/** Query parameters in order; `undefined` leaves a parameter out, a repeated name is sent twice. */
export type Query = Record<string, string | undefined> | ReadonlyArray<readonly [string, string]>;

export interface CallOptions {
  provider?: string;
  query?: Query;
  /** Serialised with JSON.stringify and sent as application/json (as UTF-8 bytes). */
  json?: unknown;
  /**
   * Sent byte for byte (malformed JSON, invalid UTF-8), with `contentType` (default application/json). Give a
   * Buffer (lib/data-builders.ts MALFORMED_JSON_BODIES); a string is taken as its UTF-8 bytes.
   */
  raw?: Buffer | string;
  contentType?: string;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string | undefined>;
  headers?: Record<string, string>;
  /** Extra secret values this request carries, besides the known credential fields. */
  secrets?: readonly string[];
  /** A path to call instead of the endpoint's (for routes outside the contract). */
  pathOverride?: string;
}

/** Where exchanges are reported: the Allure runtime in the suites, a list in unit tests. */
export interface ExchangeSink {
  /** Every exchange, as soon as it is made (the report attaches it, redacted). */
  exchange(exchange: Exchange, redactor: Redactor): Promise<void>;
  /** An exchange that passed every always-on check (the report records the status as covered). */
  checked(exchange: Exchange): Promise<void>;
}

export class RequestTimeoutError extends Error {
  constructor(readonly request: SentRequest, readonly timeoutMs: number, readonly curl: string) {
    super(
      `request timeout: no answer within ${timeoutMs} ms (profile timeouts.requestMs) for ${request.method} ${new URL(request.url).pathname}\n` +
        `  expected: an answer within ${timeoutMs} ms\n  actual:   none\n  reproduce: ${curl}`,
    );
    this.name = 'RequestTimeoutError';
  }
}

export class TargetUnreachableError extends Error {
  constructor(url: string, cause: string) {
    super(`target unreachable: ${url} (${cause})`);
    this.name = 'TargetUnreachableError';
  }
}

const SECRET_FIELDS = new Set<string>(SECRET_FIELD_NAMES.filter((name) => name !== 'token'));

function queryPairs(query: Query | undefined): [string, string][] {
  if (!query) return [];
  if (Array.isArray(query)) return query.map(([k, v]) => [k, v]);
  return Object.entries(query as Record<string, string | undefined>).filter((e): e is [string, string] => e[1] !== undefined);
}

function secretsOf(pairs: Iterable<readonly [string, unknown]>): string[] {
  const out: string[] = [];
  for (const [name, value] of pairs) if (SECRET_FIELDS.has(name) && typeof value === 'string' && value.length > 0) out.push(value);
  return out;
}

const utf8 = new TextDecoder('utf-8');

export class ApiClient {
  /** Every exchange of this test, in order (the fixture attaches their cURL lines when the test fails). */
  readonly exchanges: Exchange[] = [];

  constructor(
    private readonly request: APIRequestContext,
    private readonly profile: TargetProfile,
    private readonly sink: ExchangeSink,
    private readonly checks: readonly Check[] = ALWAYS_ON_CHECKS,
  ) {}

  url(endpoint: EndpointId, provider?: string, query?: Query, pathOverride?: string): string {
    const path = pathOverride ?? endpointPath(endpoint, provider);
    const qs = queryPairs(query).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
    return `${this.profile.baseUrl}${path}${qs ? `?${qs}` : ''}`;
  }

  async call(endpoint: EndpointId, options: CallOptions = {}): Promise<Exchange> {
    const method = ENDPOINTS[endpoint].method;
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    // Every body goes out as a Buffer: Playwright sends a Buffer as it is, but re-serialises a string that does
    // not parse as JSON when the content type is JSON (a malformed body would arrive as a JSON string literal).
    let body: Buffer | undefined;
    const secrets = [...(options.secrets ?? []), ...secretsOf(queryPairs(options.query))];
    if (options.json !== undefined) {
      body = Buffer.from(JSON.stringify(options.json), 'utf8');
      headers['content-type'] ??= 'application/json';
      if (options.json !== null && typeof options.json === 'object') secrets.push(...secretsOf(Object.entries(options.json)));
    } else if (options.raw !== undefined) {
      body = asBytes(options.raw);
      headers['content-type'] ??= options.contentType ?? 'application/json';
    } else if (options.form !== undefined) {
      const form = new URLSearchParams(Object.entries(options.form).filter((e): e is [string, string] => e[1] !== undefined));
      body = Buffer.from(form.toString(), 'utf8');
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
      secrets.push(...secretsOf(form.entries()));
    }
    const sent: SentRequest = { method, url: this.url(endpoint, options.provider, options.query, options.pathOverride), headers, ...(body !== undefined ? { body } : {}) };
    const allSecrets = [...new Set([...this.profile.secrets, ...secrets])];
    const redactor = new Redactor(allSecrets);
    const curl = renderCurl(sent, redactor);
    const timeoutMs = this.profile.timeouts.requestMs;

    const started = performance.now();
    let response;
    try {
      response = await this.request.fetch(sent.url, {
        method,
        headers,
        ...(body !== undefined ? { data: body } : {}),
        maxRedirects: 0,
        failOnStatusCode: false,
        timeout: timeoutMs,
      });
    } catch (error) {
      const message = (error as Error).message;
      if (/timeout|timed out/i.test(message)) throw new RequestTimeoutError(sent, timeoutMs, curl);
      if (/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ECONNRESET|socket hang up/i.test(message)) {
        throw new TargetUnreachableError(this.profile.baseUrl, `${redactor.text(message.split('\n')[0] ?? message)}; reproduce: ${curl}`);
      }
      throw new Error(`${redactor.text(message)}\n  reproduce: ${curl}`);
    }
    const text = utf8.decode(await response.body());
    const exchange: Exchange = {
      endpoint,
      request: sent,
      status: response.status(),
      headers: response.headers(),
      text,
      json: parseJson(text),
      curl,
      secrets: allSecrets,
      elapsedMs: Math.round(performance.now() - started),
    };
    this.exchanges.push(exchange);
    await this.sink.exchange(exchange, redactor);
    const misreported = reportProblem(exchange, redactor);
    if (misreported) throw new Error(`harness defect: ${misreported}\n  reproduce: ${curl}`);
    const violations = runChecks(exchange, this.checks);
    if (violations.length > 0) throw new Error(redactAbout(exchange, describeViolations(exchange, violations), redactor));
    await this.sink.checked(exchange);
    return exchange;
  }
}

/** The exchange as a readable text attachment: request line, headers, body; then the answer. Redacted. */
export function renderExchange(exchange: Exchange, redactor: Redactor): string {
  const req = exchange.request;
  // Each part is redacted on its own: a pattern run over the whole text could reach from a broken request body
  // (an unterminated `"access_token": "…`) into the answer and swallow it. The body is rendered from the bytes
  // sent, secrets redacted (lib/wire-body.ts); the cURL line was redacted when it was rendered.
  const redact = (lines: string[]) => redactAbout(exchange, lines.join('\n').replace(/^(authorization: \w+ ).*$/gim, '$1[REDACTED]'), redactor);
  const request = redact([`${req.method} ${req.url}`, ...Object.entries(req.headers).map(([k, v]) => `${k}: ${v}`)]);
  const reqBody = req.body === undefined ? '' : bodyText(reportedBytes(req.body, redactor));
  const answer = redact([`HTTP ${exchange.status}  (${exchange.elapsedMs} ms)`, ...Object.entries(exchange.headers).map(([k, v]) => `${k}: ${v}`), '', exchange.text]);
  return [request, '', reqBody, '', answer, '', `reproduce: ${exchange.curl}`].join('\n');
}

/** The request body an attachment of `renderExchange` shows, as bytes; undefined when it cannot be found. */
export function attachmentBody(attachment: string, exchange: Exchange): Buffer | undefined {
  const head = 1 + Object.keys(exchange.request.headers).length + 1; // request line, headers, blank line
  let at = 0;
  for (let i = 0; i < head; i++) {
    at = attachment.indexOf('\n', at) + 1;
    if (at === 0) return undefined;
  }
  const end = attachment.indexOf(`\n\nHTTP ${exchange.status}  (`, at);
  return end < 0 ? undefined : bytesOfBodyText(attachment.slice(at, end));
}

/**
 * The always-on proof that the report shows what went on the wire: the body read back out of the attachment and
 * out of the cURL line must be the Buffer handed to Playwright, secrets redacted and nothing else changed.
 * Returns what differs, or null.
 */
export function reportProblem(exchange: Exchange, redactor: Redactor): string | null {
  const sent = exchange.request.body;
  if (sent === undefined) return curlBody(exchange.curl) === undefined ? null : 'the cURL line carries a body that was not sent';
  const shown = reportedBytes(sent, redactor);
  const fromCurl = curlBody(exchange.curl);
  if (!fromCurl?.equals(shown)) return `the cURL line does not show the body sent (${fromCurl ? firstDifference(fromCurl, shown) : 'no body in it'})`;
  const fromAttachment = attachmentBody(renderExchange(exchange, redactor), exchange);
  if (!fromAttachment?.equals(shown)) return `the report attachment does not show the body sent (${fromAttachment ? firstDifference(fromAttachment, shown) : 'no body in it'})`;
  return null;
}

export function exchangeTitle(exchange: Exchange): string {
  return `${exchange.request.method} ${pathOf(exchange)} → ${exchange.status}`;
}

export { preview };
