import { test as base, expect, type Page } from '@playwright/test';
import * as allure from 'allure-js-commons';
import { findChromium } from '../lib/chromium.ts';
import { Accounts } from '../lib/accounts.ts';
import { prepareCredentials } from '../lib/credential-sources.ts';
import { targetProfile } from '../lib/fixtures.ts';
import { type Account, type TargetProfile } from '../lib/profile.ts';
import { Redactor } from '../lib/redact.ts';
import { DOCUMENTS, ENDPOINTS, isCrossAuthPlatform, type EndpointId, type Source } from '../contract/index.ts';
import { planClientApp, type ClientAppPlanResult } from './client-app/plan.ts';

/**
 * Fixtures of the browser flows: the target profile, the client app's plan (where the game's pages live), a
 * redactor for everything attached, report labels, and screenshots at the key steps. The browser itself is
 * Debian's Chromium (see playwright.config.ts); a missing one fails every test with the one-line install hint.
 */

export interface FlowDescription {
  endpoint: EndpointId;
  /** The rule the flow proves (Allure feature). */
  feature: string;
  /** Provider or platform (Allure story). */
  story: string;
  source: Source;
  severity: 'blocker' | 'critical' | 'normal' | 'minor' | 'trivial';
}

interface TestFixtures {
  /** Labels the test in the report: epic = endpoint, feature = rule, story = provider, severity, document link. */
  describeFlow: (flow: FlowDescription) => Promise<void>;
  /** Attaches a screenshot of the page (codes and tokens are drawn as dots by the pages themselves). */
  snap: (name: string, page?: Page) => Promise<void>;
  /** Attaches text, redacted. */
  note: (name: string, text: string) => Promise<void>;
  /** The profile's secrets plus every value of the accounts the test took: what attachments redact. */
  secrets: string[];
  /**
   * A fresh account, or the profile's first (shared: no test signs it out) for a provider; skips the test with the
   * reason when the target has none.
   */
  account: (provider: string) => Promise<Account>;
  /**
   * An account this test may sign out everywhere (with_logout=1), held by it alone until it ends: a fresh one, or
   * one of the profile's accounts after the first (lib/accounts.ts: leaseLogoutAccount); skips with the reason.
   */
  ownAccount: (provider: string) => Promise<Account>;
  /** The accounts of this test (lib/accounts.ts): leases end with the test. */
  accounts: Accounts;
}

interface WorkerFixtures {
  chromiumPath: string;
  profile: TargetProfile;
  clientApp: ClientAppPlanResult;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  chromiumPath: [
    async ({}, use) => {
      const lookup = findChromium();
      if (!lookup.found) throw new Error(lookup.message);
      await use(lookup.path);
    },
    { scope: 'worker', auto: true },
  ],
  // The same profile object as the API suites' (credential sources resolved for this run, lib/credential-sources.ts).
  profile: [async ({}, use) => use(await prepareCredentials(targetProfile())), { scope: 'worker' }],
  clientApp: [async ({ profile }, use) => use(planClientApp(profile.oauth)), { scope: 'worker' }],

