import type { Redactor } from './redact.ts';
import type { SentRequest } from './exchange.ts';

/**
 * A cURL line that sends the same request: method, URL, headers and the exact body bytes, with secrets
 * redacted (the reader substitutes their own). Redirects are never followed, as the suites do not follow them.
 */

/** POSIX shell single quoting: safe for any text, including quotes and newlines. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function asText(body: string | Buffer): string | null {
  if (typeof body === 'string') return body;
  try {
    return utf8.decode(body);
  } catch {
    return null;
  }
}

/** Bytes that are not valid UTF-8 are written as printf escapes and piped in, so the line stays copyable. */
function printfEscape(bytes: Buffer): string {
  let out = '';
  for (const b of bytes) {
    if (b >= 0x20 && b < 0x7f && b !== 0x27 && b !== 0x5c && b !== 0x25) out += String.fromCharCode(b);
    else out += `\\${b.toString(8).padStart(3, '0')}`; // octal: the escape POSIX printf knows
  }
  return out;
}

export function renderCurl(request: SentRequest, redactor: Redactor): string {
  const parts = ['curl', '-sS', '-i', '-X', request.method, shellQuote(redactor.text(request.url))];
  for (const [name, value] of Object.entries(redactor.headers(request.headers))) parts.push('-H', shellQuote(`${name}: ${value}`));
  if (request.body === undefined) return parts.join(' ');
  const text = asText(request.body);
  if (text !== null) return [...parts, '--data-raw', shellQuote(redactor.text(text))].join(' ');
  return `printf '${printfEscape(request.body as Buffer)}' | ${[...parts, '--data-binary', '@-'].join(' ')}`;
}
