import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { withFileLock } from './file-lock.ts';
import { accountValidator, describeSchemaError, sessionTicketProblem, type Account, type CredentialSource, type TargetProfile } from './profile.ts';
import { Redactor } from './redact.ts';
import { RUN_ENV } from './report-labels.ts';

/**
 * Credential sources: an account list of the profile written as a command (`{"command": [...], "run": "once" |
 * "perTest", "timeoutSeconds": 30, "env": {...}}`), after kubectl's exec credential plugins and AWS's
 * credential_process. The command runs with no shell, in the profile's folder, with the harness's environment plus
 * its `env`; it prints on stdout one account or a non-empty array of them, in the profile's own account format for
 * the provider, checked by the profile schema's own definitions.
 *
 * - `once`: runs once per run. Its result (accounts, or why it failed) is kept in a file of the run's folder in the
 *   system temp folder (mode 0600, the folder 0700), taken under a file lock, so every worker, shard on this
 *   machine and stage of the run reads the same accounts and the command never runs twice. Accounts that expire
 *   during a run are fetched again the same way (once for all) when a test takes one after `refreshSeconds`, or
 *   before the end of the life the command printed (`{"accounts": [...], "expiresInSeconds": N}`): staleAtMs.
 * - `perTest`: runs each time a test takes an account; the account is that test's alone. For newPlatformUsers it
 *   may print several credentials of the one new user (a test that signs that user in more than once uses each in
 *   turn: credentials that work once).
 *
 * Everything a source prints is a secret: its string values are added to the profile's secrets in this process and
 * written to the run's secrets file, which the processes that write reports (the redacting reporter, the main job)
 * read, so they are redacted wherever the profile's own secrets are.
 */

/**
 * What a source gave: its accounts (with when they were fetched and, if the command said so, how long they live), or
 * why it failed.
 */
export type SourceResult = { ok: true; accounts: Account[]; fetchedAtMs?: number; expiresInSeconds?: number } | { ok: false; reason: string };

/** The clock (ms since the epoch); injectable so a test passes a token's lifetime without waiting it. */
export type Clock = () => number;

/**
 * When a `once` source's accounts must be fetched again: `refreshSeconds` after they were fetched, or before the end
 * of the life the command gave them (`expiresInSeconds`) with a margin of half that life, at most 60 s (as AWS's SDKs
 * refresh a credential_process credential minutes before its Expiration, and kubectl runs its exec plugin again at
 * status.expirationTimestamp: a test that takes the account must still have time to use it). Infinity: never.
 */
export function staleAtMs(source: Pick<CredentialSource, 'refreshSeconds'>, result: SourceResult): number {
  if (!result.ok || result.fetchedAtMs === undefined) return Infinity;
  const limits: number[] = [];
  if (source.refreshSeconds !== undefined) limits.push(source.refreshSeconds * 1000);
  if (result.expiresInSeconds !== undefined) {
    const life = result.expiresInSeconds * 1000;
    limits.push(life - Math.min(60_000, life / 2));
  }
  return limits.length === 0 ? Infinity : result.fetchedAtMs + Math.min(...limits);
}

const MAX_STDOUT = 1024 * 1024;
const MAX_STDERR = 64 * 1024;
/** How much of a failing command's stderr a message quotes: its last lines, trimmed. */
const STDERR_LINES = 6;
const STDERR_CHARS = 600;

/** The argv as a person would type it (for messages; each element quoted only when it needs to be). */
export function renderArgv(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}

/** The one message about a source that failed: the provider, the field, the command and why. */
export function sourceFailure(source: Pick<CredentialSource, 'provider' | 'field' | 'command'>, reason: string, secrets: readonly string[] = []): string {
  return new Redactor(secrets).text(`${source.provider}: the credential source of ${source.field} (\`${renderArgv(source.command)}\`) ${reason}`);
}

/** Every string value of what a source printed: all of it is secret. */
export function secretsOfOutput(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(secretsOfOutput);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(secretsOfOutput);
  return [];
}

