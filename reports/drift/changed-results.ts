import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { LabelName, Stage, Status, type TestResult } from 'allure-js-commons';
import { FileSystemWriter } from 'allure-js-commons/sdk/reporter';
import { ENDPOINTS } from '../../contract/index.ts';
import type { Change } from '../../lib/drift/diff.ts';
import { DRIFT_TAG, type RunRecord } from '../../lib/drift/record.ts';
import { Redactor } from '../../lib/redact.ts';

/**
 * Each change becomes an Allure result of its own, in the "Changed" category (reports/categories.ts matches the
 * `drift` tag): what it was, what it is now, the cURL line of both. A failing change is `failed`; one that is only
 * shown is `passed`, so it is listed without failing the gate.
 */

export const CHANGED_SUITE = 'changed';

function description(change: Change, base: RunRecord, current: RunRecord): string {
  const lines = [
    `**${change.kind} changed**: ${change.subject}`,
    '',
    `- was (${base.run.target.name}, run ${base.run.id}, ${base.run.date}): ${change.was}`,
    `- now (${current.run.target.name}, run ${current.run.id}, ${current.run.date}): ${change.now}`,
    `- ${change.verdict}`,
  ];
  if (change.curlWas || change.curlNow) {
    lines.push('', 'Reproduce the baseline\'s request:', '```', change.curlWas ?? '(none)', '```', 'Reproduce this run\'s request:', '```', change.curlNow ?? '(none)', '```');
  }
  return lines.join('\n');
}

export function changeResult(change: Change, base: RunRecord, current: RunRecord, redactor: Redactor): TestResult {
  const now = Date.now();
  const id = createHash('md5').update(`drift:${change.kind}:${change.subject}:${change.title}`).digest('hex');
  const message = `${change.kind} changed: ${change.subject}\n  was: ${change.was}\n  now: ${change.now}\n  ${change.verdict}` +
    `${change.curlWas ? `\n  baseline request: ${change.curlWas}` : ''}${change.curlNow ? `\n  this run's request: ${change.curlNow}` : ''}`;
  return {
    uuid: randomUUID(),
    historyId: id,
    testCaseId: id,
    name: `Changed: ${change.title}${change.kind === 'answer' ? ` in "${change.subject.replace(/^.*? › /, '')}"` : ''}`,
    fullName: `drift#${change.kind}:${change.subject}`,
    titlePath: ['changed', change.kind],
    status: change.failing ? Status.FAILED : Status.PASSED,
    statusDetails: { message: redactor.text(message) },
    stage: Stage.FINISHED,
    description: redactor.text(description(change, base, current)),
    steps: [],
    attachments: [],
    parameters: [
      { name: 'baseline', value: `${base.run.target.name} run ${base.run.id}` },
      { name: 'was', value: redactor.text(change.was) },
      { name: 'now', value: redactor.text(change.now) },
    ],
    labels: [
      { name: LabelName.PARENT_SUITE, value: CHANGED_SUITE },
      { name: LabelName.EPIC, value: change.endpoint ? ENDPOINTS[change.endpoint].title : change.kind },
      { name: LabelName.FEATURE, value: `${change.kind} changed` },
      { name: LabelName.TAG, value: DRIFT_TAG },
      { name: LabelName.SEVERITY, value: change.failing ? 'critical' : 'minor' },
    ],
    links: [],
    start: now,
    stop: now,
  };
}

export function writeChangeResults(dir: string, changes: Change[], base: RunRecord, current: RunRecord, secrets: readonly string[] = []): void {
  if (changes.length === 0) return;
  mkdirSync(dir, { recursive: true });
  const writer = new FileSystemWriter({ resultsDir: dir });
  const redactor = new Redactor(secrets);
  for (const change of changes) {
    const result = changeResult(change, base, current, redactor);
    writer.writeResult(result);
  }
}

/** Removes the Changed results a folder holds (a report rebuilt against another baseline). */
export function removeChangeResults(dir: string): number {
  if (!existsSync(dir)) return 0;
  let removed = 0;
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('-result.json')) continue;
    const path = join(dir, file);
    const labels = (JSON.parse(readFileSync(path, 'utf8')) as { labels?: { name: string; value: string }[] }).labels ?? [];
    if (labels.some((l) => l.name === 'tag' && l.value === DRIFT_TAG)) {
      rmSync(path);
      removed += 1;
    }
  }
  return removed;
}
