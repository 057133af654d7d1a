import { readFileSync, writeFileSync } from 'node:fs';
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { REDACTED, Redactor, redactionMarker } from './redact.ts';
import type { Template, TargetProfile } from './profile.ts';

/**
 * Redaction for what Playwright itself writes: error messages (they quote URLs and typed values) and trace
 * archives (every request body, every value typed into a form, the DOM). The browser flows must type social
 * tokens and send them, so their traces hold them; these helpers rewrite that text before any report sees it.
 */

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Patterns for the accounts a target mints from its credential templates (`sim-google-{id}`): the minted values
 * are fresh per test, so they cannot be listed as secrets, but their shape is known.
 */
export function templatePatterns(templates: TargetProfile['credentialTemplates']): RegExp[] {
  const out: RegExp[] = [];
  for (const fields of Object.values(templates)) {
    for (const template of Object.values(fields) as Template[]) {
      if (typeof template === 'string') {
        const [before] = template.split('{id}');
        if (template.includes('{id}') && before && before.length >= 4) out.push(new RegExp(`${escapeRegExp(before)}[A-Za-z0-9_-]+`, 'g'));
      } else {
        // Base64 of `prefix{id}`: only whole 3-byte groups of the prefix encode the same whatever the id is.
        const [before = ''] = template.base64.split('{id}');
        const aligned = Buffer.from(before, 'utf8').subarray(0, Math.floor(Buffer.byteLength(before) / 3) * 3);
        const stem = aligned.toString('base64');
        if (stem.length >= 8) out.push(new RegExp(`${escapeRegExp(stem)}[A-Za-z0-9+/=%]*`, 'g'));
      }
    }
  }
  return out;
}

export class PlaywrightRedactor {
  private readonly redactor: Redactor;

  constructor(secrets: readonly string[], private readonly patterns: readonly RegExp[] = []) {
    this.redactor = new Redactor(secrets);
  }

  static forProfile(profile: Pick<TargetProfile, 'secrets' | 'credentialTemplates'>): PlaywrightRedactor {
    return new PlaywrightRedactor(profile.secrets, templatePatterns(profile.credentialTemplates));
  }

  text(input: string): string {
    let out = input;
    for (const pattern of this.patterns) out = out.replace(pattern, (m) => redactionMarker(m));
    // What was typed into a form is a credential in these flows: `Fill "…"` step titles and fill/type call values.
    out = out.replace(/\b(Fill|Type|Press sequentially) "(?:[^"\\]|\\.)*"/g, `$1 "${REDACTED}"`);
    out = out.replace(/("method":"(?:fill|type|pressSequentially)"[^\n]*?"value":")((?:[^"\\]|\\.)*)(")/g, `$1${REDACTED}$3`);
    return this.redactor.text(out);
  }

  /** Rewrites a trace archive in place; returns how many of its entries changed. Binary entries are left alone. */
  traceArchive(path: string): number {
    const entries = unzipSync(new Uint8Array(readFileSync(path)));
    const out: Zippable = {};
    let changed = 0;
    for (const [name, data] of Object.entries(entries)) {
      if (isBinary(name, data)) {
        out[name] = data;
        continue;
      }
      const before = strFromU8(data);
      const after = this.text(before);
      if (after !== before) changed++;
      out[name] = strToU8(after);
    }
    if (changed > 0) writeFileSync(path, zipSync(out, { level: 6 }));
    return changed;
  }
}

const BINARY_NAME = /\.(png|jpe?g|webp|gif|webm|woff2?|ttf|zip)$/i;

function isBinary(name: string, data: Uint8Array): boolean {
  if (BINARY_NAME.test(name)) return true;
  // Resources are stored by hash without extension: sniff for NUL bytes and image signatures.
  const head = data.subarray(0, 512);
  if (head[0] === 0x89 && head[1] === 0x50) return true; // PNG
  if (head[0] === 0xff && head[1] === 0xd8) return true; // JPEG
  return head.includes(0);
}
