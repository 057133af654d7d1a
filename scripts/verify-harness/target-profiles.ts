import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import { DEFAULT_PROFILE_PATH } from '../../lib/profile.ts';

/**
 * Target profiles for self-check runs: the simulator's own profile (targets/simulator.json) with the base URL
 * moved to a port of the run's own, so several simulators (the good one and defect modes) run side by side.
 * Written as files because every stage reads its target from TARGET_PROFILE, exactly as for a real server.
 */

/** A port nothing listens on right now (the OS picks it; the simulator takes it a moment later). */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

export type ProfileDocument = Record<string, unknown> & { baseUrl: string; expectations: string; timeouts?: Record<string, number> };

/** The simulator profile as a document, with relative paths made absolute so it can be written anywhere. */
export function simulatorProfileDocument(): ProfileDocument {
  const doc = parseJsonc(readFileSync(DEFAULT_PROFILE_PATH, 'utf8')) as ProfileDocument;
  delete doc.$schema;
  doc.expectations = resolve(dirname(DEFAULT_PROFILE_PATH), doc.expectations);
  return doc;
}

export function writeProfile(dir: string, port: number, change: (doc: ProfileDocument) => void = () => {}): string {
  const doc = simulatorProfileDocument();
  const url = new URL(doc.baseUrl);
  url.port = String(port);
  doc.baseUrl = url.toString().replace(/\/+$/, '');
  doc.name = `${String(doc.name)} on port ${port}`;
  change(doc);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'profile.json');
  writeFileSync(path, `${JSON.stringify(doc, null, 2)}\n`);
  return path;
}
