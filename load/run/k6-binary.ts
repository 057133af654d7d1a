import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Where k6 is: `$K6_BIN`, else `k6` on PATH. Missing, it says how to get it. */

export const K6_INSTALL_URL = 'https://grafana.com/docs/k6/latest/set-up/install-k6/';

export class K6NotFoundError extends Error {
  constructor(reason: string) {
    super(`k6 not found: ${reason}. Install k6 (${K6_INSTALL_URL}) and put it on PATH, or set K6_BIN=/path/to/k6.`);
    this.name = 'K6NotFoundError';
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The k6 binary, or a K6NotFoundError naming what was tried. */
export function findK6(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.K6_BIN;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (isExecutable(fromEnv)) return fromEnv;
    throw new K6NotFoundError(`K6_BIN=${fromEnv} is not an executable file`);
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, 'k6');
    if (isExecutable(candidate)) return candidate;
  }
  return (() => {
    throw new K6NotFoundError('K6_BIN is not set and there is no k6 on PATH');
  })();
}

/** Null when k6 is there; else why not (for steps that must be reported as skipped, never as passed). */
export function k6MissingReason(env: NodeJS.ProcessEnv = process.env): string | null {
  try {
    findK6(env);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}
