import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { findChromium } from '../lib/chromium.ts';
import { DEFAULT_PROFILE_PATH, PROJECT_ROOT, loadProfile } from '../lib/profile.ts';
import { DEFECTS, type Defect } from '../sim/defects.ts';
import { startSimulator } from '../sim/server.ts';
import { runPlaywright, type RunOutcome } from './verify-harness/playwright-run.ts';
import { runK6RateLimit, k6Available } from './verify-harness/k6-run.ts';
import { specFilesFor, E2E_AREAS, SLOW_DEFECT_GREP } from './verify-harness/suites-for-defect.ts';
import { QUIRKS } from '../sim/quirks.ts';
import { E2E_SMOKE_GREP, conformanceFilesFor, quirkRuns, quirksCovered, verdictLine, type QuirkRun } from './verify-harness/quirk-plan.ts';
import { writeProfile } from './verify-harness/target-profiles.ts';
import { driftProof } from './verify-harness/drift-proof.ts';
import { lookAlikeGrep, lookAlikeProof } from './verify-harness/lookalike-proof.ts';

/**
 * `npm run verify:harness [-- --full] [--only a,b] [--jobs n]`: the harness checks itself. The conformance
 * suites (and e2e where a defect touches the browser flow, and the k6 rate-limit script when k6 is present) run
 * against the good simulator, against every defect mode of it (sim/defects.ts) and on its quirk modes
 * (sim/quirks.ts). A defect is detected when at least one check fails against it; the good simulator and every
 * quirk run must pass everything in the same run (a test failing on a quirk is a false alarm). Prints the table
 * defect → the checks that caught it and the false alarms; the last line is
 * `harness detects N/M defects, F false alarms on K quirks`; exits 1 unless N = M, F = 0 and the good simulator passed.
 *
 * Default (part of `npm test`): each defect runs the spec files of the rules it breaks (mapped in
 * scripts/verify-harness/suites-for-defect.ts), the good simulator runs everything. `--full` (nightly): every
 * defect against every suite.
 */

const { values: args } = parseArgs({
  options: {
    full: { type: 'boolean', default: false },
    only: { type: 'string' },
    jobs: { type: 'string' },
    workers: { type: 'string' },
    'no-good': { type: 'boolean', default: false },
    'repeat-each': { type: 'string' },
    'max-failures': { type: 'string' },
    // Skips the drift proof (learn → change → compare); --only skips it too.
    'no-drift': { type: 'boolean', default: false },
  },
});

/** Each invocation writes its own folder, so runs side by side (a developer's and CI's) never mix their results. */
const OUT_ROOT = join(PROJECT_ROOT, 'reports/out/verify-harness');
const OUT = join(OUT_ROOT, `${new Date().toISOString().replace(/[-:]/g, '').replace(/\..+$/, '')}-${process.pid}`);
const full = args.full === true;
/**
 * Playwright replaces its worker process after every failed test, which costs seconds per failure; a few failed
 * checks prove a defect is caught, so the fast mode stops a defect's run after that many. `--full` lists them all.
 */
const maxFailures = Number(args['max-failures'] ?? (full ? 0 : 1));
const jobs = Number(args.jobs ?? Math.max(1, Math.min(3, cpus().length)));
// `--only` picks defects and quirks by name (the two lists share no name); without it, every one of both runs.
const picked = args.only ? args.only.split(',').map((s) => s.trim()).filter(Boolean) : null;
for (const name of picked ?? []) if (!DEFECTS[name] && !QUIRKS[name]) throw new Error(`--only: unknown defect or quirk "${name}" (npm run sim -- --list-defects / --list-quirks)`);
const names = picked ? picked.filter((n) => DEFECTS[n]) : Object.keys(DEFECTS).sort();
const quirkNames = picked ? picked.filter((n) => QUIRKS[n]) : Object.keys(QUIRKS).sort();

function specFiles(dir: string): string[] {
  const root = join(PROJECT_ROOT, dir);
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d)) {
      const full = join(d, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry.endsWith('.spec.ts')) out.push(relative(PROJECT_ROOT, full));
    }
  };
  walk(root);
  return out.sort();
}

const conformanceFiles = specFiles('conformance');
const e2eFiles = specFiles('e2e');
const chromiumPresent = findChromium().found;

