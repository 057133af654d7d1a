import { readFileSync, readdirSync, statSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { join } from 'node:path';

/**
 * Looks for canary secrets in everything a run leaves behind: every file under the given folders, read as bytes,
 * and every entry of every zip among them (Playwright traces), for the canaries as written, percent-encoded,
 * JSON-escaped and Base64-encoded at any alignment, and for anything shaped like a JWT.
 */

export interface Finding {
  file: string;
  what: string;
  excerpt: string;
}

/** Base64 of `text` as it appears inside a longer Base64 string, at each of the three byte alignments. */
export function base64Variants(text: string): string[] {
  const out: string[] = [];
  for (let pad = 0; pad < 3; pad++) {
    const encoded = Buffer.from('\0'.repeat(pad) + text, 'utf8').toString('base64');
    // Keep only the characters whose 6 bits all come from the text (not from the bytes around it).
    const stable = encoded.slice(Math.ceil((8 * pad) / 6), Math.floor((8 * (pad + Buffer.byteLength(text))) / 6));
    if (stable.length >= 8) out.push(stable);
    out.push(stable.replace(/\+/g, '-').replace(/\//g, '_')); // base64url
  }
  return [...new Set(out)];
}

export function needlesFor(canaries: readonly string[]): { needle: string; what: string }[] {
  const needles: { needle: string; what: string }[] = [];
  for (const canary of canaries) {
    needles.push({ needle: canary, what: `canary ${canary}` });
    needles.push({ needle: encodeURIComponent(canary), what: `canary ${canary} (percent-encoded)` });
    for (const b64 of base64Variants(canary)) needles.push({ needle: b64, what: `canary ${canary} (Base64 ${b64})` });
  }
  return needles.filter((n, i, all) => all.findIndex((m) => m.needle === n.needle) === i);
}

/** A signed JWT (three Base64url parts, the first two JSON objects): the simulator's tokens look like this. */
const JWT = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/g;

function files(dir: string): string[] {
  const out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const entry of entries) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...files(full));
    else out.push(full);
  }
  return out;
}

function scanText(label: string, text: string, needles: readonly { needle: string; what: string }[], findings: Finding[]): void {
  for (const { needle, what } of needles) {
    const at = text.indexOf(needle);
    if (at >= 0) findings.push({ file: label, what, excerpt: text.slice(Math.max(0, at - 60), at + needle.length + 20).replace(/\s+/g, ' ') });
  }
  for (const match of text.matchAll(JWT)) {
    findings.push({ file: label, what: 'a JWT', excerpt: `${match[0].slice(0, 40)}…` });
    break;
  }
}

/** Every file in a zip, unpacked in process (one `unzip -p` per entry cost a process per trace resource). */
function zipEntries(bytes: Buffer): { name: string; bytes: Buffer }[] {
  return Object.entries(unzipSync(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)))
    .filter(([name]) => !name.endsWith('/'))
    .map(([name, data]) => ({ name, bytes: Buffer.from(data.buffer, data.byteOffset, data.byteLength) }));
}

export interface ScanResult {
  findings: Finding[];
  filesScanned: number;
  zipEntriesScanned: number;
}

export function scanForCanaries(dirs: readonly string[], canaries: readonly string[]): ScanResult {
  const needles = needlesFor(canaries);
  const result: ScanResult = { findings: [], filesScanned: 0, zipEntriesScanned: 0 };
  for (const dir of dirs) {
    for (const file of files(dir)) {
      const bytes = readFileSync(file);
      result.filesScanned++;
      if (bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) {
        for (const entry of zipEntries(bytes)) {
          result.zipEntriesScanned++;
          scanText(`${file}!${entry.name}`, entry.bytes.toString('latin1'), needles, result.findings);
        }
      } else {
        // latin1 keeps every byte, so a canary inside binary data is still found.
        scanText(file, bytes.toString('latin1'), needles, result.findings);
      }
    }
  }
  return result;
}

/** Every text of the given files and folders, zip entries unpacked, as latin1 (every byte kept). */
function* textsOf(paths: readonly string[]): Generator<{ file: string; text: string }> {
  for (const path of paths) {
    let list: string[];
    try {
      list = statSync(path).isDirectory() ? files(path) : [path];
    } catch {
      continue;
    }
    for (const file of list) {
      const bytes = readFileSync(file);
      if (bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) {
        for (const entry of zipEntries(bytes)) yield { file: `${file}!${entry.name}`, text: entry.bytes.toString('latin1') };
      } else yield { file, text: bytes.toString('latin1') };
    }
  }
}

/**
 * Which canaries reached these files redacted: the markers the redactor writes under REDACTION_PROBE_MARK
 * (`[REDACTED:sim-facebook-]`, lib/redact.ts), as written or Base64-encoded (the single-file report embeds its data).
 * Returns the labels found (`sim-facebook-`, `b64:sim-steam-`, ...).
 */
export function redactionLabelsIn(paths: readonly string[], labels: readonly string[]): Set<string> {
  const needles = labels.flatMap((label) => {
    const marker = `[REDACTED:${label}]`;
    // Playwright's list reporter cuts attachment previews with `...`: a marker cut there (at least 8 characters of
    // its label, which tell the canaries apart) still shows which canary it hid.
    const cut = label.length > 8 ? Array.from({ length: label.length - 8 }, (_, i) => `[REDACTED:${label.slice(0, 8 + i)}...`) : [];
    return [marker, JSON.stringify(marker).slice(1, -1), ...base64Variants(marker), ...cut].map((needle) => ({ needle, label }));
  });
  const found = new Set<string>();
  for (const { text } of textsOf(paths)) {
    for (const { needle, label } of needles) if (!found.has(label) && text.includes(needle)) found.add(label);
    if (found.size === labels.length) break;
  }
  return found;
}
