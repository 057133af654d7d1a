import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OptionsError, parseOptions } from '../scripts/main-job/options.ts';
import { publicBaseUrl } from '../scripts/main-job/target-url.ts';

/** `npm start` flags: defaults, TARGET_PROFILE, and refusals that name the flag. */

describe('npm start options', () => {
  const cwd = process.cwd();
  it('runs every stage against the simulator by default and builds the report', () => {
    const o = parseOptions([], {}, cwd);
    assert.deepEqual(o.stages, ['conformance', 'e2e', 'load']);
    assert.equal(o.target, undefined);
    assert.equal(o.report, true);
  });
  it('--only keeps pipeline order; --target wins over TARGET_PROFILE', () => {
    const o = parseOptions(['--only', 'load,conformance', '--target', 'targets/simulator.json'], { TARGET_PROFILE: 'nope.json' }, cwd);
    assert.deepEqual(o.stages, ['conformance', 'load']);
    assert.match(o.target!, /targets\/simulator\.json$/);
  });
  it('TARGET_PROFILE selects the target when --target is absent', () => {
    assert.match(parseOptions([], { TARGET_PROFILE: 'targets/simulator.json' }, cwd).target!, /targets\/simulator\.json$/);
  });
  it('names the flag in every refusal', () => {
    assert.throws(() => parseOptions(['--only', 'conformance,smoke'], {}, cwd), (e: Error) => e instanceof OptionsError && /--only: unknown stage "smoke"/.test(e.message));
    assert.throws(() => parseOptions(['--target', 'targets/missing.json'], {}, cwd), /--target: profile file .*missing\.json does not exist/);
    assert.throws(() => parseOptions([], { TARGET_PROFILE: 'targets/missing.json' }, cwd), /TARGET_PROFILE: profile file/);
    assert.throws(() => parseOptions(['--shard', '4/3'], {}, cwd), /--shard: expected i\/n/);
    assert.throws(() => parseOptions(['--colour'], {}, cwd), /Unknown option '--colour'/);
  });
  it('--sim-social-token-ttl, --sim-epic-codes-single-use, --sim-facebook-test-users-paused pass to the simulator; none by default', () => {
    assert.deepEqual(parseOptions([], {}, cwd).simCredentialArgs, []);
    assert.deepEqual(parseOptions(['--sim-social-token-ttl', '20', '--sim-epic-codes-single-use', '--sim-facebook-test-users-paused'], {}, cwd).simCredentialArgs, [
      '--social-token-ttl', '20', '--epic-codes-single-use', '--facebook-test-users-paused',
    ]);
    assert.throws(() => parseOptions(['--sim-social-token-ttl', '0'], {}, cwd), /--sim-social-token-ttl: expected seconds \(a number > 0\), got "0"/);
  });
  it('--no-report and --load-scripts', () => {
    const o = parseOptions(['--no-report', '--load-scripts', 'smoke,throughput', '--shard', '2/3'], {}, cwd);
    assert.equal(o.report, false);
    assert.deepEqual(o.loadScripts, ['smoke', 'throughput']);
    assert.equal(o.shard, '2/3');
  });
});

describe('target base URL in the report', () => {
  it('keeps scheme, host and path, drops credentials and query', () => {
    assert.equal(publicBaseUrl('https://user:pw@login.example.test/api?key=secret'), 'https://login.example.test/api');
  });
});

describe('a stage that exits without a result to explain it', () => {
  it("quotes the runner's own error line, so the report files it under the right category", async () => {
    const { failureLine } = await import('../scripts/main-job/run-stage.ts');
    const { categoryOf, CATEGORY_NAMES } = await import('../reports/categories.ts');
    const tail = ['', 'Running 0 tests', 'Error: target unreachable: http://127.0.0.1:9/api (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9)', '   at lib/global-setup.ts:27'];
    const line = failureLine('conformance', 1, tail);
    assert.match(line, /^conformance: Error: target unreachable: http:\/\/127\.0\.0\.1:9\/api .*\(exit code 1\)$/);
    assert.equal(categoryOf('broken', line), CATEGORY_NAMES.unreachable);
  });
  it('points to the log when nothing looks like an error', async () => {
    const { failureLine } = await import('../scripts/main-job/run-stage.ts');
    assert.match(failureLine('load', 2, ['some output']), /^load: a command exited with code 2 but no failed or broken result explains it/);
  });
});

describe('load stage on a target that is not loopback', () => {
  const base = { shard: undefined, loadScripts: undefined, secrets: [], env: { K6_BIN: '/nonexistent/k6' } };
  it('is skipped, naming what is missing: the profile consent, then the command confirmation', async () => {
    const { STAGES } = await import('../scripts/main-job/stages.ts');
    const noConsent = STAGES.load({ ...base, target: { baseUrl: 'https://login.example.test/api', allowLoad: false, iOwnThisTarget: true } });
    assert.equal(noConsent.kind, 'blocked');
    assert.match(noConsent.kind === 'blocked' ? noConsent.reason : '', /load\.allowNonLoopback is not true/);
    const noFlag = STAGES.load({ ...base, target: { baseUrl: 'https://login.example.test/api', allowLoad: true, iOwnThisTarget: false } });
    assert.match(noFlag.kind === 'blocked' ? noFlag.reason : '', /--i-own-this-target/);
  });
  it('on loopback only k6 decides (here: missing, so skipped with the install hint)', async () => {
    const { STAGES } = await import('../scripts/main-job/stages.ts');
    const plan = STAGES.load({ ...base, target: { baseUrl: 'http://127.0.0.1:8787/api', allowLoad: false, iOwnThisTarget: false } });
    assert.equal(plan.kind === 'blocked' && plan.status, 'skipped');
    assert.match(plan.kind === 'blocked' ? plan.reason : '', /k6 not found.*K6_BIN/);
  });
});