/** Run folders of earlier invocations, once they are a day old (a day-old run is not still writing to its folder). */
function pruneOldRuns(): void {
  if (!existsSync(OUT_ROOT)) return;
  for (const entry of readdirSync(OUT_ROOT)) {
    const path = join(OUT_ROOT, entry);
    if (/^\d{8}T\d{6}-\d+$/.test(entry) && Date.now() - statSync(path).mtimeMs > 24 * 3600_000) rmSync(path, { recursive: true, force: true });
  }
}

interface Target {
  name: string;
  defect: Defect | null;
  /** A run on quirk modes: conforming, so every failed test in it is a false alarm. */
  quirk?: QuirkRun;
}

type StageOutcome = Pick<RunOutcome, 'failed' | 'errors' | 'passed' | 'seconds' | 'passedTitles'> & { flaky?: string[] };

interface TargetResult {
  name: string;
  defect: Defect | null;
  quirk?: QuirkRun;
  dir: string;
  stages: { stage: string; outcome: StageOutcome }[];
}

/** Phase 1, for every target: the conformance suites (the defect's own files in the fast mode). */
/**
 * The simulator of one run, started here (the same startSimulator that `npm run sim -- --defect <name>` calls) on a
 * port of its own: saves every run a process start. Playwright's webServer finds it answering and uses it
 * (SIMULATOR_ALREADY_RUNNING=1); its health answer names the defect, so a run can never hit the wrong simulator.
 */
async function withSimulator<T>(dir: string, defect: string | null, run: (env: Record<string, string>) => Promise<T>, quirks: readonly string[] = []): Promise<T> {
  const sim = await startSimulator({ port: 0, defect, quirks: [...quirks] });
  try {
    const health = (await (await fetch(`${new URL(sim.url).origin}/_sim/health`)).json()) as { defect: string | null; quirks?: string[] };
    if (health.defect !== defect) throw new Error(`simulator on ${sim.url} runs defect ${health.defect}, wanted ${defect}`);
    if ((health.quirks ?? []).join(',') !== [...quirks].join(',')) throw new Error(`simulator on ${sim.url} runs quirks ${health.quirks?.join(',')}, wanted ${quirks.join(',')}`);
    // A quirk server gets the profile QA would write for it (its registered URIs, its expectations file).
    const profile = writeProfile(dir, sim.port, undefined, quirks);
    return await run({
      TARGET_PROFILE: profile, SIMULATOR_ALREADY_RUNNING: '1', ...(defect ? { SIM_DEFECT: defect } : {}), ...(quirks.length > 0 ? { SIM_QUIRK: quirks.join(',') } : {}),
      ALLURE_RESULTS_DIR: join(dir, 'allure-results'),
    });
  } finally {
    await sim.close();
  }
}

/** A quirk run's conformance files, on a simulator with its quirks: every failed test is a false alarm. */
async function runQuirkConformance(target: Target & { quirk: QuirkRun }): Promise<TargetResult> {
  const dir = join(OUT, `quirk-${target.name}`);
  rmSync(dir, { recursive: true, force: true });
  const result: TargetResult = { name: target.name, defect: null, quirk: target.quirk, dir, stages: [] };
  const combined = target.quirk.quirks.length > 1;
  const outcome = await withSimulator(join(dir, 'conformance'), null, (env) =>
    runPlaywright({
      project: 'conformance', outDir: join(dir, 'conformance'), env: { ...env, E2E_CLIENT_APP: 'off' }, files: conformanceFilesFor(target.quirk, conformanceFiles),
      ...(target.quirk.grep ? { grep: target.quirk.grep } : {}),
      workers: combined ? Number(args.workers ?? 2) : 1, timeoutMs: 15 * 60_000,
    }), target.quirk.quirks);
  result.stages.push({ stage: 'conformance', outcome });
  return result;
}

