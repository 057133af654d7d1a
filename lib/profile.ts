import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { ANSWER_CASES, SOCIAL_PROVIDERS, type AnswerCase } from '../contract/index.ts';

/**
 * Target profiles: which Login server the harness tests and with what. Loaded from JSON or JSONC, validated
 * against targets/profile.schema.json, secrets resolved from the environment. A bad profile fails with the
 * field and the reason; nothing runs against a half-read profile.
 */

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_PROFILE_PATH = resolve(PROJECT_ROOT, 'targets/simulator.json');

export interface OAuthClient {
  clientId: number;
  clientSecret: string;
  redirectUris: string[];
}

export interface SocialAccount {
  accessToken: string;
  accessTokenSecret?: string;
  openid?: string;
}

export interface PlatformAccount {
  sessionTicket?: string;
  appId?: string;
  code?: string;
  deploymentId?: string;
}

export type Account = SocialAccount | PlatformAccount;

export type Template = string | { base64: string };

export interface Expectation {
  /** Acceptable statuses (one or several). */
  status: number[];
  /** The exact error code, or null when any code of the documented form will do. */
  code: string | null;
}

export interface TargetProfile {
  /** The file it was loaded from. */
  path: string;
  name: string;
  kind: 'simulator' | 'remote';
  baseUrl: string;
  projectId: string;
  providers: string[];
  oauth: { multiRedirect: OAuthClient; singleRedirect: OAuthClient };
  credentials: Record<string, Account[]>;
  newPlatformUsers: Record<string, PlatformAccount[]>;
  credentialTemplates: Record<string, Record<string, Template>>;
  rejectedCredentialTemplate?: string;
  rateLimit?: { projectId: string; client: OAuthClient; expectedPerSecond: number; burst?: number };
  intrusive: { rateLimit: boolean; logoutSharedAccounts: boolean };
  load: { allowNonLoopback: boolean; maxRate: number; maxDurationSeconds: number };
  timeouts: { requestMs: number; connectMs: number };
  expectationsPath: string;
  expectations: Record<AnswerCase, Expectation>;
  /** Every secret value the profile resolved, for redaction. */
  secrets: string[];
}

export class ProfileError extends Error {
  constructor(readonly file: string, readonly field: string, readonly reason: string) {
    super(`target profile ${file}: ${field || '(root)'}: ${reason}`);
    this.name = 'ProfileError';
  }
}

// validateSchema: false: checking the schema against the draft's meta-schema on every worker start costs more than the
// compile itself; test/json-schemas.test.ts checks each schema once.
const ajv = new Ajv2020({ allErrors: false, strict: false, validateSchema: false });
const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));
const validateProfile = ajv.compile(readJson(resolve(PROJECT_ROOT, 'targets/profile.schema.json')) as object);
const validateExpectations = ajv.compile(readJson(resolve(PROJECT_ROOT, 'targets/expectations/expectations.schema.json')) as object);

