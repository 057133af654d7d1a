import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
// Type only: importing the `allure` package at run time starts its command line.
import type { AllureConfig } from 'allure';
import { CATEGORIES } from './categories.ts';

/**
 * The Allure 3 configuration shared by the two report variants (`allurerc.ts`: the browsable report,
 * `allurerc.single-file.ts`: one self-contained HTML file to send by mail or chat). Paths are absolute so
 * `npx allure ... --config reports/allurerc.ts` works from any directory.
 */

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const REPORT_PATHS = {
  /** Every stage's Allure results, gathered by the main job; cleaned at the start of each run. */
  results: join(PROJECT_ROOT, 'reports/allure-results'),
  /** The browsable report (serve it: `npx allure open reports/html`). */
  html: join(PROJECT_ROOT, 'reports/html'),
  /** The same report as one HTML file that opens from disk. */
  singleFile: join(PROJECT_ROOT, 'reports/single-file'),
  /** One JSON line per run: what the trend charts and each test's history tab are drawn from. Kept between runs. */
  history: join(PROJECT_ROOT, 'reports/history/history.jsonl'),
  /** Files shown on the report's Globals tab: the coverage table, the load charts. */
  globalAttachments: join(PROJECT_ROOT, 'reports/out/attachments'),
  /** Per-stage bookkeeping of the main job (duration, exit code, skip reason, tool versions). */
  stages: join(PROJECT_ROOT, 'reports/out/stages'),
} as const;

export const REPORT_NAME = 'Xsolla Login social sign-in: conformance, e2e and load';

/** How many runs the history keeps; older ones drop off the trend charts. */
export const HISTORY_LIMIT = 30;

export function reportConfig(variant: 'html' | 'single-file'): AllureConfig {
  const singleFile = variant === 'single-file';
  return {
    name: REPORT_NAME,
    output: singleFile ? REPORT_PATHS.singleFile : REPORT_PATHS.html,
    historyPath: REPORT_PATHS.history,
    historyLimit: HISTORY_LIMIT,
    // Only the browsable report records the run in the history; the single-file copy reads it for its trends.
    appendHistory: !singleFile,
    categories: CATEGORIES,
    globalAttachments: [`${REPORT_PATHS.globalAttachments}/*`],
    plugins: {
      awesome: {
        options: {
          reportName: REPORT_NAME,
          singleFile,
          // stage (Playwright project or "load") > endpoint > rule > provider
          groupBy: ['parentSuite', 'epic', 'feature', 'story'],
          reportLanguage: 'en',
        },
      },
    },
  };
}
