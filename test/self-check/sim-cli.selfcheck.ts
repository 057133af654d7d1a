import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { parseSimArgs, UsageError } from '../../sim/cli-options.ts';
import { PROJECT_ROOT } from '../../lib/profile.ts';
import { simulatorLimiters } from '../../load/run/simulator-process.ts';
import { LIMITER_KINDS } from '../../sim/rate-limiter.ts';

test('flags become options; bad flags are refused with the flag named', () => {
  assert.deepEqual(parseSimArgs(['--port', '0', '--rate-limit', 'off']).options, { port: 0, rateLimit: null });
  assert.deepEqual(parseSimArgs(['--rate-limit', '200', '--burst', '10', '--social-outage', 'steam, xbox']).options, { rateLimit: 200, burst: 10, socialOutage: ['steam', 'xbox'] });
  assert.throws(() => parseSimArgs(['--port', 'abc']), (e: unknown) => e instanceof UsageError && /--port/.test(e.message));
  assert.throws(() => parseSimArgs(['--port', '70000']), /--port/);
  assert.throws(() => parseSimArgs(['--host', '0.0.0.0']), /only loopback/);
  assert.throws(() => parseSimArgs(['--rate-limit', '-3']), /--rate-limit/);
  assert.throws(() => parseSimArgs(['--nope']), UsageError);
});

test('credential lifetimes: off unless asked; --social-token-ttl takes positive seconds', () => {
  assert.deepEqual(parseSimArgs([]).options, {});
  assert.deepEqual(parseSimArgs(['--social-token-ttl', '20', '--epic-codes-single-use', '--facebook-test-users-paused']).options, {
    socialTokenTtlSeconds: 20,
    epicCodesSingleUse: true,
    facebookTestUsersPaused: true,
  });
  assert.throws(() => parseSimArgs(['--social-token-ttl', '0']), /--social-token-ttl: expected a positive number, got "0"/);
  assert.throws(() => parseSimArgs(['--social-token-ttl', 'soon']), /--social-token-ttl/);
});

test('`npm run sim` prints the documented ready line and stops on SIGTERM', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'sim/main.ts', '--port', '0'], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  // Both start lines: the documented ready line first, then where the fake networks answer (credential sources
  // read it as SIM_SOCIAL_URL).
  const [line, second] = await new Promise<[string, string]>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const lines = out.split('\n');
      if (lines.length > 2) resolve([lines[0]!, lines[1]!]);
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}`)));
  });
  assert.match(line, /^listening on http:\/\/127\.0\.0\.1:\d+\/api$/);
  assert.match(second, /^fake social networks on http:\/\/127\.0\.0\.1:\d+$/);
  const health = await fetch(`${line.replace('listening on ', '').replace(/\/api$/, '')}/_sim/health`);
  assert.equal(health.status, 200);
  assert.equal(((await health.json()) as { social_url: string }).social_url, second.replace('fake social networks on ', ''));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
});

test('`npm run sim -- --list-limiters` lists every limiter, name first: what the load stage reads', () => {
  assert.equal(parseSimArgs(['--list-limiters']).listLimiters, true);
  assert.deepEqual(simulatorLimiters(), LIMITER_KINDS);
});
