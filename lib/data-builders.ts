import type { Faker } from '@faker-js/faker';
// The English locale alone: the package's main entry loads every locale (some 70 modules, about a second of start-up),
// which each Playwright worker pays again, and Playwright starts a new worker after every failed test.
import { faker as englishFaker } from '@faker-js/faker/locale/en';
import { STATE_MIN_EXCLUSIVE_LENGTH } from '../contract/index.ts';

/**
 * Test data from a seeded faker: states of exact lengths, payloads with awkward characters, and junk for the
 * generated negative input. One run seed (FAKER_SEED, printed at the start and written into the report) plus
 * the test's title gives every test its own reproducible stream, whatever order the tests run in.
 */

export const SEED_ENV = 'FAKER_SEED';

/** The run seed: FAKER_SEED when given (to reproduce a run), else a fresh one (the global setup fixes it for all workers). */
export function runSeed(env: NodeJS.ProcessEnv = process.env): number {
  const given = env[SEED_ENV];
  if (given !== undefined && given !== '') {
    const n = Number(given);
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${SEED_ENV} must be a non-negative integer, got "${given}"`);
    return n;
  }
  return Math.floor(Math.random() * 2 ** 31);
}

/** FNV-1a over the test's identity, mixed with the run seed. */
export function seedFor(run: number, key: string): number {
  let hash = 0x811c9dc5 ^ (run >>> 0);
  for (const ch of key) {
    hash ^= ch.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** The Faker class, reached through the English instance (the locale entry exports no class of its own). */
const FakerClass = englishFaker.constructor as typeof Faker;

export function seededFaker(seed: number): Faker {
  // rawDefinitions: English merged with the base definitions, as `new Faker({ locale: [en, base] })` merges them.
  const faker = new FakerClass({ locale: englishFaker.rawDefinitions });
  faker.seed(seed);
  return faker;
}

const CJK = '漢字仮名交じり文한국어中文測試驗證';
const ODD_STRINGS = [
  '../../etc/passwd', "' OR '1'='1' --", '<script>alert(1)</script>', '%00', '\u0000', '{"a":1}', 'null', 'true', '-1', '0',
  '1e309', 'NaN', ' ', '\t\n', '%', '%zz', '&', '=', '#', '?', '+', '\\', '"', "'", '${jndi:ldap://x}', '\u202e', '\ufeff',
];

export class DataBuilder {
  constructor(readonly faker: Faker) {}

  /** A state of exactly `codePoints` characters from `alphabet` (ASCII letters by default). */
  state(codePoints: number, alphabet: 'ascii' | 'emoji' | 'cjk' = 'ascii'): string {
    const pick = (): string => {
      if (alphabet === 'emoji') return this.faker.internet.emoji();
      if (alphabet === 'cjk') return this.faker.string.fromCharacters(CJK);
      return this.faker.string.alphanumeric(1);
    };
    let out = '';
    for (let i = 0; i < codePoints; i++) {
      // Some emoji are several code points (ZWJ sequences, flags): keep only single-code-point ones.
      let c = pick();
      while ([...c].length !== 1) c = pick();
      out += c;
    }
    return out;
  }

  /** A state that is clearly valid: well above the documented minimum. */
  validState(): string {
    return this.state(this.faker.number.int({ min: STATE_MIN_EXCLUSIVE_LENGTH + 8, max: 40 }));
  }

  /** Custom data with characters that survive only if echoed exactly (quotes, ampersands, non-ASCII). */
  payload(): string {
    return JSON.stringify({ order: this.faker.string.uuid(), note: `${this.faker.lorem.words(3)} & "quoted" = ✓ ü 漢`, n: this.faker.number.int(1000) });
  }

  uuid(): string {
    return this.faker.string.uuid();
  }

  /** One junk string of a randomly chosen kind. */
  junkString(): string {
    const f = this.faker;
    const kinds: (() => string)[] = [
      () => f.string.alphanumeric({ length: { min: 1, max: 40 } }),
      () => f.string.sample({ min: 1, max: 40 }),
      () => Array.from({ length: f.number.int({ min: 1, max: 12 }) }, () => f.internet.emoji()).join(''),
      () => f.lorem.sentence(),
      () => f.string.alphanumeric(f.number.int({ min: 600, max: 3000 })),
      () => f.helpers.arrayElement(ODD_STRINGS),
      () => f.string.numeric({ length: { min: 1, max: 25 } }),
      () => f.string.fromCharacters(CJK, { min: 1, max: 20 }),
      () => f.internet.url(),
      () => f.string.uuid(),
      () => `${f.number.float({ min: -1e6, max: 1e6 })}`,
    ];
    return f.helpers.arrayElement(kinds)();
  }

  /** `n` junk strings, each passing `accept` (e.g. "not a UUID"). */
  junkStrings(n: number, accept: (value: string) => boolean = () => true): string[] {
    const out: string[] = [];
    for (let guard = 0; out.length < n && guard < n * 50; guard++) {
      const value = this.junkString();
      if (accept(value)) out.push(value);
    }
    return out;
  }

  /** Junk of any JSON type, for body fields (which a string-typed field must refuse unless it is a string). */
  junkJson(): unknown {
    const f = this.faker;
    return f.helpers.arrayElement<() => unknown>([
      () => f.number.int({ min: -1e9, max: 1e9 }),
      () => f.number.float(),
      () => f.datatype.boolean(),
      () => null,
      () => [this.junkString()],
      () => ({ [f.lorem.word()]: this.junkString() }),
      () => this.junkString(),
    ])();
  }
}

/**
 * A request body that is not what the pages declare ("Request Body schema: application/json", an object with
 * `access_token`), as the exact bytes the suites put on the wire. Bytes, never a string: Playwright's request
 * client re-serialises a string `data` that does not parse as JSON when the content type is JSON (it sends
 * `"{\"access_token\": ..."`, a valid JSON string literal), so a malformed body given as a string never arrives
 * malformed. A Buffer is sent as it is. The wire proof (test/self-check/wire-bodies.selfcheck.ts) sends every body listed here.
 */
export interface NegativeBody {
  title: string;
  bytes: Buffer;
  contentType: string;
}

const utf8Body = (title: string, text: string): NegativeBody => ({ title, bytes: Buffer.from(text, 'utf8'), contentType: 'application/json' });

/** Bodies declared application/json that no JSON parser accepts. */
export const MALFORMED_JSON_BODIES: readonly NegativeBody[] = [
  utf8Body('truncated JSON', '{"access_token": "abc'),
  utf8Body('cut off after the colon', '{"access_token": '),
  utf8Body('a trailing comma', '{"access_token": "abc",}'),
  utf8Body('single quotes', "{'access_token': 'abc'}"),
  utf8Body('two values without a comma', '{"access_token": "a" "b"}'),
  utf8Body('not JSON at all', 'access_token=abc'),
  { title: 'invalid UTF-8', bytes: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), contentType: 'application/json' },
];
