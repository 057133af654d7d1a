import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { faker as englishFaker, Faker, base, en } from '@faker-js/faker';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { Ajv } from 'ajv';
import { ERROR_BODY_SCHEMA } from '../contract/index.ts';
import { seededFaker } from '../lib/data-builders.ts';
import { PROJECT_ROOT } from '../lib/profile.ts';
import { GENERATED, generatedValidators } from '../scripts/generate-validators.ts';

/**
 * What the suites no longer do on every worker start, done once here: the JSON schemas they compile are valid
 * against their draft's meta-schema (the suites compile with validateSchema off), and the English-only faker the
 * data builders load gives the same seeded data as faker's full entry did (a FAKER_SEED replays the same run).
 */

const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(join(PROJECT_ROOT, path), 'utf8')) as Record<string, unknown>;

describe('JSON schemas compiled by the suites', () => {
  const schemas: [string, Record<string, unknown>][] = [
    ['contract ERROR_BODY_SCHEMA', ERROR_BODY_SCHEMA as Record<string, unknown>],
    ['targets/profile.schema.json', readJson('targets/profile.schema.json')],
    ['targets/expectations/expectations.schema.json', readJson('targets/expectations/expectations.schema.json')],
  ];
  for (const [name, schema] of schemas) {
    it(`${name} is valid against its meta-schema`, () => {
      const draft2020 = String(schema.$schema ?? '').includes('2020-12') || !schema.$schema;
      const ajv = draft2020 ? new Ajv2020({ strict: false }) : new Ajv({ strict: false });
      assert.equal(ajv.validateSchema(schema), true, JSON.stringify(ajv.errors));
    });
  }
});

describe('validators compiled ahead of time (lib/generated/)', () => {
  it('are what the schemas give today (after editing a schema: npx tsx scripts/generate-validators.ts)', () => {
    const fresh = generatedValidators();
    for (const key of Object.keys(GENERATED) as (keyof typeof GENERATED)[]) {
      assert.equal(readFileSync(GENERATED[key], 'utf8'), fresh[key], `${GENERATED[key]} is stale: run npx tsx scripts/generate-validators.ts`);
    }
  });
});

describe('seeded faker', () => {
  it('the English-only build gives the data the full package gave for the same seed', () => {
    const full = new Faker({ locale: [en, base] });
    full.seed(4242);
    const light = seededFaker(4242);
    const sample = (f: Faker): unknown[] => [f.person.fullName(), f.internet.email(), f.string.alphanumeric(12), f.lorem.words(3), f.location.city()];
    assert.deepEqual(sample(light), sample(full));
    assert.ok(englishFaker.rawDefinitions.person, 'the English definitions are there');
  });
});