  secrets: async ({ profile }, use) => use([...profile.secrets]),
  accounts: async ({ profile }, use, testInfo) => {
    const accounts = new Accounts(profile, (reason) => {
      testInfo.skip(true, reason);
      throw new Error('unreachable: skip() throws');
    }, testInfo.titlePath.join(' › '), testInfo.config.shard, (ms) => testInfo.setTimeout(testInfo.timeout + ms));
    try {
      await use(accounts);
    } finally {
      await accounts.release();
    }
  },
  account: async ({ accounts, secrets }, use) => {
    await use(async (provider) => {
      const found: Account = isCrossAuthPlatform(provider) ? await accounts.platform(provider) : await accounts.social(provider);
      // Registered before use: an attachment made later in the test can no longer show these values.
      secrets.push(...Object.values(found).filter((v): v is string => typeof v === 'string'));
      return found;
    });
  },
  ownAccount: async ({ accounts, secrets }, use) => {
    await use(async (provider) => {
      const found = await accounts.ownSocial(provider);
      secrets.push(...Object.values(found).filter((v): v is string => typeof v === 'string'));
      return found;
    });
  },
  describeFlow: async ({ profile }, use) => {
    await use(async (flow) => {
      const doc = DOCUMENTS[flow.source.doc];
      await allure.epic(ENDPOINTS[flow.endpoint].title);
      await allure.feature(flow.feature);
      await allure.story(flow.story);
      await allure.severity(flow.severity);
      await allure.tag('e2e');
      await allure.link(doc.url, doc.title);
      await allure.parameter('target', profile.name);
    });
  },
  snap: async ({ page }, use, testInfo) => {
    await use(async (name, target = page) => {
      await testInfo.attach(name, { body: await target.screenshot({ fullPage: true }), contentType: 'image/png' });
    });
  },
  note: async ({ secrets }, use, testInfo) => {
    await use(async (name, text) => {
      // Built at attach time, so it knows every account value the test has taken so far.
      const redactor = new Redactor(secrets);
      await testInfo.attach(name, { body: redactor.text(text), contentType: 'text/plain' });
    });
  },
});

export { expect };

/** Skips a flow that needs the browser to land on a local callback page when the target registered none. */
export function requireClientApp(plan: ClientAppPlanResult): asserts plan is Extract<ClientAppPlanResult, { ok: true }> {
  if (!plan.ok) test.skip(true, plan.reason);
}

const corsVerdicts = new Map<string, Promise<string | null>>();

/**
 * Skips a flow whose page calls the Login API with fetch when the target does not allow the page's origin (CORS).
 * The pages call it from the browser as Xsolla's browser SDKs do, but the documents say nothing about CORS: a server
 * without it is not wrong, and its flows are skipped with the reason rather than failed after a 30 s wait.
 * Asked once per worker and origin (a preflight like the browser's own for the JSON POST).
 */
export async function requireCrossOriginCalls(profile: TargetProfile, origin: string): Promise<void> {
  const key = `${profile.baseUrl} ${origin}`;
  if (!corsVerdicts.has(key)) corsVerdicts.set(key, corsProblem(profile, origin));
  const reason = await corsVerdicts.get(key)!;
  if (reason) test.skip(true, reason);
}

async function corsProblem(profile: TargetProfile, origin: string): Promise<string | null> {
  const provider = profile.defaultProvider ?? profile.providers[0] ?? 'facebook';
  const url = `${profile.baseUrl}/social/${provider}/login_with_token?projectId=${encodeURIComponent(profile.projectId)}`;
  let answer: Response;
  try {
    answer = await fetch(url, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      signal: AbortSignal.timeout(profile.timeouts.requestMs),
    });
  } catch {
    return null; // an unreachable target is reported by the global setup, naming its URL
  }
  const allowed = answer.headers.get('access-control-allow-origin');
  if (allowed === '*' || allowed === origin) return null;
  return (
    `target "${profile.name}" does not allow calls from the game page's origin ${origin} (CORS preflight: ${answer.status}, ` +
    `Access-Control-Allow-Origin: ${allowed ?? 'absent'}). This flow's page calls the Login API from the browser, as Xsolla's ` +
    `browser SDKs do; the documents say nothing about CORS, so this is not counted against the target. Allow ${origin} on a test target to run it.`
  );
}

/** Fills the visible credential fields of a page's form from an account. */
export async function fillAccount(page: Page, account: Account): Promise<void> {
  const fields: Record<string, string | undefined> = {
    access_token: 'accessToken' in account ? account.accessToken : undefined,
    access_token_secret: 'accessTokenSecret' in account ? account.accessTokenSecret : undefined,
    openid: 'openid' in account ? account.openid : undefined,
    session_ticket: 'sessionTicket' in account ? account.sessionTicket : undefined,
    app_id: 'appId' in account ? account.appId : undefined,
    code: 'code' in account ? account.code : undefined,
    deployment_id: 'deploymentId' in account ? account.deploymentId : undefined,
  };
  for (const [id, value] of Object.entries(fields)) if (value !== undefined) await page.locator(`#${id}`).fill(value);
}
