import { randomBytes } from 'node:crypto';
import { Agent, request } from 'undici';
import { Stage, Status, type Label } from 'allure-js-commons';
import { FileSystemWriter, ReporterRuntime } from 'allure-js-commons/sdk/reporter';
import { CROSS_AUTH_PLATFORMS, ENDPOINTS, endpointPath, isCrossAuthPlatform } from '../contract/index.ts';
import { platformQuery, socialBody } from './accounts.ts';
import { checkFileName, prepareCredentials, readRunFile, refreshIfStale, renderArgv, runDir, takeFromSource, writeRunFile, type CheckVerdicts } from './credential-sources.ts';
import { canMint, singleUseAccounts } from './credentials.ts';
import { withFileLock } from './file-lock.ts';
import type { Account, PlatformAccount, SocialAccount, TargetProfile } from './profile.ts';
import { Redactor } from './redact.ts';
import { CREDENTIALS_REFUSED_TAG } from './report-labels.ts';

/**
 * The credential check before the suites: each provider's first account signs in once (one request per provider,
 * the cross_auth platforms included), so an expired credential is reported as one thing to renew instead of as
 * dozens of failed checks. Run once per run (the first Playwright global setup of the run; later stages and shards
 * on this machine read its verdicts from the run's folder).
 *
 * - A provider whose account the social network refuses (the target answers a 4xx where the account should sign in)
 *   on a `remote` target: its tests are skipped, each saying why, and the run gets ONE broken result for it in the
 *   report's "Credentials refused" category, naming where the account came from (never the account). A broken
 *   result fails the quality gate, so a server that refuses every valid credential still fails the run.
 * - A credential source that failed: the same, with the source's message.
 * - On the simulator (kind `simulator`) a refusal skips nothing: its profile's accounts are valid by construction, so
 *   a refusal is a defect the suites must report as failed checks (verify:harness depends on it). Providers whose
 *   accounts the harness mints (credentialTemplates) are not checked at all: a fresh account has nothing to renew.
 * - Single-use credentials are never spent on the check: a perTest source gives the check a fresh account of its own;
 *   a provider with only `singleUse` accounts is left to the tests that take them (and the log says so).
 * - A 5xx, a timeout or an unreachable target proves nothing about the credential: its tests run and their checks say
 *   what went wrong.
 */

export { CREDENTIALS_REFUSED_TAG };

export type Verdict =
  | { provider: string; outcome: 'accepted'; status: number }
  | { provider: string; outcome: 'refused'; status: number; code: string | null; message: string }
  | { provider: string; outcome: 'source failed'; message: string }
  | { provider: string; outcome: 'not checked'; why: string };

/** The one line about a refused account: what was refused, how, and what to do. */
export function refusalMessage(provider: string, origin: string, status: number, code: string | null): string {
  return `${provider}: the account from ${origin} was refused (${status}${code ? ` ${code}` : ''}): renew it, or the server refuses valid credentials`;
}

/** The providers whose accounts the check signs in with: the profile's social providers, then the platforms. */
export function providersToCheck(profile: TargetProfile): string[] {
  const candidates = [...profile.providers.filter((p) => !isCrossAuthPlatform(p)), ...CROSS_AUTH_PLATFORMS];
  return candidates.filter((p) => !canMint(profile, p) && ((profile.credentials[p]?.length ?? 0) > 0 || profile.sources.credentials[p] !== undefined));
}

interface Answer {
  status: number;
  code: string | null;
}

