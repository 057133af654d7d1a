import type { RetryAfterFact } from './drift/retry-after-facts.ts';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { ANSWER_CASES, CROSS_AUTH_PLATFORMS, SOCIAL_PROVIDERS, isCrossAuthPlatform, type AnswerCase } from '../contract/index.ts';
import {
  validateCredentialSource,
  validateEpicgamesAccount,
  validateExpectations,
  validatePlatformAccount,
  validateProfile,
  validateSocialAccount,
  validateSteamAccount,
  validateXboxAccount,
} from './generated/profile-validators.js';
import { unknownNameReason } from './nearest-name.ts';
import { DEFAULT_REGRESSION, DEFAULT_SLO, type LoadSlo, type RegressionRule } from './slo.ts';

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
  /** Given to one test only, across workers and runs (lib/account-lease.ts records it as used). */
  singleUse?: boolean;
}

export interface PlatformAccount {
  sessionTicket?: string;
  appId?: string;
  code?: string;
  deploymentId?: string;
  singleUse?: boolean;
}

/** The two account lists of a profile; both may come from a credential source. */
export type AccountSection = 'credentials' | 'newPlatformUsers';

/**
 * An account list fetched at run time by a command (lib/credential-sources.ts runs it): `credentials.<provider>` or
 * `newPlatformUsers.<platform>` written as `{"command": [...], "run": ..., "timeoutSeconds": ..., "env": {...}}`.
 */
export interface CredentialSource {
  /** `credentials.facebook`: the profile field it stands for, named in every message about it. */
  field: string;
  section: AccountSection;
  provider: string;
  command: string[];
  run: 'once' | 'perTest';
  timeoutSeconds: number;
  /**
   * `once` only: seconds its accounts are used at most before the command runs again (tokens that expire during a
   * run); undefined: kept for the run, unless the command says how long they live (`expiresInSeconds`).
   */
  refreshSeconds?: number;
  /** Resolved values; each is a secret (in the profile's `secrets`). */
  env: Record<string, string>;
  /** The profile's folder: the command runs there. */
  cwd: string;
}

export type Account = SocialAccount | PlatformAccount;

export type Template = string | { base64: string };

export interface Expectation {
  /** Acceptable statuses (one or several). */
  status: number[];
  /** The exact error code, or null when any code of the documented form will do. */
  code: string | null;
  /** true when the expectations file does not list the case and the loose default applies (see UNPINNED_EXPECTATION). */
  unpinned?: boolean;
}

/**
 * What a case the expectations file leaves out accepts: any 4xx the documents list (400, 401, 404, 422), plus 403
 * (RFC 6750 §3.1) and 405 (RFC 9110 §15.5.6) for the calls and methods the pages do not describe, and any error
 * code of the documented form. The always-on status_code_conformance check still holds each documented endpoint
 * to its own list, so this only leaves open what the documents leave open. A 429 is never a default answer to
 * anything but rateLimited.
 */
export const UNPINNED_EXPECTATION: Readonly<Expectation> = { status: [400, 401, 403, 404, 405, 422], code: null };
export const UNPINNED_RATE_LIMITED: Readonly<Expectation> = { status: [429], code: null };

