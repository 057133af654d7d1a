import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { OptionsError } from '../../lib/command-line.ts';

/**
 * The main job's drift flags: --learn, --force, --baseline, --compare, --strict-drift, and --sim-defect /
 * --sim-latency, which start the embedded simulator broken in one way or slower (to see the comparison catch it).
 */

export interface DriftFlags {
  learn: boolean;
  force: boolean;
  /** An absolute record path, 'previous', or undefined (the previous run on the same target, when there is one). */
  baseline: string | undefined;
  /** Two absolute profile paths: run A, then B, and report what differs. */
  compare: [string, string] | undefined;
  strict: boolean;
  simDefect: string | undefined;
  simLatencyMs: number | undefined;
}

export const DRIFT_USAGE = `  --learn                   also write targets/expectations/<profile name>.learned.json from what the target answered
  --force                   with --learn: replace a learned file even if it was edited by hand
  --baseline <file|previous> compare with that run record (default: the previous run on the same target, if any)
  --compare <A.json> <B.json> run the stages against profile A, then B (same seed), and report what differs
  --strict-drift            every change fails (default: only broken pinned expectations and latency regressions)
  --sim-defect <name>       start the embedded simulator with a defect mode (npm run sim -- --list-defects)
  --sim-latency <ms>        start the embedded simulator adding this delay to every API answer`;

export const DRIFT_ARG_OPTIONS = {
  learn: { type: 'boolean', default: false },
  force: { type: 'boolean', default: false },
  baseline: { type: 'string' },
  'strict-drift': { type: 'boolean', default: false },
  'sim-defect': { type: 'string' },
  'sim-latency': { type: 'string' },
} as const;

export function takeCompare(argv: string[], cwd: string): { compare: [string, string] | undefined; rest: string[] } {
  const at = argv.indexOf('--compare');
  if (at < 0) return { compare: undefined, rest: argv };
  const [a, b] = [argv[at + 1], argv[at + 2]];
  if (!a || !b || a.startsWith('--') || b.startsWith('--')) throw new OptionsError('--compare: expected two profiles, e.g. --compare targets/staging.jsonc targets/production.jsonc');
  const paths = [resolve(cwd, a), resolve(cwd, b)] as [string, string];
  for (const p of paths) if (!existsSync(p)) throw new OptionsError(`--compare: profile file ${p} does not exist`);
  return { compare: paths, rest: [...argv.slice(0, at), ...argv.slice(at + 3)] };
}

export function driftFlags(values: Record<string, unknown>, compare: [string, string] | undefined, cwd: string): DriftFlags {
  let baseline = values.baseline as string | undefined;
  if (baseline !== undefined && baseline !== 'previous') {
    baseline = resolve(cwd, baseline);
    if (!existsSync(baseline)) throw new OptionsError(`--baseline: record ${baseline} does not exist (a run record from reports/history/, or "previous")`);
  }
  if (compare && baseline) throw new OptionsError('--compare and --baseline do not go together: --compare compares target B with target A of the same run');
  if (compare && values.target !== undefined) throw new OptionsError('--compare names both targets: leave out --target');
  const simDefect = values['sim-defect'] as string | undefined;
  if (simDefect !== undefined && !/^[a-z0-9-]+$/.test(simDefect)) throw new OptionsError(`--sim-defect: "${simDefect}" is not a defect name (npm run sim -- --list-defects)`);
  const rawLatency = values['sim-latency'] as string | undefined;
  let simLatencyMs: number | undefined;
  if (rawLatency !== undefined) {
    simLatencyMs = Number(rawLatency);
    if (!Number.isFinite(simLatencyMs) || simLatencyMs < 0) throw new OptionsError(`--sim-latency: expected milliseconds (a number >= 0), got "${rawLatency}"`);
  }
  if (values.force && !values.learn) throw new OptionsError('--force only goes with --learn (it lets --learn replace a hand-edited learned file)');
  return {
    learn: values.learn === true,
    force: values.force === true,
    baseline,
    compare,
    strict: values['strict-drift'] === true,
    simDefect,
    simLatencyMs,
  };
}
