import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { parseSimArgs, UsageError } from '../../sim/cli-options.ts';
import { PROJECT_ROOT } from '../../lib/profile.ts';

test('flags become options; bad flags are refused with the flag named', () => {
  assert.deepEqual(parseSimArgs(['--port', '0', '--rate-limit', 'off']).options, { port: 0, rateLimit: null });
  assert.deepEqual(parseSimArgs(['--rate-limit', '200', '--burst', '10', '--social-outage', 'steam, xbox']).options, { rateLimit: 200, burst: 10, socialOutage: ['steam', 'xbox'] });
  assert.throws(() => parseSimArgs(['--port', 'abc']), (e: unknown) => e instanceof UsageError && /--port/.test(e.message));
  assert.throws(() => parseSimArgs(['--port', '70000']), /--port/);
  assert.throws(() => parseSimArgs(['--host', '0.0.0.0']), /only loopback/);
  assert.throws(() => parseSimArgs(['--rate-limit', '-3']), /--rate-limit/);
  assert.throws(() => parseSimArgs(['--nope']), UsageError);
});

test('`npm run sim` prints the documented ready line and stops on SIGTERM', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'sim/main.ts', '--port', '0'], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}`)));
  });
  assert.match(line, /^listening on http:\/\/127\.0\.0\.1:\d+\/api$/);
  const health = await fetch(`${line.replace('listening on ', '').replace(/\/api$/, '')}/_sim/health`);
  assert.equal(health.status, 200);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
});