export interface TargetProfile {
  /** The file it was loaded from. */
  path: string;
  name: string;
  kind: 'simulator' | 'remote';
  baseUrl: string;
  projectId: string;
  providers: string[];
  /**
   * The social provider of tests whose rule does not depend on the provider (with_logout, malformed bodies, ...):
   * the profile's `defaultProvider`, else the first provider of `providers` that has accounts; undefined when none has.
   */
  defaultProvider?: string;
  oauth: { multiRedirect: OAuthClient; singleRedirect: OAuthClient };
  /**
   * Literal accounts per provider. A provider whose accounts come from a `once` credential source gets them here when
   * a worker prepares the profile (lib/credential-sources.ts prepareCredentials); until then it is absent.
   */
  credentials: Record<string, Account[]>;
  newPlatformUsers: Record<string, PlatformAccount[]>;
  /** Account lists written as credential sources, by section and provider. */
  sources: Record<AccountSection, Record<string, CredentialSource>>;
  /**
   * Where each literal account of `credentials` came from, for messages that must not show it: the environment
   * variables its secrets were read from (`FB_TOKEN_1`), else its field (`credentials.facebook[0]`).
   */
  accountOrigins: Record<string, string[]>;
  /**
   * Account lists the run cannot use, by field (`credentials.facebook`), with the reason their tests are skipped: a
   * credential source that failed, or an account the social network refused before the suites (lib/credential-check.ts).
   * Filled when a worker prepares the profile.
   */
  unavailable: Record<string, string>;
  credentialTemplates: Record<string, Record<string, Template>>;
  rejectedCredentialTemplate?: string;
  /** `retryAfter`: the target's 429 carries Retry-After (RFC 6585 §4: MAY), so its absence is a failure. */
  rateLimit?: { projectId: string; client: OAuthClient; expectedPerSecond?: number; burst?: number; retryAfter?: boolean };
  intrusive: { rateLimit: boolean; logoutSharedAccounts: boolean };
  /** slo and regression are always set by loadProfile (defaults of lib/slo.ts); optional for profiles built in code. */
  load: { allowNonLoopback: boolean; maxRate: number; maxDurationSeconds: number; slo?: LoadSlo; regression?: RegressionRule };
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

// Compiled ahead of time (scripts/generate-validators.ts): every Playwright worker loads a profile, and a worker starts
// after every failed test; importing Ajv and compiling these schemas there cost about 0.1 s of CPU each time.
// test/json-schemas.test.ts checks the generated code is what the schemas give, and each schema against its meta-schema.
const PLATFORM_ACCOUNT_VALIDATORS: Record<string, ValidateFunction> = { steam: validateSteamAccount, xbox: validateXboxAccount, epicgames: validateEpicgamesAccount };

/**
 * The validator of one account of `provider` in `section`: the profile schema's own definition, so an account a
 * credential source prints is held to exactly the rules of one written in the profile.
 */
export function accountValidator(section: AccountSection, provider: string): ValidateFunction {
  if (section === 'newPlatformUsers') return validatePlatformAccount;
  return isCrossAuthPlatform(provider) ? PLATFORM_ACCOUNT_VALIDATORS[provider]! : validateSocialAccount;
}

/** A schema error as `field: reason`, the field relative to `prefix`. */
export function describeSchemaError(error: ErrorObject, prefix = ''): { field: string; reason: string } {
  const field = fieldOf(error);
  return { field: prefix && field ? (field.startsWith('[') ? `${prefix}${field}` : `${prefix}.${field}`) : prefix || field, reason: reasonOf(error) };
}

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
  if (error.keyword === 'oneOf' || error.keyword === 'anyOf') return 'has the wrong form (a string, or {"env": "NAME"} to read it from the environment)';
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

/** The profile's expectations file; a problem with it names the profile's `expectations` field and the file. */
function loadExpectationsOf(profileFile: string, file: string): Record<AnswerCase, Expectation> {
  try {
    return loadExpectations(file);
  } catch (error) {
    if (!(error instanceof ProfileError)) throw error;
    throw new ProfileError(profileFile, 'expectations', `expectations file ${file}: ${error.field || '(root)'}: ${error.reason}`);
  }
}

/**
 * The facts an expectations file keeps besides its cases (an adopted learned file's: Retry-After on every 429, its
 * form; lib/drift/retry-after-facts.ts). Undefined when it has none or cannot be read (loadProfile reports that).
 */
export function expectationFacts(file: string): { retryAfter?: RetryAfterFact } | undefined {
  try {
    const raw = readDocument(file) as { facts?: { retryAfter?: RetryAfterFact } };
    return raw.facts;
  } catch {
    return undefined;
  }
}

function loadExpectations(file: string): Record<AnswerCase, Expectation> {
  const raw = readDocument(file);
  if (!validateExpectations(raw)) {
    const error = validateExpectations.errors![0]!;
    throw new ProfileError(file, fieldOf(error), reasonOf(error));
  }
  const cases = (raw as { cases: Record<string, { status: number | number[]; code: string | null }> }).cases;
  const unknown = Object.keys(cases).filter((k) => !(ANSWER_CASES as string[]).includes(k));
  if (unknown.length > 0) throw new ProfileError(file, `cases.${unknown[0]}`, unknownNameReason(unknown[0]!, 'a case of contract/answers.ts', ANSWER_CASES));
  const out = {} as Record<AnswerCase, Expectation>;
  for (const name of ANSWER_CASES) {
    const found = cases[name];
    // A case the file leaves out is not an error: no suite may exercise it on this target. It gets the loose
    // default, and a test that checks it is labelled "unpinned expectation" in the report.
    const loose = name === 'rateLimited' ? UNPINNED_RATE_LIMITED : UNPINNED_EXPECTATION;
    if (!found) out[name] = { status: [...loose.status], code: loose.code, unpinned: true };
    else out[name] = { status: Array.isArray(found.status) ? found.status : [found.status], code: found.code };
  }
  return out;
}

/** Every name a provider key may have: the documents' social networks and cross_auth platforms. */
const PROVIDER_NAMES: readonly string[] = [...SOCIAL_PROVIDERS, ...CROSS_AUTH_PLATFORMS];

/**
 * Provider names are keys a person types: a misspelt one (`facebok`, `qqmobile`) would load and silently test
 * nothing for that provider, so every one must be a name the documents use. Checked before the schema, so the
 * error suggests the right name rather than only calling the field unknown.
 */
function checkProviderNames(raw: unknown, file: string): void {
  if (raw === null || typeof raw !== 'object') return;
  const doc = raw as Record<string, unknown>;
  const check = (name: unknown, field: string): void => {
    if (typeof name === 'string' && !PROVIDER_NAMES.includes(name)) throw new ProfileError(file, field, unknownNameReason(name, 'a provider the documents name', PROVIDER_NAMES));
  };
  if (Array.isArray(doc.providers)) doc.providers.forEach((name, i) => check(name, `providers[${i}]`));
  for (const section of ['credentials', 'newPlatformUsers', 'credentialTemplates']) {
    const value = doc[section];
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) for (const key of Object.keys(value)) check(key, `${section}.${key}`);
  }
  check(doc.defaultProvider, 'defaultProvider');
}

