import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { findChromium } from '../../lib/chromium.ts';
import { PROJECT_ROOT, isLoopback } from '../../lib/profile.ts';
import { findK6, k6MissingReason } from '../../load/run/k6-binary.ts';
import type { StageName } from '../../lib/stage-names.ts';

/**
 * What each stage of the main job runs, and what stops it from running. A stage whose code is not in the
 * checkout yet, or whose tool is missing, is not silently dropped: it becomes a result of its own (skipped
 * with the reason, or broken when the stage cannot do without it) so the summary and the report show the gap.
 */

export interface StageContext {
  shard: string | undefined;
  loadScripts: string[] | undefined;
  /** The target as the load stage's safety rule needs it. */
  target: { baseUrl: string; allowLoad: boolean; iOwnThisTarget: boolean };
  /** The profile's secret values: a stage's own output quoted into the report passes through the redactor. */
  secrets: readonly string[];
  env: NodeJS.ProcessEnv;
  /** Stages named with --require: one of them that cannot run is recorded as broken, not skipped. */
  required?: readonly StageName[];
}

export interface StageCommand {
  argv: string[];
}

export type StagePlan =
  | { kind: 'run'; commands: StageCommand[]; environment: Record<string, string> }
  | { kind: 'blocked'; status: 'skipped' | 'broken'; reason: string; environment: Record<string, string> };

/**
 * The load runs of `npm start` when --load-scripts is not given: smoke, every endpoint once through k6 with its
 * checks as thresholds. Latency SLOs (throughput, ratelimit) are left to runs on a machine of their own (CI's
 * nightly load job, or --load-scripts): on a shared two-core box they measure the box, and a gate must not flake.
 */
export const MAIN_JOB_LOAD_RUNS: { script: string; args: string[] }[] = [{ script: 'smoke', args: [] }];

function hasSpecs(dir: string): boolean {
  const full = join(PROJECT_ROOT, dir);
  if (!existsSync(full)) return false;
  const walk = (d: string): boolean =>
    readdirSync(d).some((entry) => {
      const p = join(d, entry);
      return statSync(p).isDirectory() ? entry !== 'node_modules' && walk(p) : entry.endsWith('.spec.ts');
    });
  return walk(full);
}

function packageScripts(): Record<string, string> {
  const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  return pkg.scripts ?? {};
}

export function playwrightVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'node_modules/@playwright/test/package.json'), 'utf8')) as { version: string };
    return pkg.version;
  } catch {
    return 'not installed';
  }
}

/** The version k6 reports, for the report's environment. */
function k6Version(path: string): string {
  const run = spawnSync(path, ['version'], { encoding: 'utf8', timeout: 10_000 });
  return run.status === 0 ? (/v\d+\.\d+\.\d+\S*/.exec(run.stdout)?.[0] ?? run.stdout.trim()).replace(/,$/, '') : 'unknown';
}

/** For the report's environment. */
function chromiumVersion(path: string): string {
  const run = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return run.status === 0 ? run.stdout.trim() : 'unknown';
}

const notInCheckout = (what: string): StagePlan => ({
  kind: 'blocked',
  status: 'skipped',
  reason: `${what} is not in this checkout yet, so the stage did not run`,
  environment: {},
});

export const STAGES: Record<StageName, (ctx: StageContext) => StagePlan> = {
  conformance(ctx) {
    if (!hasSpecs('conformance')) return notInCheckout('the conformance suite (conformance/**/*.spec.ts)');
    const argv = ['npx', 'playwright', 'test', '--project=conformance'];
    if (ctx.shard) argv.push(`--shard=${ctx.shard}`);
    return { kind: 'run', commands: [{ argv }], environment: { 'Playwright': playwrightVersion() } };
  },

  e2e(ctx) {
    if (!hasSpecs('e2e')) return notInCheckout('the browser suite (e2e/**/*.spec.ts)');
    // Without the browser no flow can run: one broken result for the stage with the install line, instead of
    // every flow failing with the same hint.
    const chromium = findChromium(ctx.env);
    if (!chromium.found) return { kind: 'blocked', status: 'broken', reason: chromium.message, environment: { Chromium: 'not installed' } };
    return {
      kind: 'run',
      commands: [{ argv: ['npx', 'playwright', 'test', '--project=e2e'] }],
      environment: { 'Playwright': playwrightVersion(), 'Chromium': chromiumVersion(chromium.path) },
    };
  },

  load(ctx) {
    if (!packageScripts().load) return notInCheckout('the load stage (`npm run load`)');
    // Load on a server that is not loopback needs the profile's consent and the command's: without both the stage is
    // skipped, saying which is missing (the load runner would refuse anyway).
    const remote = !isLoopback(ctx.target.baseUrl);
    if (remote && !ctx.target.allowLoad) {
      return { kind: 'blocked', status: 'skipped', reason: `the profile does not allow load on ${ctx.target.baseUrl} (load.allowNonLoopback is not true)`, environment: {} };
    }
    if (remote && !ctx.target.iOwnThisTarget) {
      return { kind: 'blocked', status: 'skipped', reason: `load on ${ctx.target.baseUrl} needs npm start -- --i-own-this-target to confirm you own it`, environment: {} };
    }
    // Without k6 the stage is skipped, with the load runner's own message (what was tried, how to install); k6 is
    // not part of the basic install, so only a run that requires the stage (--require load) fails for it.
    const missing = k6MissingReason(ctx.env);
    if (missing) return { kind: 'blocked', status: 'skipped', reason: missing, environment: { k6: 'not installed' } };
    const runs = ctx.loadScripts?.map((script) => ({ script, args: [] as string[] })) ?? MAIN_JOB_LOAD_RUNS;
    return {
      kind: 'run',
      commands: runs.map((r) => ({ argv: ['npm', 'run', '--silent', 'load', '--', r.script, ...r.args, ...(remote ? ['--i-own-this-target'] : [])] })),
      environment: { k6: k6Version(findK6(ctx.env)) },
    };
  },
};
