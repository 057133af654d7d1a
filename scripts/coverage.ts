import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { computeCoverage, coverageItems, readCoveredLabels, renderCoverageTable, uncovered } from '../lib/coverage.ts';
import { PROJECT_ROOT, loadProfile, profilePathFromEnv } from '../lib/profile.ts';

/**
 * `npx tsx scripts/coverage.ts [--results <dir>] [--out <file>] [--runs latest|all]`: the coverage table of the
 * conformance results (documented parameters, providers and statuses from contract/, against the tests' Allure
 * `covers` labels). Prints it, writes it as Markdown, and exits 1 when a documented item was not checked.
 * Without --results it reads the shared results folder and counts only the latest run there (older runs may
 * linger); with --results (a job's gathered results, possibly several shards) it counts every run in it.
 */
const { values } = parseArgs({
  options: { results: { type: 'string' }, out: { type: 'string' }, runs: { type: 'string' } },
});
const runs = values.runs ?? (values.results ? 'all' : 'latest');
if (runs !== 'latest' && runs !== 'all') {
  process.stderr.write(`coverage: --runs must be latest or all, got "${runs}"\n`);
  process.exit(2);
}
const resultsDir = resolve(PROJECT_ROOT, values.results ?? process.env.ALLURE_RESULTS_DIR ?? 'reports/allure-results');
const out = resolve(PROJECT_ROOT, values.out ?? 'reports/out/coverage.md');

if (!existsSync(resultsDir)) {
  process.stderr.write(`coverage: no Allure results at ${resultsDir}; run the conformance suite first (npx playwright test --project=conformance)\n`);
  process.exit(1);
}
const profile = loadProfile(profilePathFromEnv());
const { counts, runId, tests } = readCoveredLabels(resultsDir, runs === 'all');
if (runId === null) {
  process.stderr.write(`coverage: the results at ${resultsDir} hold no conformance run; run the conformance suite first\n`);
  process.exit(1);
}
const coverage = computeCoverage(coverageItems(profile.expectations, profile.providers), counts);
const table = renderCoverageTable(coverage);
const header = `# Coverage of the documented contract\n\ntarget: ${profile.name}; ${runs === 'all' ? 'every run in the results, latest' : 'run'} ${new Date(Number(runId)).toISOString()}; ${tests} passed tests\n\n`;
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${header}${table}\n`);
process.stdout.write(`${header}${table}\n\n(written to ${out})\n`);
const missing = uncovered(coverage);
if (missing.length > 0) {
  process.stderr.write(`coverage: ${missing.length} documented item(s) not checked by any passing test: ${missing.map((m) => `${m.endpoint} ${m.item}`).join(', ')}\n`);
  process.exit(1);
}
