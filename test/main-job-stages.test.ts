import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OptionsError, parseOptions } from '../scripts/main-job/options.ts';
import { blockedOutcome } from '../scripts/main-job/run-stage.ts';
import { STAGES, type StageContext } from '../scripts/main-job/stages.ts';

/**
 * A stage whose tool is missing is reported once, at stage level, with the one-line fix: the e2e stage without
 * Chromium is one broken result (not a failed result per flow), the load stage without k6 is skipped, and broken
 * when `--require` names it so the gate fails.
 */

const ctx = (env: NodeJS.ProcessEnv, required: StageContext['required'] = []): StageContext => ({
  shard: undefined,
  loadScripts: undefined,
  target: { baseUrl: 'http://127.0.0.1:8787/api', allowLoad: false, iOwnThisTarget: false },
  secrets: [],
  env,
  required,
});

describe('a stage that cannot run', () => {
  it('e2e without Chromium: blocked as broken with the apt-get line, no command run', () => {
    const plan = STAGES.e2e(ctx({ ...process.env, CHROMIUM_PATH: '/nowhere/chromium' }));
    assert.equal(plan.kind, 'blocked');
    if (plan.kind !== 'blocked') return;
    assert.equal(plan.status, 'broken');
    assert.match(plan.reason, /Chromium not found at CHROMIUM_PATH=\/nowhere\/chromium/);
    assert.match(plan.reason, /apt-get install -y chromium/);
    assert.ok(!plan.reason.includes('\n'), 'one line');
  });
  it('load without k6: skipped with where to get k6 and $K6_BIN', () => {
    const plan = STAGES.load(ctx({ PATH: '/nowhere', K6_BIN: '' }));
    assert.equal(plan.kind, 'blocked');
    if (plan.kind !== 'blocked') return;
    assert.equal(plan.status, 'skipped');
    assert.match(plan.reason, /https:\/\/grafana\.com\/docs\/k6\/latest\/set-up\/install-k6\//);
    assert.match(plan.reason, /K6_BIN/);
  });
  it('a required stage that cannot run is broken, an optional one keeps its own status', () => {
    assert.equal(blockedOutcome('load', 'skipped', ['conformance', 'e2e', 'load']), 'broken');
    assert.equal(blockedOutcome('load', 'skipped', ['conformance']), 'skipped');
    assert.equal(blockedOutcome('e2e', 'broken', []), 'broken');
  });
});

describe('--require', () => {
  const cwd = process.cwd();
  it('takes stage names in pipeline order; none by default', () => {
    assert.deepEqual(parseOptions([], {}, cwd).require, []);
    assert.deepEqual(parseOptions(['--require', 'load,conformance,e2e'], {}, cwd).require, ['conformance', 'e2e', 'load']);
  });
  it('names the flag for an unknown stage', () => {
    assert.throws(() => parseOptions(['--require', 'conformance,k6'], {}, cwd), (e: Error) => e instanceof OptionsError && /--require: unknown stage "k6"/.test(e.message));
  });
});
