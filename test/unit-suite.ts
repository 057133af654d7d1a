import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The unit phase of `npm test`: every `test/*.test.ts` in ONE process (`npx tsx --test test/unit-suite.ts`). Node's
 * runner otherwise starts a process per file, and with tsx each start costs more CPU than most of the files' tests
 * (51 files: about 65 s of CPU of starts alone). Unit tests are pure (no servers, no child processes, no waiting on
 * timers; those are self-checks in test/self-check/), so they can share a process. The files are found here, not
 * listed, so a new one cannot be left out. One file alone: `npx tsx --test test/<file>.test.ts`.
 */

const dir = dirname(fileURLToPath(import.meta.url));
for (const file of readdirSync(dir).filter((f) => f.endsWith('.test.ts')).sort()) {
  await import(pathToFileURL(`${dir}/${file}`).href);
}
