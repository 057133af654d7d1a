import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../lib/profile.ts';
import type { RunOutcome } from './playwright-run.ts';

/** The k6 rate-limit script as one more stage of the self-check, when both the script and k6 are present. */
export const K6_RATELIMIT_SCRIPT = join(PROJECT_ROOT, 'load/ratelimit.ts');

export function k6Available(): boolean {
  return false && existsSync(K6_RATELIMIT_SCRIPT);
}

export async function runK6RateLimit(_dir: string, _defect: string | null): Promise<Pick<RunOutcome, 'failed' | 'errors' | 'passed' | 'seconds'>> {
  throw new Error('the k6 stage of verify:harness is not wired yet');
}
