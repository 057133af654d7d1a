import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { readManifests } from '../build.ts';
import { REPORT_NAME, REPORT_PATHS } from '../report-config.ts';
import { attachmentsOf, countResults, readResults, totalOf, type StoredResult } from '../results.ts';

/**
 * The report the last run built (`npm start` or `npm run report`), opened in Chromium: it must show that run's
 * totals (counted here from the gathered results, independently of Allure), every stage that ran, a load
 * result and an attachment, its environment, and no request may leave the page. Screenshots are kept in
 * reports/out/report-check/.
 */

const ORIGIN = 'http://allure-report.test';
const SHOTS = join(REPORT_PATHS.stages, '..', 'report-check');
const CONTENT_TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png' };

test.beforeAll(() => {
  expect(existsSync(join(REPORT_PATHS.html, 'index.html')), 'no report at reports/html/index.html: run `npm start` first').toBe(true);
  mkdirSync(SHOTS, { recursive: true });
});

/** Serves reports/html to the page (Allure's multi-file report fetches its data, which file:// forbids). */
async function serveReport(page: Page): Promise<string[]> {
  const external: string[] = [];
  await page.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== ORIGIN) {
      external.push(url.href);
      return route.abort();
    }
    const file = normalize(join(REPORT_PATHS.html, decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)));
    if (!file.startsWith(REPORT_PATHS.html)) return route.fulfill({ status: 403, body: '' });
    try {
      return await route.fulfill({ body: await readFile(file), contentType: CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
    } catch {
      return route.fulfill({ status: 404, body: '' });
    }
  });
  return external;
}

const label = (r: StoredResult, name: string): string | undefined => r.labels?.find((l) => l.name === name)?.value;

/** Finds a test through the search box, opening the collapsed branches on its way, as a reader would. */
async function openTest(page: Page, name: string): Promise<void> {
  await page.getByTestId('search-input').fill(name);
  const leaf = page.getByTestId('tree-leaf-title').filter({ hasText: name }).first();
  // A collapsed branch's arrow icon lacks the "opened" modifier class (the UI has no aria-expanded).
  const collapsed = page.getByTestId('tree-section').filter({ has: page.locator('[data-testid="tree-arrow"] svg:not([class*="opened"])') });
  for (let depth = 0; depth < 8 && !(await leaf.isVisible()); depth++) {
    if ((await collapsed.count()) === 0) break;
    await collapsed.first().getByTestId('tree-section-title').click();
  }
  await leaf.click();
  await expect(page.getByTestId('test-result-info-title')).toHaveText(name);
}

test('the report shows the run: totals, environment, every stage, a load result and an attachment', async ({ page }) => {
  const results = readResults(REPORT_PATHS.results).map((r) => r.result);
  const counts = countResults(REPORT_PATHS.results);
  const manifests = readManifests();
  expect(results.length, 'the run gathered no results').toBeGreaterThan(0);
  const external = await serveReport(page);
  await page.goto(`${ORIGIN}/index.html`);

  await test.step('title and totals match the gathered results', async () => {
    await expect(page.getByTestId('report-title')).toHaveText(REPORT_NAME);
    await expect(page.getByTestId('metadata-item-total').getByTestId('metadata-value')).toHaveText(String(totalOf(counts)));
    for (const status of ['passed', 'failed', 'broken', 'skipped'] as const) {
      const item = page.getByTestId(`metadata-item-${status}`);
      if (counts[status] > 0) await expect(item.getByTestId('metadata-value')).toHaveText(String(counts[status]));
      else await expect(item).toHaveCount(0);
    }
  });

  await test.step('the environment names the target, the commit, the tools and the faker seed', async () => {
    const env = manifests[0]!.environment;
    for (const key of ['Target', 'Target base URL', 'Commit', 'Node.js', 'Faker seed']) {
      const item = page.getByTestId('metadata-item').filter({ has: page.getByTestId('metadata-item-key').getByText(key, { exact: true }) });
      await expect(item.getByTestId('metadata-item-value')).toHaveText(env[key]!);
    }
  });

  await test.step('every stage of the run is a branch of the tree', async () => {
    for (const stage of new Set(manifests.map((m) => m.stage))) {
      // .first(): a stage's own results may repeat its name one level down (the load results' epic is "load").
      await expect(page.getByTestId('tree-section-title').getByText(stage, { exact: true }).first()).toBeVisible();
    }
    await page.screenshot({ path: join(SHOTS, 'report.png'), fullPage: true });
  });

  await test.step('a load result opens, with its status and message', async () => {
    const load = results.find((r) => label(r, 'parentSuite') === 'load');
    expect(load, 'the run has no load result (not even a skipped one)').toBeDefined();
    await openTest(page, load!.name!);
    await expect(page.getByTestId(`test-result-status-${load!.status}`)).toBeVisible();
    if (load!.statusDetails?.message) await expect(page.getByText(load!.statusDetails.message.split('\n')[0]!).first()).toBeVisible();
    await page.screenshot({ path: join(SHOTS, 'load-result.png'), fullPage: true });
  });

  await test.step('a test with attachments lists them and shows one', async () => {
    const withAttachment = results.find((r) => attachmentsOf(r).length > 0);
    expect(withAttachment, 'no result of the run has an attachment').toBeDefined();
    await page.goto(`${ORIGIN}/index.html`);
    await openTest(page, withAttachment!.name!);
    await expect(page.getByTestId('test-result-tab-attachments')).toContainText(String(attachmentsOf(withAttachment!).length));
    // The Attachments tab lists them all: in the test body they sit inside steps, which Allure expands by default for
    // failed tests only, so a passing test's would not show without a click.
    await page.getByTestId('test-result-tab-attachments').click();
    const first = page.getByTestId('test-result-attachment').first();
    await expect(first).toBeVisible();
    await first.getByTestId('test-result-attachment-header').click();
    await page.screenshot({ path: join(SHOTS, 'attachment.png'), fullPage: true });
  });

  expect(external, 'the report must not reach outside (analytics are stripped at build time)').toEqual([]);
});

test('the single-file copy opens from disk with the same totals', async ({ page }) => {
  const file = join(REPORT_PATHS.singleFile, 'index.html');
  expect(existsSync(file), 'no single-file report at reports/single-file/index.html').toBe(true);
  const external: string[] = [];
  await page.route(/^https?:\/\//, (route) => {
    external.push(route.request().url());
    return route.abort();
  });
  await page.goto(pathToFileURL(file).href);
  await expect(page.getByTestId('report-title')).toHaveText(REPORT_NAME);
  await expect(page.getByTestId('metadata-item-total').getByTestId('metadata-value')).toHaveText(String(totalOf(countResults(REPORT_PATHS.results))));
  expect(external).toEqual([]);
});
