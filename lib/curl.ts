import type { Redactor } from './redact.ts';
import type { SentRequest } from './exchange.ts';
import { printfEscape, printfUnescape, reportedBytes, utf8Text } from './wire-body.ts';

/**
 * A cURL line that sends the same request: method, URL, headers and the exact body bytes, with secrets
 * redacted (the reader substitutes their own). Redirects are never followed, as the suites do not follow them.
 */

/** POSIX shell single quoting: safe for any text, including quotes and newlines. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * The body is rendered from the bytes sent (secrets redacted): UTF-8 text as `--data-raw` (sent by curl exactly as
 * written), anything else as printf escapes piped into `--data-binary @-`, so the line stays copyable.
 */
export function renderCurl(request: SentRequest, redactor: Redactor): string {
  const parts = ['curl', '-sS', '-i', '-X', request.method, shellQuote(redactor.text(request.url))];
  for (const [name, value] of Object.entries(redactor.headers(request.headers))) parts.push('-H', shellQuote(`${name}: ${value}`));
  if (request.body === undefined) return parts.join(' ');
  const shown = reportedBytes(request.body, redactor);
  const text = utf8Text(shown);
  if (text !== null) return [...parts, '--data-raw', shellQuote(text)].join(' ');
  return `printf '${printfEscape(shown)}' | ${[...parts, '--data-binary', '@-'].join(' ')}`;
}

/** The body bytes a cURL line of `renderCurl` sends, or undefined when it sends none (what the report shows, read back). */
export function curlBody(line: string): Buffer | undefined {
  const piped = /^printf '([^']*)' \| curl /.exec(line);
  if (piped) return printfUnescape(piped[1]!);
  const at = line.indexOf(" --data-raw '");
  if (at < 0) return undefined;
  const quoted = line.slice(at + ' --data-raw '.length);
  if (!/^'(?:[^']|'\\'')*'$/.test(quoted)) throw new Error(`curlBody: --data-raw is not the last, single-quoted argument: ${quoted.slice(0, 80)}`);
  return Buffer.from(quoted.slice(1, -1).replaceAll(`'\\''`, "'"), 'utf8');
}
