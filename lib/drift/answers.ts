import type { AnswerCase, EndpointId } from '../../contract/index.ts';
import type { Exchange } from '../exchange.ts';
import { retryAfterForm, type RetryAfterForm } from '../retry-after.ts';

/**
 * What a test saw of the target, reduced to what can drift without carrying any value: per answer the endpoint,
 * the status, the documented error code, the shape of the body (keys, never values), the time it took, the
 * expectation case it was checked against (when a test called toMatchExpectation), and the redacted cURL line.
 * The suites' fixture stores this list on each test's Allure result as a hidden parameter, so the run's record
 * can be built from the results folder alone (CI's report job has nothing else).
 */

export interface ObservedAnswer {
  /** The documented endpoint, or null for a request outside the contract. */
  endpoint: EndpointId | null;
  method: string;
  status: number;
  /** `error.code` of an error body, when it is a string. */
  code: string | null;
  /** The body's shape: keys and nesting, no values (see bodyShape). */
  shape: string;
  ms: number;
  /** The expectation case the answer was checked against, if any. */
  expectationCase: AnswerCase | null;
  /** The cURL line that sends the same request, already redacted by the API client. */
  curl: string;
  /** On a 429: the form its Retry-After came in (or absent); null on any other answer. */
  retryAfter: RetryAfterForm | null;
}

/** The hidden Allure parameter that carries a test's answers (hidden: not shown in the report; excluded: not part of the history id). */
export const ANSWERS_PARAMETER = 'drift: answers';

// Which expectation case an exchange was checked against: set by toMatchExpectation, read when the test ends.
const cases = new WeakMap<Exchange, AnswerCase>();

export function noteExpectationCase(exchange: Exchange, expectationCase: AnswerCase): void {
  cases.set(exchange, expectationCase);
}

/**
 * The shape of a JSON value: object keys sorted and nested, arrays by the shape of their first item, scalars by
 * type. `{"error":{"code":"003-003","description":"…"}}` → `{error:{code:s,description:s}}`. A body that is not
 * JSON is `text` (or `empty`).
 */
export function bodyShape(json: unknown, text = ''): string {
  if (json === undefined) return text.length === 0 ? 'empty' : 'text';
  return shapeOf(json, 0);
}

function shapeOf(value: unknown, depth: number): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `[${shapeOf(value[0], depth + 1)}]`;
  if (typeof value === 'object') {
    // Deep structures are cut: the top levels are what a contract change moves.
    if (depth >= 4) return '{…}';
    const keys = Object.keys(value as Record<string, unknown>).sort();
    return `{${keys.map((k) => `${k}:${shapeOf((value as Record<string, unknown>)[k], depth + 1)}`).join(',')}}`;
  }
  return typeof value === 'string' ? 's' : typeof value === 'number' ? 'n' : typeof value === 'boolean' ? 'b' : 'x';
}

function errorCodeOf(json: unknown): string | null {
  const code = (json as { error?: { code?: unknown } } | undefined)?.error?.code;
  return typeof code === 'string' ? code : null;
}

export function observe(exchange: Exchange): ObservedAnswer {
  return {
    endpoint: exchange.endpoint,
    method: exchange.request.method,
    status: exchange.status,
    code: errorCodeOf(exchange.json),
    shape: bodyShape(exchange.json, exchange.text),
    ms: exchange.elapsedMs,
    expectationCase: cases.get(exchange) ?? null,
    curl: exchange.curl,
    retryAfter: exchange.status === 429 ? retryAfterForm(exchange.headers['retry-after']) : null,
  };
}

/** The parameter's value: compact JSON, one array per answer. */
export function encodeAnswers(exchanges: readonly Exchange[]): string {
  return JSON.stringify(exchanges.map(observe).map((a) => [a.endpoint, a.method, a.status, a.code, a.shape, a.ms, a.expectationCase, a.curl, ...(a.retryAfter ? [a.retryAfter] : [])]));
}

export function decodeAnswers(value: string): ObservedAnswer[] {
  const rows = JSON.parse(value) as unknown[][];
  return rows.map(([endpoint, method, status, code, shape, ms, expectationCase, curl, retryAfter]) => ({
    endpoint: endpoint as EndpointId | null,
    method: String(method),
    status: Number(status),
    code: (code as string | null) ?? null,
    shape: String(shape),
    ms: Number(ms),
    expectationCase: (expectationCase as AnswerCase | null) ?? null,
    curl: String(curl),
    retryAfter: (retryAfter as RetryAfterForm | undefined) ?? null,
  }));
}
