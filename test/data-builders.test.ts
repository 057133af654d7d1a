import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataBuilder, runSeed, seedFor, seededFaker } from '../lib/data-builders.ts';
import { codePointLength } from '../contract/index.ts';

test('the same seed gives the same data; another seed other data', () => {
  const a = new DataBuilder(seededFaker(42));
  const b = new DataBuilder(seededFaker(42));
  const c = new DataBuilder(seededFaker(43));
  const take = (d: DataBuilder) => [d.validState(), d.payload(), ...d.junkStrings(5), JSON.stringify(d.junkJson())];
  const first = take(a);
  assert.deepEqual(take(b), first);
  assert.notDeepEqual(take(c), first);
});

test('a test stream depends on the run seed and the test, not on order', () => {
  assert.equal(seedFor(1, 'suite › test'), seedFor(1, 'suite › test'));
  assert.notEqual(seedFor(1, 'suite › test'), seedFor(2, 'suite › test'));
  assert.notEqual(seedFor(1, 'suite › test'), seedFor(1, 'suite › other'));
});

test('states have exactly the code points asked for, whatever the alphabet', () => {
  const d = new DataBuilder(seededFaker(7));
  for (const alphabet of ['ascii', 'emoji', 'cjk'] as const) {
    for (const n of [8, 9, 40]) {
      const s = d.state(n, alphabet);
      assert.equal(codePointLength(s), n, `${alphabet} ${n}: ${s}`);
      if (alphabet !== 'ascii') assert.ok(Buffer.byteLength(s) > n, 'non-ASCII states are longer in bytes than in characters');
    }
  }
  assert.ok(codePointLength(d.validState()) > 8);
});

test('junk honours the filter', () => {
  const d = new DataBuilder(seededFaker(9));
  const values = d.junkStrings(50, (v) => v !== 'code' && v.length > 1);
  assert.equal(values.length, 50);
  assert.ok(values.every((v) => v !== 'code' && v.length > 1));
  for (const v of values) assert.doesNotThrow(() => encodeURIComponent(v), 'every junk string can go into a URL');
});

test('FAKER_SEED is read strictly; absent gives a fresh seed', () => {
  assert.equal(runSeed({ FAKER_SEED: '123' }), 123);
  assert.throws(() => runSeed({ FAKER_SEED: 'abc' }), /FAKER_SEED must be a non-negative integer/);
  assert.throws(() => runSeed({ FAKER_SEED: '-1' }), /FAKER_SEED/);
  const fresh = runSeed({});
  assert.ok(Number.isSafeInteger(fresh) && fresh >= 0);
});
