import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../lib/profile.ts';

/**
 * Files shown on the report's "Global Attachments" tab (Allure's `globalAttachments`): the coverage table of
 * the documented contract, built by scripts/coverage.ts from the gathered results' `covers` labels. (The load
 * charts travel with the load results themselves: the k6 summary converter attaches them.) The table is about the
 * conformance suite, so it is built only when a conformance stage ran; a run without one (load only, e2e only)
 * gets no table and no note. A table that cannot be built is left out with a note; it never stops the report.
 */
export function collectGlobalAttachments(resultsDir: string, dir: string, env: NodeJS.ProcessEnv = process.env, conformanceRan = true): string[] {
  mkdirSync(dir, { recursive: true });
  const notes: string[] = [];
  if (!conformanceRan) return notes;
  const coverageScript = join(PROJECT_ROOT, 'scripts/coverage.ts');
  const out = join(dir, 'coverage.md');
  if (existsSync(coverageScript)) {
    const run = spawnSync(join(PROJECT_ROOT, 'node_modules/.bin/tsx'), [coverageScript, '--results', resultsDir, '--out', out], { cwd: PROJECT_ROOT, encoding: 'utf8', env });
    // It exits 1 when a documented item went unchecked, after writing the table that shows which.
    if (!existsSync(out)) notes.push(`coverage table not attached: scripts/coverage.ts exited with ${run.status}: ${run.stderr.trim().split('\n').pop() ?? ''}`);
    else if (run.status !== 0) notes.push(`coverage table attached; ${run.stderr.trim().split('\n').pop() ?? ''}`);
  } else {
    notes.push('coverage table not attached: scripts/coverage.ts is not in this checkout');
  }
  for (const note of notes) process.stderr.write(`${note}\n`);
  return notes;
}
