import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import { DEFAULT_PROFILE_PATH } from '../../lib/profile.ts';
import { expectationsWithQuirks, quirkNamed, redirectUrisWithQuirks, type ExpectedAnswer } from '../../sim/quirks.ts';

/**
 * Target profiles for self-check runs: the simulator's own profile (targets/simulator.json) with the base URL
 * moved to a port of the run's own, so several simulators (the good one and defect modes) run side by side.
 * Written as files because every stage reads its target from TARGET_PROFILE, exactly as for a real server.
 */

export type ProfileDocument = Record<string, unknown> & { baseUrl: string; expectations: string; timeouts?: Record<string, number> };

/** The simulator profile as a document, with relative paths made absolute so it can be written anywhere. */
export function simulatorProfileDocument(): ProfileDocument {
  const doc = parseJsonc(readFileSync(DEFAULT_PROFILE_PATH, 'utf8')) as ProfileDocument;
  delete doc.$schema;
  doc.expectations = resolve(dirname(DEFAULT_PROFILE_PATH), doc.expectations);
  return doc;
}

/** Written whole under a temporary name, then renamed: a reader (another Playwright worker) never sees half a file. */
function writeAtomically(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/**
 * The profile a QA engineer would write for a server with these quirks (sim/quirks.ts): the registered redirect
 * URIs as that server registers them, and an expectations file (written beside the profile) with the statuses and
 * codes it answers. Everything else is the simulator's profile: the suites themselves are never adapted.
 */
function applyQuirks(doc: ProfileDocument, dir: string, names: readonly string[]): void {
  if (names.length === 0) return;
  const quirks = names.map(quirkNamed);
  const oauth = (doc.oauth ?? {}) as Record<string, { redirectUris?: string[] }>;
  const rateLimit = doc.rateLimit as { client?: { redirectUris?: string[] } } | undefined;
  for (const client of [...Object.values(oauth), rateLimit?.client]) {
    if (client?.redirectUris) client.redirectUris = redirectUrisWithQuirks(client.redirectUris, quirks);
  }
  for (const quirk of quirks) quirk.profile?.(doc);
  const expectations = parseJsonc(readFileSync(doc.expectations, 'utf8')) as { cases: Record<string, ExpectedAnswer> };
  const path = join(dir, 'expectations.json');
  writeAtomically(path, `${JSON.stringify({ $comment: `expectations for a server with the quirks ${names.join(', ')}`, cases: expectationsWithQuirks(expectations, quirks).cases }, null, 2)}\n`);
  doc.expectations = path;
}

/** The simulator's profile on `port` (null: the profile's own), changed by `change`, adapted to `quirks`; returns its path. */
export function writeProfile(dir: string, port: number | null, change: (doc: ProfileDocument) => void = () => {}, quirks: readonly string[] = []): string {
  const doc = simulatorProfileDocument();
  if (port !== null) {
    const url = new URL(doc.baseUrl);
    url.port = String(port);
    doc.baseUrl = url.toString().replace(/\/+$/, '');
    doc.name = `${String(doc.name)} on port ${port}`;
  }
  if (quirks.length > 0) doc.name = `${String(doc.name)} with quirks ${quirks.join(', ')}`;
  change(doc);
  mkdirSync(dir, { recursive: true });
  applyQuirks(doc, dir, quirks);
  const path = join(dir, 'profile.json');
  writeAtomically(path, `${JSON.stringify(doc, null, 2)}\n`);
  return path;
}
