/**
 * Redaction for everything the harness writes (report attachments, cURL lines, logs, traces): the profile's
 * secrets by value, anything shaped like a JWT, and the values of fields and headers that carry credentials.
 * Applied at the point of writing, so no stage has to remember which of its strings are secret.
 */

import { ERROR_CODE_PATTERN } from '../contract/errors.ts';

export const REDACTED = '[REDACTED]';

/**
 * The secret-hygiene self-check's proof that a canary reached an output path (test/self-check/secret-hygiene): with
 * REDACTION_PROBE_MARK set to the canaries' mark, a redacted value that held the mark (as written, percent-encoded or
 * Base64) becomes `[REDACTED:<what came before the mark>]`, e.g. `[REDACTED:sim-facebook-]`: the simulator's fixed
 * prefix, never the secret. Unset (every real run), every marker is `[REDACTED]`.
 */
// Read on each use: the self-check sets it in its own process after its imports.
const probeMark = (): string => process.env.REDACTION_PROBE_MARK ?? '';

function probeLabel(value: string): string | null {
  const forms: [string, string][] = [['', value]];
  try {
    forms.push(['', decodeURIComponent(value)]);
  } catch {
    // not percent-encoded
  }
  for (const [, text] of [...forms]) {
    if (/^[A-Za-z0-9+/_=-]{8,}$/.test(text)) forms.push(['b64:', Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('latin1')]);
  }
  for (const [kind, text] of forms) {
    const at = text.indexOf(probeMark());
    if (at >= 0) return `${kind}${text.slice(0, at).replace(/[^A-Za-z0-9_-]/g, '')}`;
  }
  return null;
}

/** What a redacted value becomes: `[REDACTED]`, or under the probe the label of the canary it held. */
export function redactionMarker(value: string): string {
  if (!probeMark()) return REDACTED;
  const label = probeLabel(value);
  return label === null ? REDACTED : `[REDACTED:${label}]`;
}

const JWT_PATTERN = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;

/** Field names whose values are secret wherever they appear (JSON, query strings, form bodies). */
export const SECRET_FIELD_NAMES = [
  'access_token', 'access_token_secret', 'openid', 'client_secret', 'session_ticket', 'code', 'refresh_token',
  'token', 'id_token', 'password',
] as const;

const fieldPattern = (name: string): RegExp[] => [
  new RegExp(`("${name}"\\s*:\\s*")((?:[^"\\\\]|\\\\.)*)(")`, 'g'), // JSON
  // query string or form body; `&amp;` too: a 3xx answer's HTML note links to the Location with its & escaped.
  new RegExp(`((?:[?&]|&amp;)${name}=)([^&#\\s'"<]*)`, 'g'),
];
const FIELD_PATTERNS = SECRET_FIELD_NAMES.flatMap(fieldPattern);

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class Redactor {
  private readonly secretPattern: RegExp | null;

  constructor(secrets: readonly string[] = []) {
    const variants = new Set<string>();
    for (const secret of secrets) {
      if (secret.length < 4) continue;
      variants.add(secret);
      variants.add(encodeURIComponent(secret));
      variants.add(JSON.stringify(secret).slice(1, -1));
      variants.add(Buffer.from(secret, 'utf8').toString('base64'));
    }
    const sorted = [...variants].sort((a, b) => b.length - a.length).map(escapeRegExp);
    this.secretPattern = sorted.length > 0 ? new RegExp(sorted.join('|'), 'g') : null;
  }

  text(input: string): string {
    let out = input;
    if (this.secretPattern) out = out.replace(this.secretPattern, (m) => redactionMarker(m));
    out = out.replace(JWT_PATTERN, `${REDACTED}-JWT`);
    for (const pattern of FIELD_PATTERNS) out = out.replace(pattern, (_m, pre: string, value: string, post: unknown) =>
        // A documented error code (`"code": "003-061"`) is the evidence a report needs, not a secret.
        // A value redacted already (by value, just above) keeps its marker.
        `${pre}${ERROR_CODE_PATTERN.test(value) || value.startsWith('[REDACTED') ? value : redactionMarker(value)}${typeof post === 'string' ? post : ''}`);
    return out;
  }

  headers(headers: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      const lower = name.toLowerCase();
      if (lower === 'authorization' || lower === 'cookie' || lower === 'set-cookie') {
        out[name] = value.replace(/^(\w+\s+).*$/, `$1${REDACTED}`);
      } else out[name] = this.text(value);
    }
    return out;
  }
}