function fieldOf(error: ErrorObject): string {
  const path = error.instancePath.replace(/^\//, '').replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.');
  const missing = error.keyword === 'required' ? (error.params as { missingProperty: string }).missingProperty : undefined;
  const extra = error.keyword === 'additionalProperties' ? (error.params as { additionalProperty: string }).additionalProperty : undefined;
  const leaf = missing ?? extra;
  return leaf ? (path ? `${path}.${leaf}` : leaf) : path;
}

function reasonOf(error: ErrorObject): string {
  if (error.keyword === 'required') return 'is required';
  if (error.keyword === 'additionalProperties') return 'is not a known field (misspelt?)';
  if (error.keyword === 'oneOf' || error.keyword === 'anyOf') return 'has the wrong form (a string, or {"env": "NAME"} for secrets)';
  return error.message ?? 'is invalid';
}

function readDocument(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ProfileError(file, '', `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const errors: ParseError[] = [];
  const value: unknown = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) {
    const first = errors[0]!;
    const line = text.slice(0, first.offset).split('\n').length;
    throw new ProfileError(file, '', `is not valid JSON: ${printParseErrorCode(first.error)} at line ${line}`);
  }
  return value;
}

/** Replaces every `{"env": "NAME"}` with the variable's value, collecting secrets for redaction. */
function resolveSecrets(value: unknown, path: string, file: string, env: NodeJS.ProcessEnv, secrets: string[]): unknown {
  if (Array.isArray(value)) return value.map((v, i) => resolveSecrets(v, `${path}[${i}]`, file, env, secrets));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && keys[0] === 'env' && typeof record.env === 'string') {
    const resolved = env[record.env];
    if (resolved === undefined || resolved === '') throw new ProfileError(file, path, `environment variable ${record.env} is not set`);
    secrets.push(resolved);
    return resolved;
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key] = resolveSecrets(record[key], path ? `${path}.${key}` : key, file, env, secrets);
  return out;
}

const SECRET_FIELDS = new Set(['clientSecret', 'accessToken', 'accessTokenSecret', 'openid', 'sessionTicket', 'code']);

/** Literal secrets count too: they must be redacted like the ones from the environment. */
function collectLiteralSecrets(value: unknown, secrets: string[], key = ''): void {
  if (Array.isArray(value)) return value.forEach((v) => collectLiteralSecrets(v, secrets, key));
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) collectLiteralSecrets(v, secrets, k);
  } else if (typeof value === 'string' && SECRET_FIELDS.has(key)) secrets.push(value);
}

function loadExpectations(file: string, profileFile: string): Record<AnswerCase, Expectation> {
  const raw = readDocument(file);
  if (!validateExpectations(raw)) {
    const error = validateExpectations.errors![0]!;
    throw new ProfileError(file, fieldOf(error), reasonOf(error));
  }
  const cases = (raw as { cases: Record<string, { status: number | number[]; code: string | null }> }).cases;
  const out = {} as Record<AnswerCase, Expectation>;
  for (const name of ANSWER_CASES) {
    const found = cases[name];
    if (!found) throw new ProfileError(file, `cases.${name}`, `is required (expectations of profile ${profileFile} must cover every case of contract/answers.ts)`);
    out[name] = { status: Array.isArray(found.status) ? found.status : [found.status], code: found.code };
  }
  const unknown = Object.keys(cases).filter((k) => !(ANSWER_CASES as string[]).includes(k));
  if (unknown.length > 0) throw new ProfileError(file, `cases.${unknown[0]}`, 'is not a case of contract/answers.ts');
  return out;
}

export function loadProfile(path: string = DEFAULT_PROFILE_PATH, env: NodeJS.ProcessEnv = process.env): TargetProfile {
  const file = resolve(path);
  const raw = readDocument(file);
  if (!validateProfile(raw)) {
    const error = validateProfile.errors![0]!;
    throw new ProfileError(file, fieldOf(error), reasonOf(error));
  }
  const secrets: string[] = [];
  collectLiteralSecrets(raw, secrets);
  const doc = resolveSecrets(raw, '', file, env, secrets) as Record<string, any>;
  if (!String(doc.baseUrl).endsWith('/api')) throw new ProfileError(file, 'baseUrl', 'must end in /api (e.g. https://login.xsolla.com/api)');
  for (const key of ['multiRedirect', 'singleRedirect'] as const) {
    const n = doc.oauth[key].redirectUris.length;
    if (key === 'multiRedirect' && n < 2) throw new ProfileError(file, 'oauth.multiRedirect.redirectUris', 'must list two or more registered URIs');
    if (key === 'singleRedirect' && n !== 1) throw new ProfileError(file, 'oauth.singleRedirect.redirectUris', 'must list exactly one registered URI');
  }
  const expectationsPath = resolve(dirname(file), doc.expectations);
  return {
    path: file,
    name: doc.name,
    kind: doc.kind,
    baseUrl: String(doc.baseUrl).replace(/\/+$/, ''),
    projectId: doc.projectId,
    providers: doc.providers ?? [...SOCIAL_PROVIDERS],
    oauth: doc.oauth,
    credentials: doc.credentials ?? {},
    newPlatformUsers: doc.newPlatformUsers ?? {},
    credentialTemplates: doc.credentialTemplates ?? {},
    ...(doc.rejectedCredentialTemplate ? { rejectedCredentialTemplate: doc.rejectedCredentialTemplate } : {}),
    ...(doc.rateLimit ? { rateLimit: doc.rateLimit } : {}),
    intrusive: { rateLimit: doc.intrusive?.rateLimit ?? false, logoutSharedAccounts: doc.intrusive?.logoutSharedAccounts ?? false },
    load: { allowNonLoopback: doc.load?.allowNonLoopback ?? false, maxRate: doc.load?.maxRate ?? 1000, maxDurationSeconds: doc.load?.maxDurationSeconds ?? 600 },
    timeouts: { requestMs: doc.timeouts?.requestMs ?? 10_000, connectMs: doc.timeouts?.connectMs ?? 3_000 },
    expectationsPath,
    expectations: loadExpectations(expectationsPath, file),
    secrets: [...new Set(secrets)].filter((s) => s.length >= 4),
  };
}

/** The profile chosen by `--target` or `TARGET_PROFILE`, else the simulator's. */
export function profilePathFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.TARGET_PROFILE ? resolve(env.TARGET_PROFILE) : DEFAULT_PROFILE_PATH;
}

export function isLoopback(baseUrl: string): boolean {
  const host = new URL(baseUrl).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]' || host === '::1' || /^127\./.test(host);
}
