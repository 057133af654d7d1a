import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../lib/profile.ts';
import { parseStageList } from '../lib/stage-names.ts';
import { evaluateGate, type GateVerdict } from './quality-gate.ts';
import { REPORT_PATHS } from './report-config.ts';
import { countResults, readResults, totalOf, writeEnvironment, type StoredResult } from './results.ts';
import { categoryOf } from './categories.ts';
import { collectGlobalAttachments } from './global-attachments.ts';
import { credentialsToRenewIn, formatSummary, stageLines, type StageLine } from './summary.ts';
import { driftForBuild, type BuildDrift } from './drift/for-build.ts';

/**
 * The report build: from the gathered results (reports/allure-results) and the stages' manifests to the
 * browsable report (reports/html/index.html) and its single-file copy, both with Allure 3 (no Java), then the
 * quality gate and the one-screen summary. `npm start` calls it after the stages; CI's report job runs it
 * alone (`npm run report`) on the results of every stage job.
 */

interface Manifest extends Omit<StageLine, 'parts'> {
  environment: Record<string, string>;
  shard?: string | null;
}

/**
 * The conformance shard the gathered results are, for the run's record: one shard alone (`npm start -- --shard 2/3`)
 * is a part of the suite; several shards (CI's report job gathers all of them) or none are the whole suite.
 */
export function shardOf(manifests: readonly Manifest[]): { Shard?: string } {
  const shards = manifests.filter((m) => m.stage === 'conformance').map((m) => m.shard ?? null);
  return shards.length === 1 && shards[0] ? { Shard: shards[0] } : {};
}

export function readManifests(dir: string = REPORT_PATHS.stages): Manifest[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Manifest);
}

/** One environment block from every stage's facts; a fact that differs between jobs lists each value once. */
export function mergeEnvironment(manifests: Manifest[]): Record<string, string> {
  const values = new Map<string, Set<string>>();
  for (const m of manifests) {
    for (const [key, value] of Object.entries(m.environment)) {
      if (!values.has(key)) values.set(key, new Set());
      values.get(key)!.add(value);
    }
  }
  const out: Record<string, string> = {};
  for (const [key, set] of values) out[key] = [...set].join(', ');
  out['Stages'] = [...new Set(manifests.map((m) => m.stage))].join(', ');
  return out;
}

/**
 * What the report's first screen must say without a click (its metadata block, drawn from the environment):
 * which stages ran and which did not (with why), and how many results failed for each cause (the Categories
 * rules). Counts only the latest attempt of each test, as the report does.
 */
