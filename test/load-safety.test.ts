import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadProfile, type TargetProfile } from '../lib/profile.ts';
import { assertTargetAllowed, boundedDuration, boundedRate, clampDuration, HARD_MAX_DURATION_SECONDS, hostOf, isLoopbackUrl, SafetyError } from '../load/lib/safety.ts';
import { DEFAULTS, maxVUsFor, parseLoadArgs, rateLimitVUsFor, planRun, UsageError } from '../load/run/plan.ts';

const simulator = (): TargetProfile => loadProfile();
const remote = (overrides: Partial<TargetProfile> = {}): TargetProfile => ({
  ...simulator(),
  name: 'staging',
  kind: 'remote',
  baseUrl: 'https://login.example.com/api',
  ...overrides,
});

test('loopback: 127.0.0.0/8, localhost and [::1]; nothing else', () => {
  for (const url of ['http://127.0.0.1:8787/api', 'http://127.9.9.9/api', 'http://localhost:1/api', 'http://[::1]:8080/api', 'http://user@127.0.0.1/api']) assert.equal(isLoopbackUrl(url), true, url);
  for (const url of ['https://login.xsolla.com/api', 'http://127.0.0.1.example.com/api', 'http://10.0.0.1/api', 'http://[::2]/api', 'http://localhost.evil/api']) assert.equal(isLoopbackUrl(url), false, url);
  assert.equal(hostOf('HTTP://LocalHost:80/x'), 'localhost');
  assert.throws(() => hostOf('not a url'), SafetyError);
});

test('a non-loopback target needs both the profile\'s allowNonLoopback and --i-own-this-target', () => {
  const url = 'https://login.example.com/api';
  assert.throws(() => assertTargetAllowed(url, false, true), /load\.allowNonLoopback is not true/);
  assert.throws(() => assertTargetAllowed(url, true, false), /--i-own-this-target/);
  assert.doesNotThrow(() => assertTargetAllowed(url, true, true));
  assert.doesNotThrow(() => assertTargetAllowed('http://127.0.0.1:1/api', false, false));
});

test('durations and rates are bounded by the profile and by hard caps', () => {
  assert.equal(boundedDuration(30, 600), 30);
  assert.equal(boundedDuration(29.2, 600), 30);
  assert.throws(() => boundedDuration(601, 600), /exceeds the bound of 600s/);
  assert.throws(() => boundedDuration(HARD_MAX_DURATION_SECONDS + 1, 1e9), /hard cap/);
  assert.throws(() => boundedDuration(0, 600), /positive/);
  assert.throws(() => boundedRate(51, 50), /exceeds the bound of 50 req\/s/);
  assert.equal(clampDuration(1e9), HARD_MAX_DURATION_SECONDS);
});

test('planRun refuses a remote target unless allowed and confirmed', () => {
  assert.throws(() => planRun(parseLoadArgs(['throughput']), remote()), /allowNonLoopback/);
  const allowed = remote({ load: { allowNonLoopback: true, maxRate: 50, maxDurationSeconds: 300 } });
  assert.throws(() => planRun(parseLoadArgs(['throughput']), allowed), /--i-own-this-target/);
  const plan = planRun(parseLoadArgs(['throughput', '--i-own-this-target', '--rate', '20']), allowed);
  assert.equal(plan.config.target.baseUrl, 'https://login.example.com/api');
  assert.equal(plan.simulator, null);
  assert.throws(() => planRun(parseLoadArgs(['throughput', '--i-own-this-target', '--rate', '60']), allowed), /exceeds the bound of 50/);
  assert.throws(() => planRun(parseLoadArgs(['soak', '--i-own-this-target', '--duration', '301']), allowed), /exceeds the bound of 300s/);
});

test('the ratelimit peak (1.5x the expected limit) counts against maxRate; a remote target must allow intrusive tests', () => {
  const profile = { ...simulator(), load: { allowNonLoopback: false, maxRate: 1000, maxDurationSeconds: 600 } };
  assert.throws(() => planRun(parseLoadArgs(['ratelimit', '--rate', '700']), profile), /peak of 1050/);
  const noIntrusive = { ...remote({ baseUrl: 'http://127.0.0.1:9/api' }), intrusive: { rateLimit: false, logoutSharedAccounts: false } };
  assert.throws(() => planRun(parseLoadArgs(['ratelimit']), noIntrusive), /intrusive\.rateLimit is not true/);
});

