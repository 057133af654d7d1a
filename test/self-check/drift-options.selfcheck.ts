import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OptionsError, parseOptions } from '../../scripts/main-job/options.ts';
import { argvForTargetA } from '../../scripts/main-job/compare.ts';
import { parseSimArgs } from '../../sim/cli-options.ts';
import { simulator } from '../sim-helpers.ts';

/** The drift flags of npm start, and the simulator's --latency. */

describe('npm start drift flags', () => {
  const cwd = process.cwd();
  it('default: no learn, the previous run as baseline, not strict', () => {
    const o = parseOptions([], {}, cwd);
    assert.deepEqual(o.drift, { learn: false, force: false, baseline: undefined, compare: undefined, strict: false, simDefect: undefined, simLatencyMs: undefined });
  });
  it('--learn --force --baseline previous --strict-drift --sim-defect --sim-latency', () => {
    const o = parseOptions(['--learn', '--force', '--baseline', 'previous', '--strict-drift', '--sim-defect', 'wrong-4xx-for-invalid-input', '--sim-latency', '300'], {}, cwd);
    assert.deepEqual(o.drift, { learn: true, force: true, baseline: 'previous', compare: undefined, strict: true, simDefect: 'wrong-4xx-for-invalid-input', simLatencyMs: 300 });
  });
  it('--compare takes two profiles; mistakes name the flag', () => {
    const o = parseOptions(['--compare', 'targets/simulator.json', 'targets/simulator.json', '--only', 'conformance'], {}, cwd);
    assert.match(o.drift.compare![1], /targets\/simulator\.json$/);
    assert.deepEqual(o.stages, ['conformance']);
    assert.throws(() => parseOptions(['--compare', 'targets/simulator.json'], {}, cwd), (e: Error) => e instanceof OptionsError && /--compare: expected two profiles/.test(e.message));
    assert.throws(() => parseOptions(['--compare', 'targets/simulator.json', 'nope.json'], {}, cwd), /--compare: profile file .*nope\.json does not exist/);
    assert.throws(() => parseOptions(['--baseline', 'reports/history/none.run.json'], {}, cwd), /--baseline: record .* does not exist/);
    assert.throws(() => parseOptions(['--sim-latency', 'slow'], {}, cwd), /--sim-latency: expected milliseconds/);
    assert.throws(() => parseOptions(['--force'], {}, cwd), /--force only goes with --learn/);
    assert.throws(() => parseOptions(['--sim-defect', 'a b'], {}, cwd), /--sim-defect/);
  });
  it('target A of --compare runs without the compare, learn and report flags', () => {
    assert.deepEqual(argvForTargetA(['--compare', 'a.json', 'b.json', '--only', 'conformance', '--learn', '--strict-drift']), ['--only', 'conformance']);
  });
});

describe('simulator --latency', () => {
  it('parses, and refuses a bad value', () => {
    assert.equal(parseSimArgs(['--latency', '300']).options.latencyMs, 300);
    assert.throws(() => parseSimArgs(['--latency', '-5']), /--latency/);
  });
  it('adds the delay to every API answer, not to the health check', async () => {
    const sim = await simulator({ latencyMs: 250 });
    try {
      let t = performance.now();
      const refused = await sim.call('POST', '/social/facebook/login_with_token', { json: {} });
      const apiMs = performance.now() - t;
      t = performance.now();
      await fetch(`${new URL(sim.url).origin}/_sim/health`);
      const healthMs = performance.now() - t;
      assert.ok(refused.status >= 400 && refused.status < 500);
      assert.ok(apiMs >= 250, `API answer after ${apiMs.toFixed(0)} ms`);
      assert.ok(healthMs < 250, `health check after ${healthMs.toFixed(0)} ms`);
    } finally {
      await sim.close();
    }
  });
});
