import type { Exchange } from '../lib/exchange.ts';

/** An exchange as the API client makes it, for the drift tests: a 422 with the documented error body by default. */
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlc2lnbmF0dXJl';
export { JWT };

export function exchange(over: Partial<Exchange> & { json?: unknown } = {}): Exchange {
  const json = 'json' in over ? over.json : { error: { code: '003-003', description: 'Invalid parameter.' } };
  return {
    endpoint: 'jwtLogin',
    request: { method: 'POST', url: 'http://127.0.0.1:8787/api/social/facebook/login_with_token', headers: {} },
    status: 422,
    headers: {},
    text: JSON.stringify(json),
    json,
    curl: "curl -sS -i -X POST 'http://127.0.0.1:8787/api/social/facebook/login_with_token' --data-raw '{\"access_token\":\"[REDACTED]\"}'",
    secrets: [],
    elapsedMs: 7,
    ...over,
  } as Exchange;
}