function lastLines(text: string): string {
  const lines = text.replace(/\x1b\[[0-9;]*m/g, '').split('\n').map((l) => l.trimEnd()).filter((l) => l.trim() !== '');
  const tail = lines.slice(-STDERR_LINES).join(' / ');
  return tail.length > STDERR_CHARS ? `…${tail.slice(-STDERR_CHARS)}` : tail;
}

/** Checks what a source printed against the profile's account format for its provider; the accounts, or why not. */
export function parseSourceOutput(source: Pick<CredentialSource, 'section' | 'provider'>, stdout: string): SourceResult {
  const text = stdout.trim();
  if (text === '') return { ok: false, reason: 'printed nothing on stdout (it must print the accounts as JSON)' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Not even the parser's message: it quotes the start of the output, which may be a secret.
    return { ok: false, reason: `printed output that is not JSON (${Buffer.byteLength(text)} bytes on stdout, not shown: it may hold secrets)` };
  }
  // {"accounts": ..., "expiresInSeconds": N}: the accounts and how long they live (no account has a field "accounts").
  let expiresInSeconds: number | undefined;
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'accounts' in value) {
    const wrapper = value as Record<string, unknown>;
    const extra = Object.keys(wrapper).find((k) => k !== 'accounts' && k !== 'expiresInSeconds');
    if (extra !== undefined) return { ok: false, reason: `printed a wrong wrapper: ${extra} is not a known field (it may hold "accounts" and "expiresInSeconds")` };
    if ('expiresInSeconds' in wrapper) {
      const e = wrapper.expiresInSeconds;
      if (typeof e !== 'number' || !Number.isFinite(e) || e <= 0) return { ok: false, reason: 'printed a wrong wrapper: expiresInSeconds must be a number of seconds greater than 0' };
      expiresInSeconds = e;
    }
    value = wrapper.accounts;
  }
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) return { ok: false, reason: 'printed an empty list (it must print one account or a non-empty array of them)' };
  const validate = accountValidator(source.section, source.provider);
  for (const [i, account] of list.entries()) {
    const at = Array.isArray(value) ? `[${i}]` : '';
    if (account === null || typeof account !== 'object' || Array.isArray(account)) {
      return { ok: false, reason: `printed a wrong account: ${at || 'the output'} is not an account object (e.g. {"accessToken": "..."})` };
    }
    if (!validate(account)) {
      const { field, reason } = describeSchemaError(validate.errors![0]!, at);
      return { ok: false, reason: `printed a wrong account: ${field || 'the account'} ${reason}` };
    }
    for (const [key, field] of Object.entries(account as Record<string, unknown>)) {
      // The schema lets a profile write {"env": "NAME"}; a source prints the value itself.
      if (key !== 'singleUse' && typeof field !== 'string') return { ok: false, reason: `printed a wrong account: ${at ? `${at}.` : ''}${key} must be a string (the value itself)` };
    }
    const ticket = sessionTicketProblem(account);
    if (ticket) return { ok: false, reason: `printed a wrong account: ${at ? `${at}.` : ''}sessionTicket ${ticket}` };
  }
  return { ok: true, accounts: list as Account[], ...(expiresInSeconds !== undefined ? { expiresInSeconds } : {}) };
}

/**
 * A relative path in the command that names no file in the profile's folder, where the command runs: the likely
 * reason a source fails at once (a snippet written for a profile in another folder), said beside its own error.
 */
export function missingRelativePath(source: Pick<CredentialSource, 'command' | 'cwd'>): string | undefined {
  const looksLikeFile = (arg: string): boolean => !arg.startsWith('-') && !/\s/.test(arg) && !isAbsolute(arg) && !/^\w+:/.test(arg) && (arg.includes('/') || /\.(ts|mts|js|mjs|cjs|py|sh|rb)$/.test(arg));
  const missing = source.command.find((arg) => looksLikeFile(arg) && !existsSync(resolve(source.cwd, arg)));
  return missing === undefined ? undefined : `; no file ${missing} in the profile's folder ${source.cwd}, where the command runs: write the path from that folder`;
}

/**
 * Runs a source's command once and reads its accounts. Never throws: a command that cannot start, exits non-zero,
 * outlives its timeout or prints something else than accounts gives the reason (stderr quoted, redacted).
 * `secrets`: the profile's, to redact from the quoted stderr (the source's env values are added).
 */