async function runConformance(target: Target): Promise<TargetResult> {
  if (target.quirk) return runQuirkConformance(target as Target & { quirk: QuirkRun });
  const dir = join(OUT, target.name);
  rmSync(dir, { recursive: true, force: true });
  const result: TargetResult = { name: target.name, defect: target.defect, dir, stages: [] };
  const files = target.defect && !full ? specFilesFor(target.name, target.defect, conformanceFiles) : conformanceFiles;
  // slow-answers: a few tests show it; a look-alike defect (fast mode): its class's own tests, which must catch it.
  const grep = target.name === 'slow-answers' ? SLOW_DEFECT_GREP : !full && target.defect ? lookAlikeGrep(target.name) : undefined;
  const outcome = await withSimulator(join(dir, 'conformance'), target.defect ? target.name : null, (env) =>
    runPlaywright({
      project: 'conformance', outDir: join(dir, 'conformance'), env: { ...env, E2E_CLIENT_APP: 'off' }, files, ...(grep ? { grep } : {}),
      ...(target.defect && maxFailures > 0 ? { maxFailures } : {}),
      workers: target.defect ? 1 : Number(args.workers ?? 2),
      timeoutMs: (full || !target.defect ? 15 : 5) * 60_000,
    }),
  );
  result.stages.push({ stage: 'conformance', outcome });
  // A defect its own files missed gets every file before it counts as missed: the subset saves time, never a catch.
  if (target.defect && outcome.failed.length === 0 && files.length < conformanceFiles.length && !grep) {
    const all = await withSimulator(join(dir, 'conformance-all'), target.name, (env) =>
      runPlaywright({
        project: 'conformance', outDir: join(dir, 'conformance-all'), env: { ...env, E2E_CLIENT_APP: 'off' }, files: conformanceFiles,
        ...(maxFailures > 0 ? { maxFailures } : {}), workers: 1, timeoutMs: 10 * 60_000,
      }),
    );
    result.stages.push({ stage: 'conformance (all files)', outcome: all });
  }
  return result;
}

/** Phase 2: the browser flows, one run at a time (the client app listens on the registered redirect URIs' fixed origin). */
async function runE2e(result: TargetResult): Promise<void> {
  // A quirk run of the fast mode: the flows that follow a 302 Location and a login_url through the browser.
  const grep = result.quirk?.e2e === 'smoke' ? E2E_SMOKE_GREP : undefined;
  const outcome = await withSimulator(join(result.dir, 'e2e'), result.defect ? result.name : null, (env) =>
    runPlaywright({
      project: 'e2e', outDir: join(result.dir, 'e2e'), env, files: e2eFiles, workers: 1, timeoutMs: 10 * 60_000,
      ...(grep ? { grep } : {}), ...(result.defect && maxFailures > 0 ? { maxFailures } : {}),
    }), result.quirk?.quirks ?? []);
  result.stages.push({ stage: grep ? 'e2e (login-URL flows)' : 'e2e', outcome });
}

/** Runs `task` over `items` with at most `limit` at a time, in order of the list. */
async function pool<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function failedChecks(r: TargetResult): { stage: string; title: string; reason: string; category: string }[] {
  return r.stages.flatMap((s) => s.outcome.failed.map((f) => ({ stage: s.stage, ...f })));
}

function runErrors(r: TargetResult): string[] {
  return r.stages.flatMap((s) => s.outcome.errors.map((e) => `${s.stage}: ${e}`));
}

function progress(r: TargetResult, stage?: string): void {
  const failed = failedChecks(r);
  const seconds = r.stages.reduce((sum, x) => sum + x.outcome.seconds, 0);
  const clean = failed.length === 0 && runErrors(r).length === 0;
  const verdict = r.quirk ? (clean ? 'passed' : failed.length > 0 ? `${failed.length} FALSE ALARM${failed.length === 1 ? '' : 'S'}` : 'RUN ERROR') : r.defect === null ? (clean ? 'passed' : 'FAILED') : failed.length > 0 ? `caught (${failed.length})` : 'not caught';
  const label = r.quirk ? `quirk ${r.name}${r.quirk.quirks.length > 1 ? ` (${r.quirk.quirks.length})` : ''}` : r.name;
  process.stdout.write(`  ${(stage ? `${label} + ${stage}` : label).padEnd(44)} ${verdict.padEnd(12)} ${seconds.toFixed(0).padStart(4)} s\n`);
}

/**
 * `--repeat-each <n>`: flakiness instead of defects. The suites run n times over against the good simulator; a test
 * that passes in some repetitions and fails in others is flaky, one that fails in all is broken. Exit 1 on either.
 */