/** One sign-in with `account`, as the suites make it: login_with_token for a social network, cross_auth for a platform. */
async function signIn(profile: TargetProfile, provider: string, account: Account): Promise<Answer> {
  const client = profile.oauth.singleRedirect;
  const platform = isCrossAuthPlatform(provider);
  const endpoint = platform ? ENDPOINTS.crossAuth : ENDPOINTS.jwtLogin;
  const query: Record<string, string> = platform
    ? { ...platformQuery(account as PlatformAccount), client_id: String(client.clientId), response_type: 'code', state: `check-${randomBytes(8).toString('hex')}`, redirect_uri: client.redirectUris[0]!, is_redirect: 'false' }
    : { projectId: profile.projectId };
  const url = `${profile.baseUrl}${endpointPath(platform ? 'crossAuth' : 'jwtLogin', provider)}?${new URLSearchParams(query).toString()}`;
  const dispatcher = new Agent({ connect: { timeout: profile.timeouts.connectMs } });
  try {
    const answer = await request(url, {
      method: endpoint.method,
      dispatcher,
      headers: { accept: 'application/json', ...(platform ? {} : { 'content-type': 'application/json' }) },
      ...(platform ? {} : { body: JSON.stringify(socialBody(account as SocialAccount)) }),
      headersTimeout: profile.timeouts.requestMs,
      bodyTimeout: profile.timeouts.requestMs,
    });
    const text = await answer.body.text();
    let code: string | null = null;
    try {
      const parsed = JSON.parse(text) as { error?: { code?: unknown } };
      if (typeof parsed.error?.code === 'string') code = parsed.error.code;
    } catch {
      // not JSON: the status says enough
    }
    return { status: answer.statusCode, code };
  } finally {
    await dispatcher.close();
  }
}

/** The account the check uses for `provider` and where it came from, or why the provider is not checked. */
async function accountToCheck(profile: TargetProfile, provider: string): Promise<{ account: Account; origin: string } | { skip: string } | { failed: string }> {
  const source = profile.sources.credentials[provider];
  const from = source ? `the credential source \`${renderArgv(source.command)}\`` : undefined;
  if (source?.run === 'perTest') {
    // A fresh account of the check's own: the tests' accounts are not spent on it.
    const taken = await takeFromSource(profile, source);
    return 'account' in taken ? { account: taken.account, origin: from! } : { failed: taken.reason };
  }
  const list = profile.credentials[provider] ?? [];
  const index = list.findIndex((a) => a.singleUse !== true);
  if (index >= 0) return { account: list[index]!, origin: from ?? profile.accountOrigins[provider]?.[index] ?? `credentials.${provider}[${index}]` };
  if (singleUseAccounts(list).length > 0) return { skip: 'its accounts are single-use: each is checked by the test that takes it, not spent here' };
  return { skip: 'no account' };
}

async function checkProvider(profile: TargetProfile, provider: string, runId: string): Promise<Verdict> {
  // Accounts fetched a while ago (the other sources ran first) that are due to be fetched again are, before the check.
  await refreshIfStale(profile, 'credentials', provider, runId);
  const failed = profile.unavailable[`credentials.${provider}`];
  if (failed !== undefined) return { provider, outcome: 'source failed', message: failed };
  const chosen = await accountToCheck(profile, provider);
  if ('failed' in chosen) return { provider, outcome: 'source failed', message: chosen.failed };
  if ('skip' in chosen) return { provider, outcome: 'not checked', why: chosen.skip };
  let answer: Answer;
  try {
    answer = await signIn(profile, provider, chosen.account);
  } catch (error) {
    return { provider, outcome: 'not checked', why: `the sign-in got no answer (${(error as Error & { code?: string }).code ?? (error as Error).message}): its tests run and say what went wrong` };
  }
  if (answer.status >= 400 && answer.status < 500) {
    return { provider, outcome: 'refused', status: answer.status, code: answer.code, message: refusalMessage(provider, chosen.origin, answer.status, answer.code) };
  }
  if (answer.status >= 500) return { provider, outcome: 'not checked', why: `the target answered ${answer.status}: its tests run and say what went wrong` };
  return { provider, outcome: 'accepted', status: answer.status };
}

