import { test as base, type APIRequestContext } from '@playwright/test';
import * as allure from 'allure-js-commons';
import type { AnswerCase } from '../contract/index.ts';
import { Accounts } from './accounts.ts';
import { prepareCredentials } from './credential-sources.ts';
import { ApiClient, exchangeTitle, renderExchange, type ExchangeSink } from './api-client.ts';
import { ANSWERS_PARAMETER, encodeAnswers } from './drift/answers.ts';
import { DataBuilder, runSeed, seedFor, seededFaker } from './data-builders.ts';
import { expect, useExpectations } from './matchers.ts';
import { loadProfile, profilePathFromEnv, type Expectation, type TargetProfile } from './profile.ts';
import { COVERS_LABEL, RUN_ENV, RUN_LABEL, coversValue, labelsFor, type TestDescription } from './report-labels.ts';

/**
 * The suites' fixtures (Playwright `test.extend`): the target profile, the API client, accounts, the target's
 * expectations, seeded test data, and `report.describe(...)`, which every test calls first to give itself its
 * Allure labels and document link (a test that forgets fails).
 */

let cachedProfile: TargetProfile | undefined;
/** The profile chosen by TARGET_PROFILE (default: the simulator); the spec files read it to build their matrices. */
export function targetProfile(): TargetProfile {
  cachedProfile ??= loadProfile(profilePathFromEnv());
  return cachedProfile;
}

/** The expectation cases the current test looked up (tests of one worker run one at a time). */
const consultedCases = new Set<AnswerCase>();
function recordingConsultedCases(cases: Record<AnswerCase, Expectation>): Record<AnswerCase, Expectation> {
  return new Proxy(cases, {
    get(target, name, receiver) {
      if (typeof name === 'string' && name in target) consultedCases.add(name as AnswerCase);
      return Reflect.get(target, name, receiver) as unknown;
    },
  });
}

export interface Report {
  describe(description: TestDescription): Promise<void>;
  readonly described: boolean;
}

interface TestFixtures {
  api: ApiClient;
  accounts: Accounts;
  expectations: Record<AnswerCase, Expectation>;
  data: DataBuilder;
  report: Report;
  reportGuard: void;
  unpinnedGuard: void;
}

interface WorkerFixtures {
  profile: TargetProfile;
  apiContext: APIRequestContext;
}

class AllureSink implements ExchangeSink {
  private readonly seen = new Set<string>();

  async exchange(exchange: Parameters<ExchangeSink['exchange']>[0], redactor: Parameters<ExchangeSink['exchange']>[1]): Promise<void> {
    await allure.attachment(exchangeTitle(exchange), renderExchange(exchange, redactor), 'text/plain');
  }

  async checked(exchange: Parameters<ExchangeSink['checked']>[0]): Promise<void> {
    if (!exchange.endpoint) return;
    const value = coversValue(exchange.endpoint, `status ${exchange.status}`);
    if (this.seen.has(value)) return;
    this.seen.add(value);
    await allure.label(COVERS_LABEL, value);
  }
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  profile: [
    async ({}, use) => {
      // The accounts of credential sources (run once per run, shared by every worker) and what the credential check
      // before the suites found unusable (lib/credential-sources.ts, lib/credential-check.ts).
      const profile = await prepareCredentials(targetProfile());
      useExpectations(profile.expectationsPath, recordingConsultedCases(profile.expectations));
      await use(profile);
    },
    { scope: 'worker' },
  ],

  // One APIRequestContext per worker (Playwright's `request`, made once): a context per test costs more than most
  // of these tests' requests; the client keeps each test's exchanges apart.
  apiContext: [
    async ({ playwright }, use) => {
      const context = await playwright.request.newContext();
      await use(context);
      await context.dispose();
    },
    { scope: 'worker' },
  ],

  api: async ({ apiContext, profile }, use, testInfo) => {
    const client = new ApiClient(apiContext, profile, new AllureSink());
    await use(client);
    // What the target answered, without values, for the run's record (baseline, compare, --learn): hidden in the report.
    if (client.exchanges.length > 0) await allure.parameter(ANSWERS_PARAMETER, encodeAnswers(client.exchanges), { mode: 'hidden', excluded: true });
    if (testInfo.status !== testInfo.expectedStatus && client.exchanges.length > 0) {
      const lines = client.exchanges.map((x, i) => `# ${i + 1}. ${exchangeTitle(x)}\n${x.curl}`).join('\n\n');
      await allure.attachment('cURL to reproduce', lines, 'text/plain');
    }
  },

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
    // Which provider stood in for "any provider" is the profile's choice (defaultProvider): the report shows it.
    if (accounts.defaultProviderUsed) await allure.parameter('provider', accounts.defaultProviderUsed, { excluded: true });
  },

  expectations: async ({ profile }, use) => {
    await use(recordingConsultedCases(profile.expectations));
  },

  // A case the target's expectations file does not list is checked against the loose default: the report says so
  // on each test that relied on one, so QA knows what to pin next.
  unpinnedGuard: [
    async ({ profile }, use) => {
      consultedCases.clear();
      await use();
      const unpinned = [...consultedCases].filter((name) => profile.expectations[name].unpinned);
      if (unpinned.length === 0) return;
      await allure.tag('unpinned expectation');
      for (const name of unpinned) {
        await allure.parameter(`unpinned expectation ${name}`, `status ${profile.expectations[name].status.join('/')}, any code: pin it in ${profile.expectationsPath}`, { excluded: true });
      }
    },
    { auto: true },
  ],

  data: async ({}, use, testInfo) => {
    const run = runSeed();
    const seed = seedFor(run, testInfo.titlePath.join(' › '));
    await allure.parameter('faker seed', `${run} (test stream ${seed})`, { excluded: true });
    await use(new DataBuilder(seededFaker(seed)));
  },

  report: async ({}, use) => {
    let described = false;
    await use({
      get described() {
        return described;
      },
      async describe(description) {
        const { labels, link } = labelsFor(description);
        await allure.labels(...labels, ...(process.env[RUN_ENV] ? [{ name: RUN_LABEL, value: process.env[RUN_ENV]! }] : []));
        await allure.link(link.url, link.name);
        described = true;
      },
    });
  },

  reportGuard: [
    async ({ report }, use, testInfo) => {
      await use();
      if (!report.described && testInfo.status === 'passed') {
        throw new Error(`test "${testInfo.title}" has no report labels: call report.describe({...}) first`);
      }
    },
    { auto: true },
  ],
});

export { expect };
