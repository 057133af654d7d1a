import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../lib/profile.ts';

/**
 * Files shown on the report's "Global Attachments" tab (Allure's `globalAttachments`): the coverage table of
 * the documents (scripts/coverage.ts, built from the results' `covers` labels) and whatever the stages left in
 * the folder during the run (the load stage's charts). A missing producer is skipped with a note on stderr.
 */
export function collectGlobalAttachments(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const notes: string[] = [];
  const coverageScript = join(PROJECT_ROOT, 'scripts/coverage.ts');
  if (existsSync(coverageScript)) {
    const run = spawnSync(process.execPath, ['--import', 'tsx', coverageScript], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    if (run.status === 0 && run.stdout.trim()) writeFileSync(join(dir, 'coverage.md'), run.stdout);
    else notes.push(`coverage table not attached: scripts/coverage.ts exited with ${run.status}: ${run.stderr.trim().split('\n').pop() ?? ''}`);
  } else {
    notes.push('coverage table not attached: scripts/coverage.ts is not in this checkout');
  }
  for (const note of notes) process.stderr.write(`${note}\n`);
  return notes;
}
