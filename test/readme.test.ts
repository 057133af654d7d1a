import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { ANSWERS } from '../contract/index.ts';
import { PROJECT_ROOT } from '../lib/profile.ts';

const read = (path: string): string => readFileSync(resolve(PROJECT_ROOT, path), 'utf8');
const docs = ['README.md', 'load/README.md', ...readdirSync(resolve(PROJECT_ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

test('the simulator page\'s answers table is contract/answers.ts', () => {
  const page = read('docs/simulator.md');
  for (const [name, answer] of Object.entries(ANSWERS)) {
    const row = page.split('\n').find((line) => line.startsWith(`| \`${name}\` |`));
    assert.ok(row, `docs/simulator.md has no row for ${name}`);
    assert.ok(row.includes(`| ${answer.status} | \`${answer.code}\` |`), `docs/simulator.md row for ${name} differs: ${row}`);
  }
});

test('every npm script the README and docs/ name is in package.json', () => {
  const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
  for (const file of docs) {
    for (const [, name] of read(file).matchAll(/npm run ([a-z:]+)/g)) assert.ok(scripts[name!], `${file} names npm run ${name}, package.json lacks it`);
  }
  for (const name of ['start', 'test']) assert.ok(scripts[name]);
});
