import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { OptionsError, splitList } from '../../lib/command-line.ts';
import { parseStageList, STAGE_NAMES, type StageName } from '../../lib/stage-names.ts';
import { DRIFT_ARG_OPTIONS, DRIFT_USAGE, driftFlags, takeCompare, type DriftFlags } from './drift-options.ts';
import { SIM_CREDENTIAL_ARG_OPTIONS, SIM_CREDENTIAL_USAGE, simCredentialArgs } from './sim-credential-options.ts';

/**
 * The main job's command line: `npm start -- [--target <profile.json>] [--only conformance,e2e,load]
 * [--shard i/n] [--no-report] [--load-scripts smoke,...] [--require conformance,e2e,load]`. TARGET_PROFILE selects the target as --target does
 * (the flag wins). Every mistake is named with the flag and the accepted values.
 */

/** What parseOptions throws on a mistake (lib/command-line.ts); its callers catch it from here. */
export { OptionsError };

export interface MainJobOptions {
  /** The profile file, absolute; undefined means the embedded simulator's. */
  target: string | undefined;
  stages: StageName[];
  /** Playwright's `--shard` for the conformance stage (CI's matrix), e.g. "2/3". */
  shard: string | undefined;
  /** Gather results but build no report (CI's stage jobs; the report job builds one from all of them). */
  report: boolean;
  /** Load scripts to run, in order; undefined means the load stage's default set. */
  loadScripts: string[] | undefined;
  /** Passed on to the load runner: the confirmation it needs before loading a target that is not loopback. */
  iOwnThisTarget: boolean;
  /** Stages the quality gate requires to have run (`--require`): one that could not run fails the gate. */
  require: StageName[];
  help: boolean;
  /** Drift: learn, baseline, compare, strictness, and the simulator variant to run against (scripts/main-job/drift-options.ts). */
  drift: DriftFlags;
  /** Simulator flags for credentials that live as real ones do (scripts/main-job/sim-credential-options.ts). */
  simCredentialArgs: string[];
}

export const USAGE = `usage: npm start -- [options]

  --target <profile.json>   the target profile (default: TARGET_PROFILE, else the embedded simulator)
  --only <stages>           comma-separated subset of ${STAGE_NAMES.join(',')} (default: all)
  --shard <i/n>             run the i-th of n parts of the conformance suite (CI matrix)
  --load-scripts <names>    comma-separated k6 scripts for the load stage (default: the stage's main-job set)
  --i-own-this-target       let the load stage load a non-loopback target (its profile must allow it too)
  --no-report               gather the stages' Allure results but do not build the report
  --require <stages>        the quality gate fails when one of these stages could not run (e.g. no k6 for load)
${DRIFT_USAGE}
${SIM_CREDENTIAL_USAGE}
  -h, --help                this text`;

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): MainJobOptions {
  let parsed;
  // `--compare <A> <B>` takes two values, which parseArgs cannot: taken out first.
  const { compare, rest } = takeCompare(argv, cwd);
  try {
    parsed = parseArgs({
      args: rest,
      options: {
        target: { type: 'string' },
        only: { type: 'string' },
        shard: { type: 'string' },
        'load-scripts': { type: 'string' },
        'no-report': { type: 'boolean', default: false },
        'i-own-this-target': { type: 'boolean', default: false },
        require: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        ...DRIFT_ARG_OPTIONS,
        ...SIM_CREDENTIAL_ARG_OPTIONS,
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new OptionsError(`${(error as Error).message}\n\n${USAGE}`);
  }
  const { values } = parsed;

  const targetArg = values.target ?? (env.TARGET_PROFILE || undefined);
  const target = targetArg ? resolve(cwd, targetArg) : undefined;
  if (target && !existsSync(target)) {
    const from = values.target ? '--target' : 'TARGET_PROFILE';
    throw new OptionsError(`${from}: profile file ${target} does not exist (see targets/staging.example.jsonc)`);
  }

  const stages: StageName[] = values.only !== undefined ? parseStageList(values.only, '--only') : [...STAGE_NAMES];

  if (values.shard !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(values.shard);
    if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) {
      throw new OptionsError(`--shard: expected i/n with 1 <= i <= n (e.g. 2/3), got "${values.shard}"`);
    }
  }

  return {
    target,
    stages,
    shard: values.shard,
    report: !values['no-report'],
    loadScripts: values['load-scripts'] !== undefined ? splitList(values['load-scripts'], '--load-scripts') : undefined,
    iOwnThisTarget: values['i-own-this-target'] ?? false,
    require: values.require !== undefined ? parseStageList(values.require, '--require') : [],
    help: values.help ?? false,
    drift: driftFlags(values, compare, cwd),
    simCredentialArgs: simCredentialArgs(values),
  };
}