export function runCredentialSource(source: CredentialSource, secrets: readonly string[] = []): Promise<SourceResult> {
  return new Promise((done) => {
    const [file, ...args] = source.command;
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let settled = false;
    const finish = (result: SourceResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      done(result);
    };
    // Its own process group (detached), so a timeout kills what it started too (npx → tsx → node).
    const child = spawn(file!, args, { cwd: source.cwd, env: { ...process.env, ...source.env }, shell: false, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const kill = (): void => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, source.timeoutSeconds * 1000);
    child.stdout.on('data', (chunk: Buffer) => {
      if (stdout.length < MAX_STDOUT) stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      if (stderr.length > MAX_STDERR) stderr = stderr.slice(-MAX_STDERR);
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      finish({ ok: false, reason: `could not be started: ${error.code ?? error.message}${error.code === 'ENOENT' ? ` (no program "${file}" on PATH or in ${source.cwd})` : ''}` });
    });
    child.once('close', (code, signal) => {
      if (timedOut) return finish({ ok: false, reason: `did not finish within ${source.timeoutSeconds} s (timeoutSeconds) and was killed` });
      if (code !== 0) {
        // Whatever it printed may be secret: its stdout, if it is JSON, joins the values redacted from stderr.
        let printed: string[] = [];
        try {
          printed = secretsOfOutput(JSON.parse(stdout));
        } catch {
          // not JSON: nothing more to redact by value
        }
        const redactor = new Redactor([...secrets, ...Object.values(source.env), ...printed]);
        const said = lastLines(stderr);
        return finish({ ok: false, reason: `${signal ? `was ended by ${signal}` : `exited with code ${code}`}${said ? `: stderr: ${redactor.text(said)}` : ' (nothing on stderr)'}${missingRelativePath(source) ?? ''}` });
      }
      finish(parseSourceOutput(source, stdout));
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The run's folder: what every process of one run shares (a source's accounts, the secrets it printed, the
// credential check's verdicts). A run is HARNESS_RUN_ID: the main job sets it for all its stages, else Playwright's
// global setup for its workers.

const hash = (...parts: string[]): string => createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);

let processRun: string | undefined;
/** This run's id; a process outside any run (a tool run alone) is a run of its own. */
export function currentRunId(env: NodeJS.ProcessEnv = process.env): string {
  const id = env[RUN_ENV];
  if (id) return id;
  processRun ??= `process-${process.pid}-${Date.now()}`;
  return processRun;
}

/** The run's folder in the system temp folder (0700: what is in it is secret). */
export function runDir(runId: string): string {
  return join(tmpdir(), `login-harness-run-${hash(runId)}`);
}

function ensureRunDir(runId: string): string {
  const dir = runDir(runId);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** Writes a file of the run's folder, readable by this user only. */
export function writeRunFile(runId: string, name: string, value: unknown): void {
  const path = join(ensureRunDir(runId), name);
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(value), { mode: 0o600 });
  // rename keeps a reader from seeing half a file
  renameSync(temp, path);
}

export function readRunFile<T>(runId: string, name: string): T | undefined {
  try {
    return JSON.parse(readFileSync(join(runDir(runId), name), 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Adds secrets a source printed to the run's list, for the processes that redact reports. */
export function recordRunSecrets(runId: string, values: readonly string[]): void {
  const kept = values.filter((v) => v.length >= 4);
  if (kept.length === 0) return;
  appendFileSync(join(ensureRunDir(runId), 'secrets.jsonl'), `${JSON.stringify(kept)}\n`, { mode: 0o600 });
}

/** Every secret a source of this run printed so far. */
export function readRunSecrets(runId: string = currentRunId()): string[] {
  let text: string;
  try {
    text = readFileSync(join(runDir(runId), 'secrets.jsonl'), 'utf8');
  } catch {
    return [];
  }
  const out = new Set<string>();
  for (const line of text.split('\n')) {
    try {
      for (const v of JSON.parse(line) as string[]) out.add(v);
    } catch {
      // a line being written right now, or blank
    }
  }
  return [...out];
}

/** Deletes the run's folder (its accounts and secrets) at the end of the run. */
export function removeRunDir(runId: string): void {
  rmSync(runDir(runId), { recursive: true, force: true });
}

/** Prints `line` to stderr once per run, whichever process gets there first. */
export function printOncePerRun(runId: string, key: string, line: string): boolean {
  try {
    writeFileSync(join(ensureRunDir(runId), `printed-${hash(key)}`), '', { flag: 'wx', mode: 0o600 });
  } catch {
    return false;
  }
  process.stderr.write(`${line}\n`);
  return true;
}

const sourceFile = (source: CredentialSource): string => `source-${hash(source.cwd, source.field, ...source.command, ...Object.keys(source.env).sort())}.json`;

/**
 * A `once` source's result for this run: the first caller runs the command (under a lock, so two workers or shards
 * never both run it) and keeps the result in the run's folder; everyone after reads it. `ranHere` tells the caller
 * that ran it (it prints a failure, once).
 */
export async function onceSourceResult(source: CredentialSource, runId: string, secrets: readonly string[] = [], now: Clock = Date.now): Promise<SourceResult & { ranHere: boolean }> {
  const name = sourceFile(source);
  const waitMs = (source.timeoutSeconds + 60) * 1000;
  return withFileLock(`credential source ${runDir(runId)} ${name}`, async () => {
    const cached = readRunFile<SourceResult>(runId, name);
    // Accounts past their refresh time are fetched again; a failure is kept for the run (it is not retried per test).
    if (cached && now() < staleAtMs(source, cached)) return { ...cached, ranHere: false };
    const fetchedAtMs = now();
    const result = await runCredentialSource(source, secrets);
    const kept: SourceResult = result.ok ? { ...result, fetchedAtMs } : { ok: false, reason: sourceFailure(source, result.reason, secrets) };
    if (kept.ok) recordRunSecrets(runId, secretsOfOutput(kept.accounts));
    writeRunFile(runId, name, kept);
    return { ...kept, ranHere: true };
  }, { timeoutMs: waitMs, staleMs: waitMs });
}

/**
 * A fresh account from a `perTest` source, for one test (or the credential check). A source that has failed once in
 * this run is not run again: every later test is skipped with its first failure (printed once).
 */
export async function takeFromSource(profile: TargetProfile, source: CredentialSource, runId: string = currentRunId()): Promise<{ account: Account; accounts: Account[] } | { reason: string }> {
  const failedName = sourceFile(source).replace(/\.json$/, '.failed.json');
  const failed = readRunFile<{ reason: string }>(runId, failedName);
  if (failed) return failed;
  const result = await runCredentialSource(source, profile.secrets);
  if (!result.ok) {
    const reason = sourceFailure(source, result.reason, profile.secrets);
    writeRunFile(runId, failedName, { reason });
    printOncePerRun(runId, `source ${failedName}`, reason);
    return { reason };
  }
  const printed = secretsOfOutput(result.accounts);
  profile.secrets.push(...printed.filter((s) => s.length >= 4));
  recordRunSecrets(runId, printed);
  return { account: result.accounts[0]!, accounts: result.accounts };
}

const prepared = new WeakSet<TargetProfile>();
/** Per `once` source of this process's profile: when its accounts must be fetched again (staleAtMs). */
const staleAt = new WeakMap<CredentialSource, number>();

/** Puts a `once` source's result into the profile (accounts and secrets, or the reason its tests are skipped). */
function applyOnceResult(profile: TargetProfile, source: CredentialSource, result: SourceResult & { ranHere: boolean }, runId: string): void {
  if (result.ok) {
    if (source.section === 'credentials') profile.credentials[source.provider] = result.accounts;
    else profile.newPlatformUsers[source.provider] = result.accounts;
    profile.secrets.push(...secretsOfOutput(result.accounts).filter((s) => s.length >= 4));
    staleAt.set(source, staleAtMs(source, result));
  } else {
    profile.unavailable[source.field] = result.reason;
    staleAt.delete(source);
    if (result.ranHere) printOncePerRun(runId, `source ${source.field}`, result.reason);
  }
}

/**
 * Before a test takes an account of `section.provider`: when its `once` source's accounts are due to be fetched again
 * (refreshSeconds, or the life the command gave them), the first process to get here runs the command again and every
 * other reads what it printed (onceSourceResult). Nothing to do for a list, a perTest source or fresh accounts.
 */
export async function refreshIfStale(profile: TargetProfile, section: 'credentials' | 'newPlatformUsers', provider: string, runId: string = currentRunId(), now: Clock = Date.now): Promise<void> {
  const source = profile.sources[section][provider];
  if (source?.run !== 'once' || profile.unavailable[source.field] !== undefined) return;
  const due = staleAt.get(source);
  if (due === undefined || now() < due) return;
  applyOnceResult(profile, source, await onceSourceResult(source, runId, profile.secrets, now), runId);
}

/**
 * Readies a profile for this process's tests: the accounts of its `once` sources (run by the first process of the run
 * that needs them) go into its account lists and their values into its secrets; a source that failed, and a provider
 * whose account was refused before the suites (lib/credential-check.ts), go into `unavailable` with the reason.
 */
export async function prepareCredentials(profile: TargetProfile, runId: string = currentRunId(), now: Clock = Date.now): Promise<TargetProfile> {
  if (prepared.has(profile)) return profile;
  // All at once: a source that ran last must not hand out accounts older than the others' by the sum of their times.
  const once = [...Object.values(profile.sources.credentials), ...Object.values(profile.sources.newPlatformUsers)].filter((s) => s.run === 'once');
  const results = await Promise.all(once.map((source) => onceSourceResult(source, runId, profile.secrets, now)));
  once.forEach((source, i) => applyOnceResult(profile, source, results[i]!, runId));
  const verdicts = readRunFile<CheckVerdicts>(runId, checkFileName(profile));
  for (const [field, reason] of Object.entries(verdicts?.unavailable ?? {})) profile.unavailable[field] ??= reason;
  prepared.add(profile);
  return profile;
}

/** What the credential check before the suites found (lib/credential-check.ts writes it once per run). */
export interface CheckVerdicts {
  /** Fields whose tests are skipped, with the reason. */
  unavailable: Record<string, string>;
}

export const checkFileName = (profile: Pick<TargetProfile, 'path'>): string => `check-${hash(profile.path)}.json`;
