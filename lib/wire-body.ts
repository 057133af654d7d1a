import type { Redactor } from './redact.ts';

/**
 * Request bodies as bytes, and how the report shows them. A negative test is only as good as the bytes that
 * reach the server, so the client sends every body as a Buffer (nothing re-serialises it) and the report's
 * attachment and cURL line are rendered from that same Buffer. The functions here also read a body back out
 * of what the report shows, so the client can check, on every request, that the report shows the bytes sent
 * (secrets redacted, nothing else changed).
 */

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function asBytes(body: string | Buffer): Buffer {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

/** The body as text when it is valid UTF-8, else null. */
export function utf8Text(bytes: Buffer): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * The bytes the report shows for a body: the bytes sent with secrets redacted. A body that is not UTF-8 is
 * redacted byte for byte (Latin-1 maps each byte to one character), so its other bytes stay exactly as sent.
 */
export function reportedBytes(body: string | Buffer, redactor: Redactor): Buffer {
  const bytes = asBytes(body);
  const text = utf8Text(bytes);
  if (text !== null) return Buffer.from(redactor.text(text), 'utf8');
  return Buffer.from(redactor.text(bytes.toString('latin1')), 'latin1');
}

/** Bytes as a POSIX printf format: printable ASCII as is, everything else (and ' \ %) as an octal escape. */
export function printfEscape(bytes: Buffer): string {
  let out = '';
  for (const b of bytes) {
    if (b >= 0x20 && b < 0x7f && b !== 0x27 && b !== 0x5c && b !== 0x25) out += String.fromCharCode(b);
    else out += `\\${b.toString(8).padStart(3, '0')}`; // octal: the escape POSIX printf knows
  }
  return out;
}

export function printfUnescape(format: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < format.length; i++) {
    const m = format[i] === '\\' ? /^[0-7]{3}/.exec(format.slice(i + 1)) : null;
    if (m) {
      out.push(Number.parseInt(m[0], 8));
      i += 3;
    } else out.push(format.charCodeAt(i));
  }
  return Buffer.from(out);
}

const NOT_UTF8 = /^\((\d+) bytes, not valid UTF-8; as printf escapes\)\n/;

/** How an attachment writes a body: the text when it is UTF-8, else a marked line of printf escapes. */
export function bodyText(bytes: Buffer): string {
  const text = utf8Text(bytes);
  return text ?? `(${bytes.length} bytes, not valid UTF-8; as printf escapes)\n${printfEscape(bytes)}`;
}

/** The inverse of `bodyText`. */
export function bytesOfBodyText(text: string): Buffer {
  const m = NOT_UTF8.exec(text);
  return m ? printfUnescape(text.slice(m[0].length)) : Buffer.from(text, 'utf8');
}

/** A short description of where two byte strings first differ, for a failure message. */
export function firstDifference(a: Buffer, b: Buffer): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const around = (x: Buffer) => JSON.stringify(x.subarray(Math.max(0, i - 12), i + 12).toString('latin1'));
  return `${a.length} vs ${b.length} bytes, first difference at byte ${i}: ${around(a)} vs ${around(b)}`;
}