async function measureFlakiness(repeat: number): Promise<void> {
  const stages: { project: 'conformance' | 'e2e'; files: string[] }[] = [{ project: 'conformance', files: conformanceFiles }];
  if (e2eFiles.length > 0 && chromiumPresent) stages.push({ project: 'e2e', files: e2eFiles });
  let bad = 0;
  for (const stage of stages) {
    const dir = join(OUT, `repeat-${stage.project}`);
    const outcome = await withSimulator(dir, null, (env) =>
      runPlaywright({
        project: stage.project, outDir: dir, env: stage.project === 'conformance' ? { ...env, E2E_CLIENT_APP: 'off' } : env, files: stage.files,
        repeatEach: repeat, workers: stage.project === 'conformance' ? Number(args.workers ?? 2) : 1, timeoutMs: 60 * 60_000,
      }),
    );
    const failures = new Map<string, number>();
    for (const f of outcome.failed) failures.set(f.title, (failures.get(f.title) ?? 0) + 1);
    const total = outcome.passed + outcome.failed.length + outcome.flaky.length;
    process.stdout.write(`${stage.project}: ${total} test runs (${repeat} × each) in ${outcome.seconds.toFixed(0)} s: ${outcome.passed} passed, ${outcome.failed.length} failed, ${outcome.skipped} skipped\n`);
    for (const [title, n] of failures) process.stdout.write(`  ${n === repeat ? 'BROKEN' : 'FLAKY '} ${n}/${repeat} failed: ${title}\n`);
    for (const e of outcome.errors) process.stdout.write(`  run error: ${e}\n`);
    bad += failures.size + outcome.errors.length + (total === 0 ? 1 : 0);
  }
  process.stdout.write(`${bad === 0 ? 'zero flaky tests' : `${bad} flaky or failing tests`} over --repeat-each=${repeat}\n`);
  process.exit(bad === 0 ? 0 : 1);
}

