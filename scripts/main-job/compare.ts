import { spawn } from 'node:child_process';
import { join, relative } from 'node:path';
import { describeScope, scopeOf } from '../../lib/drift/baseline.ts';
import { buildRecord, recordPathFor, writeRecord } from '../../lib/drift/record.ts';
import { PROJECT_ROOT, loadProfile } from '../../lib/profile.ts';
import { REPORT_PATHS } from '../../reports/report-config.ts';
import { publicBaseUrl } from './target-url.ts';

/**
 * `npm start -- --compare <A> <B>`, first half: the main job against profile A (its own process, no report, the
 * same faker seed as B's run, so both targets get the same requests), then A's record, which B's run is compared
 * with as its baseline.
 */

/** The command line without --compare and its two profiles, and without the flags A's run must not get. */
export function argvForTargetA(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--compare') { i += 2; continue; }
    if (['--learn', '--force', '--strict-drift', '--no-report'].includes(arg)) continue;
    out.push(arg);
  }
  return out;
}

export async function runTargetA(profileA: string, argv: string[], seed: string, commit: string): Promise<{ recordPath: string; exitCode: number }> {
  process.stdout.write(`\n━━ compare: target A (${relative(PROJECT_ROOT, profileA)}), then target B with the same faker seed ━━\n`);
  const args = ['scripts/start.ts', '--target', profileA, '--no-report', ...argvForTargetA(argv)];
  const exitCode = await new Promise<number>((done) => {
    const child = spawn(join(PROJECT_ROOT, 'node_modules/.bin/tsx'), args, { cwd: PROJECT_ROOT, stdio: 'inherit', env: { ...process.env, FAKER_SEED: seed } });
    child.once('error', () => done(127));
    child.once('close', (code) => done(code ?? 1));
  });
  const profile = loadProfile(profileA);
  const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const record = buildRecord(REPORT_PATHS.results, {
    id: `${date} (target A)`,
    date,
    commit,
    target: { name: profile.name, baseUrl: publicBaseUrl(profile.baseUrl) },
    stages: [],
    secrets: profile.secrets,
  });
  const recordPath = recordPathFor(join(PROJECT_ROOT, 'reports/out/compare'), profile.name);
  writeRecord(recordPath, record);
  process.stdout.write(`\ncompare: target A's run ended with exit code ${exitCode}; its record: ${relative(PROJECT_ROOT, recordPath)} (${describeScope(scopeOf(record))})\n`);
  return { recordPath, exitCode };
}
