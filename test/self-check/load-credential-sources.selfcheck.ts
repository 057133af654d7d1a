import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { currentRunId, removeRunDir, runDir } from '../../lib/credential-sources.ts';
import { loadProfile, PROJECT_ROOT } from '../../lib/profile.ts';
import { RUN_ENV } from '../../lib/report-labels.ts';
import { prepareLoadCredentials } from '../../load/run/credential-sources.ts';
import { parseLoadArgs, planRun } from '../../load/run/plan.ts';
import { writeProfile } from '../../scripts/verify-harness/target-profiles.ts';

/**
 * The load stage and credential sources (load/run/credential-sources.ts, load/run/plan.ts leftOutOfLoad): a `once`
 * source's accounts join the mix and the k6 secrets, run once for the whole run id; perTest sources, single-use
 * accounts and a failed source are left out, each saying why.
 */

const FIXTURE = join(PROJECT_ROOT, 'test/fixtures/credential-sources/sim-accounts.mjs');
const node = process.execPath;

function profileWithSources(dir: string, ledger: string): string {
  return writeProfile(dir, 1, (doc) => {
    doc.kind = 'remote';
    doc.credentialTemplates = {};
    const credentials = doc.credentials as Record<string, unknown>;
    credentials.facebook = { command: [node, FIXTURE, 'facebook', '2', ledger], run: 'once' };
    credentials.epicgames = { command: [node, FIXTURE, 'epicgames', '1'], run: 'perTest' };
    credentials.google = [{ accessToken: 'google-single-use-0001', singleUse: true }];
    credentials.discord = { command: [node, '-e', 'console.error("discord test accounts: 503"); process.exit(3)'], run: 'once' };
  });
}

test('load: a once source\'s accounts join the mix and the k6 secrets, once per run id; the rest is left out, saying why', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'load-sources-'));
  const ledger = join(dir, 'facebook-runs.jsonl');
  const path = profileWithSources(dir, ledger);
  const env = { [RUN_ENV]: `load-sources-test-${process.pid}-${Date.now()}` };
  try {
    const plans = [];
    // Two stages of one run (the suites, then the load): the source runs for the first only.
    for (let i = 0; i < 2; i++) {
      const profile = loadProfile(path, env);
      const credentials = await prepareLoadCredentials(profile, env, null);
      plans.push({ plan: planRun(parseLoadArgs(['smoke', '--target', path]), profile), profile });
      credentials.release();
      assert.ok(existsSync(runDir(env[RUN_ENV])), 'the run belongs to its caller: its folder stays');
    }
    const printed = readFileSync(ledger, 'utf8').trim().split('\n');
    assert.equal(printed.length, 1, 'the once source ran once for the run');
    for (const { plan, profile } of plans) {
      assert.ok(plan.config.providers.includes('facebook'));
      assert.deepEqual(plan.secrets.accounts.facebook, JSON.parse(printed[0]!), 'its accounts go to k6 as secrets, as literal ones do');
      assert.ok(profile.secrets.includes((JSON.parse(printed[0]!) as { accessToken: string }[])[0]!.accessToken), 'and are redacted from the output');
      for (const p of ['google', 'discord']) assert.ok(!plan.config.providers.includes(p), p);
      assert.ok(!plan.config.platforms.includes('epicgames'));
      const why = Object.fromEntries(plan.leftOut.map((l) => [l.provider, l.reason]));
      assert.deepEqual(Object.keys(why).sort(), ['discord', 'epicgames', 'google']);
      assert.equal(why.epicgames, 'epicgames: its accounts come from a perTest credential source (credentials.epicgames): each works for one test, and a load test signs in with its accounts again and again');
      assert.equal(why.google, 'google: its accounts are single-use (singleUse): each signs in once, and a load test signs in with its accounts again and again');
      assert.match(why.discord!, /^discord: the credential source of credentials\.discord \(.*\) exited with code 3: stderr: discord test accounts: 503$/);
    }
  } finally {
    removeRunDir(env[RUN_ENV]);
  }
});

test('load run alone (no run id): the sources run for it, and what they printed is deleted when it ends', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'load-sources-'));
  const ledger = join(dir, 'facebook-runs.jsonl');
  const profile = loadProfile(profileWithSources(dir, ledger), {});
  const before = new Set(profile.secrets);
  const credentials = await prepareLoadCredentials(profile, {}, null);
  assert.equal(profile.credentials.facebook?.length, 2);
  assert.ok(profile.secrets.some((s) => !before.has(s)));
  const folder = runDir(currentRunId({}));
  assert.ok(existsSync(folder));
  credentials.release();
  assert.ok(!existsSync(folder), 'the run folder (accounts, secrets) is gone');
});

test('load without sources and without a run: nothing is run or kept', async () => {
  const profile = loadProfile(undefined, {});
  const credentials = await prepareLoadCredentials(profile, {}, null);
  credentials.release();
  assert.deepEqual(planRun(parseLoadArgs(['smoke']), profile).leftOut, []);
});