test('the simulator profile: the command starts its own simulator, with the limit ratelimit expects and a burst of R/10', () => {
  const plan = planRun(parseLoadArgs(['ratelimit', '--rate', '1000', '--duration', '40']), simulator());
  assert.deepEqual(plan.simulator, { rateLimit: 1000, burst: 100 });
  assert.equal(plan.config.ratelimit?.projectId, simulator().projectId);
  assert.equal(plan.config.ratelimit?.expectedPerSecond, 1000);
  assert.equal(plan.peakRate, 1500);
  assert.equal(plan.config.maxVUs, rateLimitVUsFor(1500));
  const defaults = planRun(parseLoadArgs(['ratelimit']), simulator());
  assert.equal(defaults.config.rate, DEFAULTS.ratelimit.rate);
  assert.deepEqual(planRun(parseLoadArgs(['throughput']), simulator()).simulator, { rateLimit: null });
});

test('an already running target without --rate: ratelimit uses the profile\'s isolated project and its limit', () => {
  const plan = planRun(parseLoadArgs(['ratelimit', '--base-url', 'http://127.0.0.1:8787/api']), simulator());
  assert.equal(plan.simulator, null);
  assert.equal(plan.config.ratelimit?.projectId, simulator().rateLimit?.projectId);
  assert.equal(plan.config.ratelimit?.expectedPerSecond, 10);
  assert.equal(plan.config.ratelimit?.burst, 10);
});

test('secrets never reach the config file: they go to the environment only', () => {
  const profile = simulator();
  for (const script of ['smoke', 'throughput', 'ratelimit', 'soak']) {
    const plan = planRun(parseLoadArgs([script, '--duration', '20']), profile);
    const written = JSON.stringify(plan.config);
    for (const secret of profile.secrets) assert.ok(!written.includes(secret), `${script}: ${secret.slice(0, 6)}...`);
    assert.equal(plan.secrets.clientSecret, profile.oauth.singleRedirect.clientSecret);
  }
});

test('command line: one known script, positive numbers, clear refusals', () => {
  assert.equal(parseLoadArgs(['load/ratelimit.ts']).script, 'ratelimit');
  assert.throws(() => parseLoadArgs([]), UsageError);
  assert.throws(() => parseLoadArgs(['stress']), /unknown script "stress"/);
  assert.throws(() => parseLoadArgs(['smoke', '--rate=-3']), /--rate: expected a positive number/);
  assert.throws(() => parseLoadArgs(['smoke', '--rate', 'fast']), /--rate: expected a positive number/);
  assert.throws(() => parseLoadArgs(['smoke', '--tolerance', '1.5']), /--tolerance/);
  assert.throws(() => parseLoadArgs(['smoke', '--bogus']), UsageError);
  const args = parseLoadArgs(['soak', '--duration', '90', '--rate', '25', '--no-dashboard', '--i-own-this-target']);
  assert.deepEqual([args.duration, args.rate, args.dashboard, args.iOwnThisTarget, args.report], [90, 25, false, true, true]);
});

test('ratelimit without an expected limit: the script searches, up to the profile\'s load.maxRate', () => {
  const base = simulator();
  const profile = { ...base, rateLimit: { ...base.rateLimit!, expectedPerSecond: undefined, burst: undefined }, load: { ...base.load, maxRate: 2000 } };
  const plan = planRun(parseLoadArgs(['ratelimit', '--base-url', 'http://127.0.0.1:8787/api', '--duration', '60']), profile);
  assert.equal(plan.config.ratelimit?.expectedPerSecond, null);
  assert.equal(plan.config.ratelimit?.maxRate, 2000);
  assert.ok(plan.peakRate <= 2000, `peak ${plan.peakRate}`);
  assert.equal(plan.config.ratelimit?.burst, undefined);
});

test('--limiter and --instances: checked, and the limiter reaches the simulator the command starts', () => {
  const plan = planRun(parseLoadArgs(['ratelimit', '--rate', '200', '--limiter', 'fixed-window', '--burst', '200']), simulator());
  assert.deepEqual(plan.simulator, { rateLimit: 200, burst: 200, limiter: 'fixed-window' });
  assert.equal(parseLoadArgs(['ratelimit', '--instances', '2']).instances, 2);
  assert.throws(() => parseLoadArgs(['ratelimit', '--limiter', 'leaky-bucket']), /--limiter: expected one of token-bucket, .*gcra \(npm run sim -- --list-limiters\), got "leaky-bucket"/);
  // The names are the simulator's command line's, whatever they are: the load stage does not restate them.
  assert.equal(parseLoadArgs(['ratelimit', '--limiter', 'leaky-bucket'], () => ['leaky-bucket']).limiter, 'leaky-bucket');
  assert.equal(parseLoadArgs(['ratelimit'], () => { throw new Error('asked for the limiters without --limiter'); }).limiter, undefined);
  assert.throws(() => parseLoadArgs(['ratelimit', '--instances', '1.5']), /--instances: expected a whole number/);
  assert.throws(() => parseLoadArgs(['ratelimit', '--instances', '2', '--archive', 'x.tar']), /--instances runs k6 here/);
});