/** RFC 4648 §4, padded: what "encoded according to the Base64 standard" means for session_ticket. */
const STANDARD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * `sessionTicket` is what goes into the session_ticket parameter: the platform's ticket already Base64-encoded
 * (crossAuth: "Session ticket received from the platform encoded according to the Base64 standard"). The raw
 * form is not accepted: a hex ticket is itself valid Base64 text, so the two cannot be told apart, and a value
 * outside the alphabet may be URL-safe Base64 as well as raw; the error says how to encode it instead.
 */
function checkSessionTickets(doc: Record<string, any>, file: string): void {
  for (const section of ['credentials', 'newPlatformUsers']) {
    for (const platform of ['steam', 'xbox']) {
      const list: unknown = doc[section]?.[platform];
      if (!Array.isArray(list)) continue;
      list.forEach((account: unknown, i) => {
        const reason = sessionTicketProblem(account);
        if (reason) throw new ProfileError(file, `${section}.${platform}[${i}].sessionTicket`, reason);
      });
    }
  }
}

/** Why an account's sessionTicket is not what session_ticket takes, or undefined when it is (or has none). */
export function sessionTicketProblem(account: unknown): string | undefined {
  const ticket = (account as { sessionTicket?: unknown } | null)?.sessionTicket;
  if (typeof ticket !== 'string' || STANDARD_BASE64.test(ticket)) return undefined;
  return 'is not standard Base64 (A-Z a-z 0-9 + /, padded with =): give the ticket Base64-encoded, exactly as it is sent in session_ticket (e.g. printf %s "$RAW_TICKET" | base64 -w0)';
}

const isSource = (value: unknown): boolean => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * An account list written as an object is a credential source: checked against its own definition first, so a
 * mistake in it is named in its terms (`credentials.facebook.command: is required`) rather than as "must be array".
 */
