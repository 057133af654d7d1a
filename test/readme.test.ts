import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { ANSWERS } from '../contract/index.ts';
import { PROJECT_ROOT } from '../lib/profile.ts';

const readme = readFileSync(resolve(PROJECT_ROOT, 'README.md'), 'utf8');

test('the README\'s answers table is contract/answers.ts', () => {
  for (const [name, answer] of Object.entries(ANSWERS)) {
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${name}\` |`));
    assert.ok(row, `README has no row for ${name}`);
    assert.ok(row.includes(`| ${answer.status} | \`${answer.code}\` |`), `README row for ${name} differs: ${row}`);
  }
});

test('the README documents every npm script it names, and package.json has them', () => {
  const scripts = (JSON.parse(readFileSync(resolve(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  for (const [, name] of readme.matchAll(/npm run ([a-z:]+)/g)) assert.ok(scripts[name!], `README names npm run ${name}, package.json lacks it`);
  for (const name of ['start', 'test']) assert.ok(scripts[name]);
});
