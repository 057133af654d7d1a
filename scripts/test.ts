import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { PROJECT_ROOT } from '../lib/profile.ts';
import { selectSteps, testPhases, type Step } from './test-steps.ts';

/**
 * `npm test`: the project's own tests (scripts/test-steps.ts lists them). Steps of a phase run side by side,
 * each output line prefixed with its step's name; each step's wall time is printed; the first phase with a
 * failed step stops the run and the command exits non-zero. `.ci/run` calls exactly this.
 */

interface Outcome {
  name: string;
  outcome: string;
  seconds: number;
  ok: boolean;
}

function runStep(step: Step, prefix: boolean): Promise<Outcome> {
  const skip = step.skipUnless?.() ?? null;
  if (skip) {
    process.stdout.write(`\n── ${step.name}: skipped: ${skip}\n`);
    return Promise.resolve({ name: step.name, outcome: `SKIPPED (${skip})`, seconds: 0, ok: true });
  }
  process.stdout.write(`\n── ${step.name}: ${step.command.join(' ')}\n`);
  const started = Date.now();
  return new Promise((done) => {
    // Alone, a step writes straight to the terminal (colours, progress); beside others, line by line with its name.
    const child = spawn(step.command[0]!, step.command.slice(1), { cwd: PROJECT_ROOT, env: process.env, stdio: prefix ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    if (prefix) {
      for (const [stream, out] of [[child.stdout!, process.stdout], [child.stderr!, process.stderr]] as const) {
        let rest = '';
        stream.on('data', (chunk: Buffer) => {
          const lines = (rest + chunk.toString()).split('\n');
          rest = lines.pop() ?? '';
          for (const line of lines) out.write(`[${step.name}] ${line}\n`);
        });
        stream.on('end', () => rest && out.write(`[${step.name}] ${rest}\n`));
      }
    }
    const finish = (code: number | string): void => {
      const seconds = (Date.now() - started) / 1000;
      const ok = code === 0;
      process.stdout.write(`── ${step.name}: ${ok ? 'passed' : `FAILED (exit ${code})`} in ${seconds.toFixed(1)} s\n`);
      done({ name: step.name, outcome: ok ? 'passed' : `FAILED (exit ${code})`, seconds, ok });
    };
    child.once('error', (error) => finish(`cannot start: ${error.message}`));
    child.once('close', (code, signal) => finish(code ?? signal ?? 'unknown'));
  });
}

// `npm test -- --only unit` runs the steps whose name contains the word; the default is every step.
const onlyIndex = process.argv.indexOf('--only');
const only = onlyIndex >= 0 ? process.argv[onlyIndex + 1] : undefined;
// `--full` (the nightly): the complete version of each step that has a fast one (scripts/test-steps.ts).
const full = process.argv.includes('--full');
const phases = selectSteps(testPhases({ full }), only);
if (phases.length === 0) {
  process.stderr.write(`npm test: no step matches --only ${only}; steps: ${testPhases().flatMap((p) => p.steps.map((s) => s.name)).join(', ')}\n`);
  process.exit(2);
}

const started = Date.now();
const results: Outcome[] = [];
const phaseTimes: string[] = [];
let failed = false;
for (const [i, phase] of phases.entries()) {
  const phaseStarted = Date.now();
  const outcomes = await Promise.all(phase.steps.map((step) => runStep(step, phase.steps.length > 1)));
  results.push(...outcomes);
  phaseTimes.push(`phase ${i + 1} (${phase.steps.map((s) => s.name).join(' + ')}): ${((Date.now() - phaseStarted) / 1000).toFixed(1)} s`);
  if (outcomes.some((o) => !o.ok)) {
    failed = true;
    break;
  }
}

process.stdout.write('\nnpm test summary\n');
for (const r of results) process.stdout.write(`  ${r.name.padEnd(40)} ${r.outcome.padEnd(40)} ${r.seconds.toFixed(1)} s\n`);
for (const line of phaseTimes) process.stdout.write(`  ${line}\n`);
process.stdout.write(`  total ${((Date.now() - started) / 1000).toFixed(1)} s wall; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (${cpus().length} cores: a load above that means a busy machine)\n`);
process.exit(failed ? 1 : 0);
