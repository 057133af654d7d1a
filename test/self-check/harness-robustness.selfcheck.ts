import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { PROJECT_ROOT } from '../../lib/profile.ts';
import { categoryOf, CATEGORY_NAMES } from '../../reports/categories.ts';
import { runPlaywright } from '../../scripts/verify-harness/playwright-run.ts';
import { freePort } from '../../lib/listening.ts';
import { simulatorProfileDocument, writeProfile, type ProfileDocument } from '../../scripts/verify-harness/target-profiles.ts';

/**
 * The harness against a bad target or a bad profile: an unreachable target fails the run within 10 s with a
 * message naming its URL; an invalid profile fails with the field named; a target that answers too slowly hits
 * the per-request timeout, lands in the report's Timeout category, and the run ends instead of hanging.
 */

const OUT = join(PROJECT_ROOT, 'reports/out/harness-robustness');

interface Exit {
  code: number | null;
  output: string;
  seconds: number;
}

/** Runs a command of the harness as a user would, with a hard limit so a hang fails the test instead of stalling it. */
function run(command: string[], env: Record<string, string>, limitMs: number): Promise<Exit> {
  const started = performance.now();
  const child = spawn(command[0]!, command.slice(1), { cwd: PROJECT_ROOT, env: { ...process.env, CI: '1', FORCE_COLOR: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const timer = setTimeout(() => {
    output += `\n[killed after ${limitMs} ms]`;
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
  }, limitMs);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output, seconds: (performance.now() - started) / 1000 });
    }),
  );
}

function writeDoc(name: string, doc: unknown): string {
  mkdirSync(OUT, { recursive: true });
  const path = join(OUT, `${name}.json`);
  writeFileSync(path, JSON.stringify(doc, null, 2));
  return path;
}

describe('harness robustness', () => {
  test('an unreachable target fails the conformance run within 10 s, naming the URL', async () => {
    rmSync(OUT, { recursive: true, force: true });
    const port = await freePort(); // nothing listens there
    const url = `http://127.0.0.1:${port}/api`;
    // kind "remote": nothing starts a server for it, as for a staging server that is down.
    const profile = writeDoc('unreachable', { ...simulatorProfileDocument(), kind: 'remote', name: 'a server that is down', baseUrl: url });
    const playwright = join(PROJECT_ROOT, 'node_modules/.bin/playwright');
    // Baseline: Playwright starting and loading the config and the suites, with no target involved (--list).
    const startup = await run([playwright, 'test', '--project=conformance', '--list', '--reporter=line'], { TARGET_PROFILE: profile }, 60_000);
    const exit = await run([playwright, 'test', '--project=conformance', `--output=${join(OUT, 'unreachable-results')}`, '--reporter=line'], { TARGET_PROFILE: profile }, 60_000);
    const reaction = exit.seconds - startup.seconds;
    process.stdout.write(`robustness: unreachable target: exit ${exit.code} after ${exit.seconds.toFixed(1)} s (Playwright's own start-up: ${startup.seconds.toFixed(1)} s; the harness's reaction: ${reaction.toFixed(1)} s)\n`);
    assert.equal(startup.code, 0, startup.output);
    assert.notEqual(exit.code, 0, exit.output);
    assert.ok(exit.output.includes(url), `the output names ${url}:\n${exit.output.slice(-2000)}`);
    assert.match(exit.output, /unreachable/i);
    // Within 10 s of the run starting; on a machine so busy that Playwright alone needs longer to start, within 10 s
    // beyond that start-up (the figures are printed above).
    assert.ok(exit.seconds < 10 || reaction < 10, `failed after ${exit.seconds.toFixed(1)} s (start-up ${startup.seconds.toFixed(1)} s), wanted under 10 s`);
  });

  const invalid: { name: string; field: string; change: (doc: ProfileDocument) => void }[] = [
    { name: 'missing-project', field: 'projectId', change: (d) => void delete d.projectId },
    { name: 'wrong-type', field: 'timeouts.requestMs', change: (d) => void (d.timeouts = { requestMs: 'fast' as unknown as number }) },
    { name: 'misspelt-field', field: 'baseURL', change: (d) => void (d.baseURL = d.baseUrl) },
    { name: 'bad-base-url', field: 'baseUrl', change: (d) => void (d.baseUrl = 'http://127.0.0.1:8787/v2') },
    { name: 'unset-secret', field: 'oauth.multiRedirect.clientSecret', change: (d) => void ((d.oauth as Record<string, Record<string, unknown>>).multiRedirect!.clientSecret = { env: 'HARNESS_TEST_SURELY_UNSET' }) },
  ];
  for (const c of invalid) {
    test(`an invalid profile (${c.name}) stops the conformance run and the load run, naming ${c.field}`, async () => {
      const doc = simulatorProfileDocument();
      c.change(doc);
      const profile = writeDoc(c.name, doc);
      const commands = [
        ['npx', 'playwright', 'test', '--project=conformance', `--output=${join(OUT, `${c.name}-results`)}`, '--reporter=line'],
        ['npx', 'tsx', 'scripts/load.ts', 'smoke', '--target', profile, '--no-report', '--no-dashboard'],
      ];
      // K6_BIN: any executable will do; the profile is read (and refused) before k6 would start.
      const exits = await Promise.all(commands.map((command) => run(command, { TARGET_PROFILE: profile, K6_BIN: '/bin/true' }, 60_000)));
      commands.forEach((command, i) => {
        const exit = exits[i]!;
        assert.notEqual(exit.code, 0, `${command.slice(0, 3).join(' ')} accepted the profile:\n${exit.output.slice(-1500)}`);
        assert.ok(exit.output.includes(c.field), `${command.slice(0, 3).join(' ')} names ${c.field}:\n${exit.output.slice(-1500)}`);
        assert.ok(exit.output.includes(profile), `${command.slice(0, 3).join(' ')} names the profile file`);
      });
    });
  }

  test('a target slower than the per-request timeout: each test fails in the Timeout category, and the run ends', async () => {
    const dir = join(OUT, 'slow');
    // 1.5 s per request in the profile; the simulator's slow-answers defect waits 4 s before every answer.
    const profile = writeProfile(dir, await freePort(), (d) => void (d.timeouts = { requestMs: 1500, connectMs: 1000 }));
    const outcome = await runPlaywright({
      project: 'conformance', outDir: dir, workers: 2, timeoutMs: 120_000, grep: 'projectId (missing|not a UUID) is refused',
      env: { TARGET_PROFILE: profile, SIM_DEFECT: 'slow-answers', SIM_SLOW_ANSWER_MS: '4000', E2E_CLIENT_APP: 'off' },
    });
    process.stdout.write(`robustness: slow target: ${outcome.failed.length} failed in ${outcome.seconds.toFixed(1)} s: ${outcome.failed.map((f) => f.reason).join(' | ')}\n`);
    assert.equal(outcome.timedOut, false, 'the run ended by itself');
    assert.deepEqual(outcome.errors, []);
    assert.equal(outcome.failed.length, 2, 'both selected tests fail');
    for (const f of outcome.failed) {
      assert.match(f.reason, /request timeout: no answer within 1500 ms/, f.title);
      assert.equal(categoryOf('failed', f.reason), CATEGORY_NAMES.timedOut, `report category of: ${f.reason}`);
    }
  });
});
