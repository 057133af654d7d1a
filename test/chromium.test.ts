import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHROMIUM_ARGS, findChromium } from '../lib/chromium.ts';

test('Debian\'s /usr/bin/chromium is used where it exists', () => {
  assert.deepEqual(findChromium({}, (p) => p === '/usr/bin/chromium'), { found: true, path: '/usr/bin/chromium' });
  assert.deepEqual(findChromium({}, (p) => p === '/usr/bin/chromium-browser'), { found: true, path: '/usr/bin/chromium-browser' });
});

test('CHROMIUM_PATH overrides, and a wrong one is named', () => {
  assert.deepEqual(findChromium({ CHROMIUM_PATH: '/opt/chrome/chrome' }, () => true), { found: true, path: '/opt/chrome/chrome' });
  const missing = findChromium({ CHROMIUM_PATH: '/nope/chrome' }, () => false);
  assert.equal(missing.found, false);
  if (!missing.found) assert.match(missing.message, /CHROMIUM_PATH=\/nope\/chrome/);
});

test('no browser: one line that says how to install Debian\'s chromium', () => {
  const missing = findChromium({}, () => false);
  assert.equal(missing.found, false);
  if (missing.found) return;
  assert.doesNotMatch(missing.message, /\n/);
  assert.match(missing.message, /apt-get install -y chromium/);
});

test('the launch flags the machine needs', () => {
  for (const flag of ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-gpu']) {
    assert.ok(CHROMIUM_ARGS.includes(flag), flag);
  }
});
