import type { Source } from './sources.ts';

/**
 * The documented error answer. All three pages give the same body for 400, 404, 422 and 429:
 * `{"error": {"code": string, "description": string, "details"?: object}}`, example code `003-061`.
 */
export const DOCUMENTED_ERROR_STATUSES = [400, 404, 422, 429] as const;
export type DocumentedErrorStatus = (typeof DOCUMENTED_ERROR_STATUSES)[number];

/** The example code is `003-061`: three digits, a dash, three digits. */
export const ERROR_CODE_PATTERN = /^\d{3}-\d{3}$/;

export const ERROR_BODY_SOURCE: Source = { doc: 'jwtLogin', item: 'responses.400/404/422/429', quote: '`error` (object, required) - `error.code` (string, required) ... `error.description` (string, required) ... `error.details` (object)' };

/** JSON Schema of the documented error body, used by the suites (through a schema validator) and the simulator's tests. */
export const ERROR_BODY_SCHEMA = {
  $id: 'https://harness.local/schemas/error-body.json',
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'description'],
      properties: {
        code: { type: 'string', pattern: ERROR_CODE_PATTERN.source },
        description: { type: 'string', minLength: 1 },
        details: { type: 'object' },
      },
    },
  },
} as const;

export interface ErrorBody {
  error: { code: string; description: string; details?: Record<string, unknown> };
}