export function firstScreenFacts(stages: readonly StageLine[], results: readonly Pick<StoredResult, 'status' | 'statusDetails' | 'historyId' | 'uuid' | 'stop' | 'labels'>[]): Record<string, string> {
  const ran = stages.filter((s) => s.outcome === 'ran').map((s) => `${s.stage} (${totalOf(s.counts)} results)`);
  const notRun = stages.filter((s) => s.outcome !== 'ran').map((s) => `${s.stage}: ${s.outcome === 'broken' ? 'could not run' : 'skipped'}: ${s.reason ?? 'no reason recorded'}`);
  const latest = new Map<string, (typeof results)[number]>();
  for (const r of results) {
    const key = r.historyId ?? r.uuid;
    const seen = latest.get(key);
    if (!seen || (r.stop ?? 0) >= (seen.stop ?? 0)) latest.set(key, r);
  }
  const byCategory = new Map<string, number>();
  for (const r of latest.values()) {
    if (r.status !== 'failed' && r.status !== 'broken') continue;
    const labels = (r.labels ?? []).map((l) => ({ name: l.name, value: l.value ?? '' }));
    const category = categoryOf(r.status, r.statusDetails?.message ?? '', labels) ?? 'uncategorised';
    byCategory.set(category, (byCategory.get(category) ?? 0) + 1);
  }
  return {
    'Stages run': ran.join(', ') || 'none',
    'Stages not run': notRun.join(' | ') || 'none',
    'Failed by category': [...byCategory].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c}: ${n}`).join(', ') || 'none',
  };
}

const ANALYTICS = /\s*<script async src="https:\/\/www\.googletagmanager\.com\/gtag\/js[^"]*"><\/script>\s*<script>[\s\S]*?gtag\('config'[\s\S]*?<\/script>/;

/**
 * Allure's HTML template loads Google's analytics tag when the report is opened. The report is read inside
 * company networks and offline, so the build removes that tag; nothing else in the page is touched.
 */
export function stripAnalytics(html: string): string {
  return html.replace(ANALYTICS, '');
}

/** One `allure generate`; resolves to an error message, or null when the report is there. */
function generate(config: string, output: string): Promise<string | null> {
  rmSync(output, { recursive: true, force: true });
  const cli = join(PROJECT_ROOT, 'node_modules/allure/cli.js');
  return new Promise((done) => {
    const child = spawn(process.execPath, [cli, 'generate', '--config', config, REPORT_PATHS.results], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (c: Buffer) => (log += c.toString()));
    child.stderr.on('data', (c: Buffer) => (log += c.toString()));
    child.once('error', (error) => done(`allure generate could not start: ${error.message}`));
    child.once('exit', (code) => {
      const index = join(output, 'index.html');
      if (code !== 0 || !existsSync(index)) {
        done(`allure generate --config ${relative(PROJECT_ROOT, config)} exited with ${code}: ${log.trim().split('\n').slice(-3).join(' / ')}`);
        return;
      }
      writeFileSync(index, stripAnalytics(readFileSync(index, 'utf8')));
      done(null);
    });
  });
}

function historyRuns(): number {
  if (!existsSync(REPORT_PATHS.history)) return 0;
  return readFileSync(REPORT_PATHS.history, 'utf8').split('\n').filter((l) => l.trim()).length;
}

export interface BuildResult {
  gate: GateVerdict;
  summary: string;
  htmlIndex: string | null;
  singleFileIndex: string | null;
  errors: string[];
}

export async function buildReport(
  options: { target?: string; startedAt?: number; env?: NodeJS.ProcessEnv; require?: readonly string[]; drift?: BuildDrift } = {},
): Promise<BuildResult> {
  const manifests = readManifests();
  // What changed since the baseline: written as results before the gate counts them (reports/drift/).
  const drift = driftForBuild(options.drift ?? {}, { ...mergeEnvironment(manifests), ...shardOf(manifests) }, options.env);
  const counts = countResults(REPORT_PATHS.results);
  const required = options.require ?? [];
  const stages = stageLines(manifests);
  const gate = evaluateGate(counts, { stages: required, runs: stages });
  const environment = mergeEnvironment(manifests);
  environment['Quality gate'] = gate.passed ? 'passed' : `failed: ${gate.reasons.join(', ')}`;
  Object.assign(environment, firstScreenFacts(stages, readResults(REPORT_PATHS.results).map((r) => r.result)));
  writeEnvironment(REPORT_PATHS.results, environment);
  collectGlobalAttachments(REPORT_PATHS.results, REPORT_PATHS.globalAttachments, options.env, manifests.some((m) => m.stage === 'conformance' && m.outcome === 'ran'));

  process.stdout.write('\n▶ report: allure generate (browsable and single-file)\n');
  mkdirSync(join(REPORT_PATHS.history, '..'), { recursive: true });
  // Both variants at once: they read the same results and write different folders (only the browsable one
  // appends to the history).
  const [htmlError, singleError] = await Promise.all([
    generate(join(PROJECT_ROOT, 'reports/allurerc.ts'), REPORT_PATHS.html),
    generate(join(PROJECT_ROOT, 'reports/allurerc.single-file.ts'), REPORT_PATHS.singleFile),
  ]);
  const errors = [htmlError, singleError].filter((e): e is string => e !== null);

  // A run whose report could not be built does not pass, whatever its tests say.
  const finalGate: GateVerdict = errors.length > 0 ? { passed: false, reasons: [...gate.reasons, 'the report could not be built'] } : gate;
  const htmlIndex = htmlError ? null : relative(PROJECT_ROOT, join(REPORT_PATHS.html, 'index.html'));
  const singleFileIndex = singleError ? null : relative(PROJECT_ROOT, join(REPORT_PATHS.singleFile, 'index.html'));
  const summary = formatSummary({
    target: options.target ?? `${environment['Target'] ?? 'unknown'} (${environment['Target base URL'] ?? 'base URL unknown'})`,
    stages,
    required,
    renew: credentialsToRenewIn(REPORT_PATHS.results),
    gate: finalGate,
    report: { html: htmlIndex, singleFile: singleFileIndex, errors },
    history: { runs: historyRuns(), path: relative(PROJECT_ROOT, REPORT_PATHS.history) },
    ...(options.startedAt !== undefined ? { seconds: (Date.now() - options.startedAt) / 1000 } : {}),
  });
  return { gate: finalGate, summary: `${summary}${drift.lines.map((l) => `${l}\n`).join('')}`, htmlIndex, singleFileIndex, errors };
}

// `npm run report [-- --require conformance,e2e,load]`: build from what is already gathered (CI's report job, or
// a rebuild after a run); --require as for npm start.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (!existsSync(REPORT_PATHS.results)) {
    process.stderr.write(`no results to build a report from: ${relative(PROJECT_ROOT, REPORT_PATHS.results)} does not exist (run npm start first)\n`);
    process.exit(1);
  }
  const { values } = parseArgs({ options: { require: { type: 'string' } } });
  let require: string[] = [];
  try {
    require = values.require !== undefined ? parseStageList(values.require, '--require') : [];
  } catch (error) {
    process.stderr.write(`npm run report: ${(error as Error).message}\n`);
    process.exit(2);
  }
  const result = await buildReport({ require });
  process.stdout.write(`\n${result.summary}`);
  process.exit(result.gate.passed ? 0 : 1);
}
