import type { AccountFields, LoadSecrets, TemplateValue } from './config.ts';

/**
 * Credentials for many virtual users: the same template fill as lib/credentials.ts (`{id}` replaced by a fresh
 * id; `{"base64": ...}` also Base64-encoded), written without Node's Buffer so k6 can run it.
 */

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function utf8Bytes(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
  return out;
}

/** Standard Base64 (RFC 4648 §4, padded) of the UTF-8 bytes of `text`: what the simulator's tickets use. */
export function base64Utf8(text: string): string {
  const bytes = utf8Bytes(text);
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    out += B64[a >> 2]! + B64[((a & 3) << 4) | ((b ?? 0) >> 4)]!;
    out += b === undefined ? '=' : B64[((b & 15) << 2) | ((c ?? 0) >> 6)]!;
    out += c === undefined ? '=' : B64[c & 63]!;
  }
  return out;
}

export function fillTemplate(template: TemplateValue, id: string): string {
  if (typeof template === 'string') return template.split('{id}').join(id);
  return base64Utf8(template.base64.split('{id}').join(id));
}

/** A fresh account for `provider` from its templates, or undefined when the target cannot mint one. */
export function mintAccount(templates: LoadSecrets['templates'], provider: string, id: string): AccountFields | undefined {
  const fields = templates[provider];
  if (!fields) return undefined;
  const account: AccountFields = {};
  for (const [field, template] of Object.entries(fields)) account[field] = fillTemplate(template, id);
  return account;
}

/**
 * The account for one request: minted where the target has templates (so load never piles onto one user),
 * else the profile's accounts round-robin by `sequence`; undefined when there is neither.
 */
export function accountFor(secrets: LoadSecrets, provider: string, id: string, sequence: number): AccountFields | undefined {
  const minted = mintAccount(secrets.templates, provider, id);
  if (minted) return minted;
  const list = secrets.accounts[provider] ?? [];
  return list.length === 0 ? undefined : list[sequence % list.length];
}

/** Providers the run can sign in with: those with templates or accounts. */
export function usableProviders(secrets: LoadSecrets, wanted: readonly string[]): string[] {
  return wanted.filter((p) => secrets.templates[p] !== undefined || (secrets.accounts[p]?.length ?? 0) > 0);
}

/** A unique id per request without crypto: VU, iteration and a per-run salt. */
export function requestId(salt: string, vu: number, iteration: number): string {
  return `${salt}v${vu}i${iteration}`;
}