function checkSourceShapes(raw: unknown, file: string): void {
  if (raw === null || typeof raw !== 'object') return;
  for (const section of ['credentials', 'newPlatformUsers'] as const) {
    const lists = (raw as Record<string, unknown>)[section];
    if (lists === null || typeof lists !== 'object') continue;
    for (const [provider, value] of Object.entries(lists)) {
      if (!isSource(value) || validateCredentialSource(value)) continue;
      const { field, reason } = describeSchemaError(validateCredentialSource.errors![0]!, `${section}.${provider}`);
      throw new ProfileError(file, field, `${reason} (an account list is an array of accounts, or a credential source {"command": [...], "run": "once" | "perTest", "timeoutSeconds": 30, "refreshSeconds": 2700, "env": {...}})`);
    }
  }
}

/** Takes the credential sources out of the account lists (they are resolved at run time, not here). */
function extractSources(doc: Record<string, any>, file: string, secrets: string[]): CredentialSource[] {
  const out: CredentialSource[] = [];
  for (const section of ['credentials', 'newPlatformUsers'] as const) {
    const lists = doc[section] as Record<string, unknown> | undefined;
    if (!lists) continue;
    for (const [provider, value] of Object.entries(lists)) {
      if (!isSource(value)) continue;
      const source = value as { command: string[]; run?: 'once' | 'perTest'; timeoutSeconds?: number; refreshSeconds?: number; env?: Record<string, string> };
      const run = source.run ?? 'once';
      if (source.refreshSeconds !== undefined && run !== 'once') {
        throw new ProfileError(file, `${section}.${provider}.refreshSeconds`, 'is for "run": "once" only (a perTest source runs for every account a test takes already)');
      }
      out.push({
        field: `${section}.${provider}`, section, provider, command: source.command, run,
        timeoutSeconds: source.timeoutSeconds ?? 30, ...(source.refreshSeconds !== undefined ? { refreshSeconds: source.refreshSeconds } : {}), env: source.env ?? {}, cwd: dirname(file),
      });
      // Every value of its env is a secret, a literal one too.
      secrets.push(...Object.values(source.env ?? {}));
      delete lists[provider];
    }
  }
  return out;
}

/** For each literal account of `credentials`: the environment variables its secrets come from, else its field. */
function accountOriginsOf(raw: Record<string, unknown>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const lists = raw.credentials as Record<string, unknown> | undefined;
  for (const [provider, list] of Object.entries(lists ?? {})) {
    if (!Array.isArray(list)) continue;
    out[provider] = list.map((account: Record<string, unknown>, i) => {
      const names = Object.values(account ?? {})
        .map((v) => (v !== null && typeof v === 'object' ? (v as { env?: unknown }).env : undefined))
        .filter((n): n is string => typeof n === 'string');
      return names.length > 0 ? names.join(' + ') : `credentials.${provider}[${i}]`;
    });
  }
  return out;
}

/** `baseUrl` may come from the environment (a server on a port chosen at start-up); it is not a secret. */
function resolveBaseUrl(value: unknown, file: string, env: NodeJS.ProcessEnv): string {
  let url = value;
  if (value !== null && typeof value === 'object') {
    const name = (value as { env: string }).env;
    url = env[name];
    if (url === undefined || url === '') throw new ProfileError(file, 'baseUrl', `environment variable ${name} is not set`);
  }
  if (typeof url !== 'string' || !/^https?:\/\/[^\s]+$/.test(url)) throw new ProfileError(file, 'baseUrl', `must be an http(s) URL; got ${JSON.stringify(url)}`);
  if (!url.replace(/\/+$/, '').endsWith('/api')) throw new ProfileError(file, 'baseUrl', 'must end in /api (e.g. https://login.xsolla.com/api)');
  return url.replace(/\/+$/, '');
}