/** One broken result for a provider whose credentials the run cannot use, in the "Credentials refused" category. */
export function writeCredentialResult(resultsDir: string, provider: string, message: string): void {
  const runtime = new ReporterRuntime({ writer: new FileSystemWriter({ resultsDir }) });
  const now = Date.now();
  const labels: Label[] = [
    { name: 'parentSuite', value: 'credentials' },
    { name: 'feature', value: 'credentials sign in before the suites' },
    { name: 'story', value: provider },
    { name: 'severity', value: 'critical' },
    { name: 'tag', value: CREDENTIALS_REFUSED_TAG },
  ];
  const uuid = runtime.startTest({
    name: `${provider}: credentials refused`,
    fullName: `credentials: ${provider}`,
    // One stable id per provider: shards and stages of one run that each write it count once, and the history tab
    // tracks a provider's credentials across nights.
    testCaseId: `${CREDENTIALS_REFUSED_TAG}:${provider}`,
    historyId: `${CREDENTIALS_REFUSED_TAG}:${provider}`,
    labels,
    start: now,
  });
  runtime.updateTest(uuid, (r) => {
    r.status = Status.BROKEN;
    r.stage = Stage.FINISHED;
    r.statusDetails = { message };
  });
  runtime.stopTest(uuid, { stop: now });
  runtime.writeTest(uuid);
}

export interface CheckOptions {
  runId: string;
  /** Where the run's Allure results go (the broken results are written there). */
  resultsDir: string;
  log?: (line: string) => void;
}

/**
 * The check, once per run: the first caller signs in and writes the verdicts (and the broken results); later callers
 * of the same run (the e2e stage after conformance, a second shard on this machine) read them. The verdicts go to
 * the run's folder, where every worker's prepareCredentials picks them up.
 */
export async function checkCredentials(profile: TargetProfile, options: CheckOptions): Promise<{ verdicts: Verdict[]; cached: boolean }> {
  const file = checkFileName(profile);
  return withFileLock(`credential check ${runDir(options.runId)} ${file}`, async () => {
    const cached = readRunFile<CheckVerdicts & { verdicts: Verdict[] }>(options.runId, file);
    if (cached) return { verdicts: cached.verdicts, cached: true };
    await prepareCredentials(profile, options.runId);
    const verdicts = await Promise.all(providersToCheck(profile).map((p) => checkProvider(profile, p, options.runId)));
    const unavailable: Record<string, string> = {};
    const redactor = new Redactor(profile.secrets);
    const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
    for (const v of verdicts) {
      if (v.outcome === 'source failed') {
        writeCredentialResult(options.resultsDir, v.provider, redactor.text(v.message));
        unavailable[`credentials.${v.provider}`] = v.message;
      } else if (v.outcome === 'refused') {
        if (profile.kind === 'simulator') {
          // The simulator's own accounts are valid: refusing one is a defect, which its tests must fail on.
          log(`credential check: ${redactor.text(v.message)} (the simulator's profile holds valid accounts: its tests run and report the defect)`);
          continue;
        }
        log(`credential check: ${redactor.text(v.message)}; its tests are skipped`);
        writeCredentialResult(options.resultsDir, v.provider, redactor.text(v.message));
        unavailable[`credentials.${v.provider}`] = redactor.text(v.message);
      } else if (v.outcome === 'not checked' && v.why !== 'no account') {
        log(`credential check: ${v.provider} not checked: ${v.why}`);
      }
    }
    // A newPlatformUsers source that failed: its no_user_creation tests are skipped (prepareCredentials), and it is
    // listed with the rest (its perTest sources are not run here: they run when a test takes a new user).
    for (const source of Object.values(profile.sources.newPlatformUsers)) {
      const reason = profile.unavailable[source.field];
      if (reason !== undefined) writeCredentialResult(options.resultsDir, `${source.provider} (newPlatformUsers)`, redactor.text(reason));
    }
    const checked = verdicts.filter((v) => v.outcome === 'accepted' || v.outcome === 'refused');
    if (checked.length > 1 && checked.every((v) => v.outcome === 'refused') && profile.kind !== 'simulator') {
      log(`credential check: the account of every provider checked (${checked.length}) was refused: every credential expired at once, or the server refuses valid ones; the run fails either way`);
    }
    const accepted = verdicts.filter((v) => v.outcome === 'accepted').map((v) => v.provider);
    if (accepted.length > 0) log(`credential check: accepted: ${accepted.join(', ')}`);
    writeRunFile(options.runId, file, { unavailable, verdicts });
    return { verdicts, cached: false };
  }, { timeoutMs: 10 * 60_000, staleMs: 10 * 60_000 });
}
