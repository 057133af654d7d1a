import { ERROR_CODE_PATTERN, type EndpointId } from '../contract/index.ts';
import { REDACTED, Redactor } from './redact.ts';

/**
 * One request the suites sent and the answer they got, in the shape every check, matcher and report
 * attachment reads. The cURL line is rendered (and redacted) when the exchange is made, so a failure
 * message can always say how to reproduce it.
 */
export interface SentRequest {
  method: string;
  /** Absolute URL, query included, exactly as sent. */
  url: string;
  headers: Record<string, string>;
  /** Exactly the bytes sent (a string for text bodies, a Buffer for deliberately broken ones). */
  body?: string | Buffer;
}

export interface Exchange {
  /** The documented endpoint this request addressed, or null for a request outside the contract. */
  endpoint: EndpointId | null;
  request: SentRequest;
  status: number;
  /** Response headers, names lower-cased. */
  headers: Record<string, string>;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
  /** A cURL line that sends the same request, secrets redacted. */
  curl: string;
  /** The secret values this request carried (social tokens, client secrets): none may come back. */
  secrets: readonly string[];
  /** Wall time of the exchange in milliseconds. */
  elapsedMs: number;
}

export function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A short, single-line view of a body for failure messages. */
export function preview(text: string, max = 400): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length === 0) return '(empty body)';
  return flat.length > max ? `${flat.slice(0, max)}… (${flat.length} chars)` : flat;
}

/**
 * Text about an exchange (a failure message, an attachment) with its secrets redacted: the profile's and the
 * request's secrets, JWTs, credential fields. The redactor hides every `"code"` value (an authorization code is
 * a secret), which also hides the documented `error.code`; a value of the documented form NNN-NNN is an error
 * code, never a credential, so it is put back.
 */
export function redactAbout(exchange: Exchange, text: string, redactor: Redactor = new Redactor(exchange.secrets)): string {
  const redacted = redactor.text(text);
  const code = (exchange.json as { error?: { code?: unknown } } | undefined)?.error?.code;
  if (typeof code !== 'string' || !ERROR_CODE_PATTERN.test(code)) return redacted;
  return redacted.replaceAll(`"code":"${REDACTED}"`, `"code":"${code}"`);
}