/** The provider of provider-independent tests: the profile's choice, checked, else the documented rule. */
function resolveDefaultProvider(doc: Record<string, any>, providers: string[], file: string): string | undefined {
  // A credential source counts: what it prints is known only at run time, and a failure of it skips its tests, saying so.
  const usable = (p: string) => !isCrossAuthPlatform(p) && ((doc.credentials?.[p]?.length ?? 0) > 0 || isSource(doc.credentials?.[p]) || doc.credentialTemplates?.[p] !== undefined);
  const chosen: unknown = doc.defaultProvider;
  if (typeof chosen === 'string') {
    if (isCrossAuthPlatform(chosen)) throw new ProfileError(file, 'defaultProvider', `"${chosen}" is a cross_auth platform; provider-independent tests sign in with a social network`);
    if (!providers.includes(chosen)) throw new ProfileError(file, 'defaultProvider', `"${chosen}" is not in providers (${providers.join(', ')})`);
    if (!usable(chosen)) throw new ProfileError(file, 'defaultProvider', `"${chosen}" has no accounts: add one under credentials.${chosen}`);
    return chosen;
  }
  return providers.find(usable);
}

export function loadProfile(path: string = DEFAULT_PROFILE_PATH, env: NodeJS.ProcessEnv = process.env): TargetProfile {
  const file = resolve(path);
  const raw = readDocument(file);
  checkProviderNames(raw, file);
  checkSourceShapes(raw, file);
  if (!validateProfile(raw)) {
    const error = validateProfile.errors![0]!;
    throw new ProfileError(file, fieldOf(error), reasonOf(error));
  }
  const { baseUrl: rawBaseUrl, ...rest } = raw as Record<string, unknown>;
  const baseUrl = resolveBaseUrl(rawBaseUrl, file, env);
  const secrets: string[] = [];
  collectLiteralSecrets(rest, secrets);
  const doc = resolveSecrets(rest, '', file, env, secrets) as Record<string, any>;
  checkSessionTickets(doc, file);
  const accountOrigins = accountOriginsOf(rest);
  for (const key of ['multiRedirect', 'singleRedirect'] as const) {
    const n = doc.oauth[key].redirectUris.length;
    if (key === 'multiRedirect' && n < 2) throw new ProfileError(file, 'oauth.multiRedirect.redirectUris', 'must list two or more registered URIs');
    if (key === 'singleRedirect' && n !== 1) throw new ProfileError(file, 'oauth.singleRedirect.redirectUris', 'must list exactly one registered URI');
  }
  const expectationsPath = resolve(dirname(file), doc.expectations);
  const providers: string[] = doc.providers ?? [...SOCIAL_PROVIDERS];
  const defaultProvider = resolveDefaultProvider(doc, providers, file);
  const sources: TargetProfile['sources'] = { credentials: {}, newPlatformUsers: {} };
  for (const source of extractSources(doc, file, secrets)) sources[source.section][source.provider] = source;
  return {
    path: file,
    name: doc.name,
    kind: doc.kind,
    baseUrl,
    projectId: doc.projectId,
    providers,
    ...(defaultProvider ? { defaultProvider } : {}),
    oauth: doc.oauth,
    credentials: doc.credentials ?? {},
    newPlatformUsers: doc.newPlatformUsers ?? {},
    sources,
    accountOrigins,
    unavailable: {},
    credentialTemplates: doc.credentialTemplates ?? {},
    ...(doc.rejectedCredentialTemplate ? { rejectedCredentialTemplate: doc.rejectedCredentialTemplate } : {}),
    ...(doc.rateLimit ? { rateLimit: doc.rateLimit } : {}),
    intrusive: { rateLimit: doc.intrusive?.rateLimit ?? false, logoutSharedAccounts: doc.intrusive?.logoutSharedAccounts ?? false },
    load: {
      allowNonLoopback: doc.load?.allowNonLoopback ?? false,
      maxRate: doc.load?.maxRate ?? 1000,
      maxDurationSeconds: doc.load?.maxDurationSeconds ?? 600,
      slo: { ...DEFAULT_SLO, ...doc.load?.slo },
      regression: { ...DEFAULT_REGRESSION, ...doc.load?.regression },
    },
    timeouts: { requestMs: doc.timeouts?.requestMs ?? 10_000, connectMs: doc.timeouts?.connectMs ?? 3_000 },
    expectationsPath,
    expectations: loadExpectationsOf(file, expectationsPath),
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