async function main(): Promise<void> {
  pruneOldRuns();
  if (args['repeat-each'] !== undefined) return measureFlakiness(Number(args['repeat-each']));
  mkdirSync(OUT, { recursive: true });
  if (conformanceFiles.length === 0) {
    process.stdout.write('verify:harness: no conformance suites (conformance/**/*.spec.ts) to check the harness with\n');
    process.stdout.write(`${verdictLine(0, names.length, 0, 0)}\n`);
    process.exit(1);
  }
  const quirkPlan = quirkRuns(quirkNames, full);
  process.stdout.write(
    `verify:harness: ${full ? 'full' : 'fast'} mode, ${names.length} defects + the good simulator + ${quirkNames.length} quirks in ${quirkPlan.length} runs, ${jobs} at a time; ` +
      `${conformanceFiles.length} conformance files, e2e ${e2eFiles.length > 0 && chromiumPresent ? 'yes' : 'no'}, k6 ${k6Available() ? 'yes' : 'no'}\n`,
  );
  const started = performance.now();
  const targets: Target[] = [
    ...(args['no-good'] ? [] : [{ name: 'good', defect: null }]),
    ...quirkPlan.map((quirk) => ({ name: quirk.name, defect: null, quirk })),
    ...names.map((name) => ({ name, defect: DEFECTS[name]! })),
  ];
  // Slowest first (the full-suite runs: good, quirks with every file, slow-answers), so they do not end up alone at the tail.
  const slow = (t: Target): number => Number(t.defect === null && (!t.quirk || t.quirk.conformance === 'all')) * 2 + Number(t.name === 'slow-answers' || t.quirk !== undefined);
  const order = [...targets].sort((a, b) => slow(b) - slow(a));
  // The drift proof (learn, then a changed status, code, latency and Retry-After caught) needs none of the results
  // below and runs simulators of its own: started now, it fills the tail where the browser runs go one at a time,
  // instead of adding a minute of one-at-a-time runs after them. Its lines are printed at the end, as before.
  const driftRun = args['no-drift'] || args.only ? null : driftProof(join(OUT, 'drift'));
  const results = await pool(order, jobs, async (t) => {
    const r = await runConformance(t);
    progress(r);
    return r;
  });

  // The browser flows: in --full for the good simulator and every defect a browser can see; in the fast mode only as
  // a second line for such defects the API suites missed (and then for the good simulator too, to rule out false alarms).
  if (e2eFiles.length > 0 && chromiumPresent) {
    const needsE2e = results.filter((r) => r.defect !== null && E2E_AREAS.includes(r.defect.area) && r.name !== 'slow-answers' && (full || failedChecks(r).length === 0));
    const good = results.find((r) => r.defect === null && !r.quirk);
    // Quirk runs a browser can see: the login-URL flows in the fast mode, every flow in --full.
    const quirky = results.filter((r) => r.quirk && r.quirk.e2e !== 'none');
    for (const r of [...(good && needsE2e.length > 0 ? [good] : []), ...quirky, ...needsE2e]) {
      await runE2e(r);
      progress(r, 'e2e');
    }
  }
  // The k6 rate-limit script, when k6 and the script are there: in --full for the good simulator and every rate-limit
  // defect; in the fast mode only as a second line for rate-limit defects the suites missed (and then the good one).
  if (k6Available()) {
    const needsK6 = results.filter((r) => r.defect?.area === 'rate-limit' && (full || failedChecks(r).length === 0));
    const good = results.find((r) => r.defect === null && !r.quirk);
    const quirky = results.filter((r) => r.quirk?.k6);
    for (const r of [...(good && needsK6.length > 0 ? [good] : []), ...quirky, ...needsK6]) {
      r.stages.push({ stage: 'k6 ratelimit', outcome: await runK6RateLimit(join(r.dir, 'k6'), r.defect ? r.name : null, r.quirk?.quirks ?? []) });
      progress(r, 'k6 ratelimit');
    }
  }

  const good = results.find((r) => r.defect === null && !r.quirk);
  const defects = results.filter((r) => r.defect !== null).sort((a, b) => a.name.localeCompare(b.name));
  const quirkResults = results.filter((r) => r.quirk);
  const caught = defects.filter((r) => failedChecks(r).length > 0);

  process.stdout.write('\ndefect → checks that caught it\n');
  for (const r of defects) {
    const failed = failedChecks(r);
    process.stdout.write(`${failed.length > 0 ? '✓' : '✗'} ${r.name}  (${r.defect!.swaps}: ${r.defect!.description})\n`);
    if (failed.length === 0) {
      const errors = runErrors(r);
      process.stdout.write(`    NOT CAUGHT: no check failed${errors.length > 0 ? `; run errors: ${errors.join(' | ')}` : ''}\n`);
    }
    for (const f of failed.slice(0, 4)) process.stdout.write(`    ${f.stage} › ${f.title}\n      ${f.category === 'assertion' ? '' : `[${f.category}] `}${f.reason}\n`);
    if (failed.length > 4) process.stdout.write(`    … and ${failed.length - 4} more (${relative(PROJECT_ROOT, join(OUT, 'summary.json'))})\n`);
  }

  let goodOk = true;
  if (good) {
    const failed = failedChecks(good);
    const errors = runErrors(good);
    const passed = good.stages.reduce((s, x) => s + x.outcome.passed, 0);
    const flaky = good.stages.flatMap((s) => s.outcome.flaky ?? []);
    goodOk = failed.length === 0 && errors.length === 0 && flaky.length === 0 && passed > 0;
    process.stdout.write(`\ngood simulator: ${goodOk ? 'passed' : 'FAILED'} (${passed} passed, ${failed.length} failed, ${flaky.length} flaky, stages: ${good.stages.map((s) => s.stage).join(', ')})\n`);
    for (const f of failed) process.stdout.write(`    false alarm: ${f.stage} › ${f.title}\n      ${f.reason}\n`);
    for (const e of errors) process.stdout.write(`    run error: ${e}\n`);
  } else {
    process.stdout.write('\ngood simulator: not run (--no-good)\n');
    goodOk = false;
  }

  // Quirk runs: conforming servers, so every failed test is a false alarm; a run that could not run, or passed
  // nothing, proves nothing and fails the self-check too.
  process.stdout.write('\nquirk run → false alarms (a conforming variation the suites must pass)\n');
  let falseAlarms = 0;
  let quirksOk = true;
  for (const r of quirkResults) {
    const failed = failedChecks(r);
    const errors = runErrors(r);
    const passed = r.stages.reduce((sum, x) => sum + x.outcome.passed, 0);
    falseAlarms += failed.length;
    if (failed.length > 0 || errors.length > 0 || passed === 0) quirksOk = false;
    const files = r.quirk!.conformance === 'all' ? 'every conformance file' : `conformance ${r.quirk!.conformance.source}${r.quirk!.grep ? ` --grep ${r.quirk!.grep}` : ''}`;
    process.stdout.write(`${failed.length === 0 && errors.length === 0 && passed > 0 ? '✓' : '✗'} ${r.name}: ${failed.length} false alarm${failed.length === 1 ? '' : 's'}, ${passed} passed (${files}; stages: ${r.stages.map((x) => x.stage).join(', ')})\n`);
    if (r.quirk!.quirks.length > 1) process.stdout.write(`    quirks: ${r.quirk!.quirks.join(', ')}\n`);
    for (const f of failed) process.stdout.write(`    false alarm: ${f.stage} › ${f.title}\n      ${f.reason}\n`);
    for (const e of errors) process.stdout.write(`    run error: ${e}\n`);
    if (passed === 0 && errors.length === 0) process.stdout.write('    run error: no test passed, so the run proves nothing\n');
  }
  if (quirkResults.length === 0) process.stdout.write('  (none selected)\n');
  else {
    // What the quirks cost: the conformance runs share the pool with the defects, the browser runs come after it.
    const stageSeconds = (test: (stage: string) => boolean) => Math.round(quirkResults.reduce((sum, r) => sum + r.stages.filter((x) => test(x.stage)).reduce((a, x) => a + x.outcome.seconds, 0), 0));
    process.stdout.write(`  quirk runs: ${stageSeconds((x) => x.startsWith('conformance'))} s of conformance run time (${jobs} runs at a time), ${stageSeconds((x) => x.startsWith('e2e'))} s of browser runs, ${stageSeconds((x) => x.startsWith('k6'))} s of k6\n`);
  }
  const quirkCount = quirksCovered(quirkResults.map((r) => r.quirk!));
  const unproven = quirkResults.filter((r) => runErrors(r).length > 0 || r.stages.every((x) => x.outcome.passed === 0)).length;
  if (unproven > 0) process.stdout.write(`  ${unproven} quirk run${unproven === 1 ? '' : 's'} could not run or passed nothing (see above): no verdict on those quirks, so this self-check fails\n`);

  const summary = {
    mode: full ? 'full' : 'fast',
    seconds: Math.round((performance.now() - started) / 1000),
    good: good ? { passed: goodOk, failed: failedChecks(good), errors: runErrors(good) } : null,
    defects: Object.fromEntries(defects.map((r) => [r.name, { description: r.defect!.description, swaps: r.defect!.swaps, caughtBy: failedChecks(r), errors: runErrors(r) }])),
    quirks: Object.fromEntries(quirkResults.map((r) => [r.name, { quirks: r.quirk!.quirks, stages: r.stages.map((x) => x.stage), falseAlarms: failedChecks(r), errors: runErrors(r) }])),
  };
  writeFileSync(join(OUT, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(join(OUT_ROOT, 'latest-summary.json'), `${JSON.stringify({ ...summary, folder: relative(PROJECT_ROOT, OUT) }, null, 2)}\n`);
  // The drift comparison: learn, then a changed status, a changed code and +300 ms caught; an unchanged target quiet.
  // The redirect_uri look-alike classes: each refused by the good simulator and caught by its own defect.
  const goodTitles = good ? good.stages.flatMap((x) => x.outcome.passedTitles ?? []) : [];
  const lookAlikes = lookAlikeProof(
    loadProfile(DEFAULT_PROFILE_PATH).oauth.multiRedirect.redirectUris,
    defects.map((r) => ({ name: r.name, failedTitles: failedChecks(r).map((f) => f.title) })),
    good ? { passed: goodOk, passedTitles: goodTitles } : null,
  );
  process.stdout.write(`\n${[lookAlikes.line, ...lookAlikes.details].join('\n')}\n`);
  const drift = driftRun ? await driftRun : null;
  if (drift) process.stdout.write(`\n${drift.lines.join('\n')}\n`);
  process.stdout.write(`\nwall time ${summary.seconds} s; details in ${relative(PROJECT_ROOT, join(OUT, 'summary.json'))}\n`);
  process.stdout.write(`${verdictLine(caught.length, defects.length, falseAlarms, quirkCount)}\n`);
  process.exit(caught.length === defects.length && goodOk && quirksOk && lookAlikes.ok && (drift?.ok ?? true) ? 0 : 1);
}

void main();
