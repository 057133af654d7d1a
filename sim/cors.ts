import type { Answer } from './http-io.ts';

/**
 * CORS, as the real Login server serves it: game web pages and Xsolla's browser SDKs call the Login API from
 * the player's browser, cross-origin, so the API answers them. No cookies are involved (credentials travel in
 * the query, the body or the Authorization header), which is why any origin may read the answers (`*`).
 * Without these headers a browser refuses every `fetch` of the API before the routes' rules are even seen.
 */

const ALLOW_ORIGIN = { 'access-control-allow-origin': '*' } as const;

/** Added to every answer, error answers too: a page must be able to read the documented error body. */
export function withCors(answer: Answer): Answer {
  return { ...answer, headers: { ...answer.headers, ...ALLOW_ORIGIN, 'access-control-expose-headers': 'retry-after' } };
}

/**
 * The preflight a browser sends before a JSON POST or a request with `Authorization`: 204 naming what the
 * routes take. Answered for any /api path; the real request still meets the routes' own 404/405.
 */
export function preflightAnswer(): Answer {
  return {
    status: 204,
    headers: {
      ...ALLOW_ORIGIN,
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'authorization, content-type',
      'access-control-max-age': '600',
    },
  };
}
