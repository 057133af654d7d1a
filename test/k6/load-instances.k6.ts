import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TestResult } from 'allure-js-commons';
import { k6MissingReason } from '../../load/run/k6-binary.ts';
import { parseLoadArgs } from '../../load/run/plan.ts';
import { runLoad } from '../../load/run/runner.ts';

/**
 * The scale-out path end to end with a real k6: `npm run load -- ratelimit --instances 2` runs two k6 processes
 * with execution segments against a simulator it starts with a known limit; each writes its own summary, and
 * they merge into one summary, one measured limit and one Allure result. Needs k6 (K6_BIN or k6 on PATH);
 * without it the test is reported as skipped with the reason. Not a unit test: `npm test` runs it as a step.
 */

const LIMIT = 40;
const missing = k6MissingReason();

test(`ratelimit.ts on 2 k6 instances: one merged limit within ±5% of ${LIMIT} req/s, one Allure result`, { skip: missing ?? false, timeout: 180_000 }, async () => {
  const resultsDir = mkdtempSync(join(tmpdir(), 'load-instances-allure-'));
  const outDir = mkdtempSync(join(tmpdir(), 'load-instances-out-'));
  const lines: string[] = [];
  const result = await runLoad(
    parseLoadArgs(['ratelimit', '--rate', String(LIMIT), '--burst', '8', '--duration', '16', '--instances', '2', '--tolerance', '0.05', '--no-dashboard']),
    { outDir, resultsDir, showK6Output: false, log: (line) => lines.push(line) },
  );
  assert.equal(result.exitCode, 0, `${result.problems.join('\n')}\n${lines.join('\n')}`);
  // each instance its own file (they would overwrite one another at one fixed path), and the merge beside them
  for (const file of ['summary.segment-0-1_2.json', 'summary.segment-1_2-1.json', 'summary.json']) assert.ok(existsSync(join(outDir, file)), file);
  const parts = ['summary.segment-0-1_2.json', 'summary.segment-1_2-1.json'].map((f) => JSON.parse(readFileSync(join(outDir, f), 'utf8')) as { harness: { ratelimit: { segment: string; series: { sent: number }[] } } });
  assert.deepEqual(parts.map((p) => p.harness.ratelimit.segment), ['0:1/2', '1/2:1']);
  assert.ok(parts.every((p) => p.harness.ratelimit.series.reduce((n, c) => n + c.sent, 0) > 0), 'both instances sent');
  const rl = result.summary!.harness!.ratelimit!;
  assert.equal(rl.instances, 2);
  const limit = rl.measured!.limitPerSecond!;
  assert.ok(Math.abs(limit - LIMIT) <= LIMIT * 0.05, `merged limit ${limit} req/s`);
  const sent = parts.reduce((n, p) => n + p.harness.ratelimit.series.reduce((m, c) => m + c.sent, 0), 0);
  assert.equal(rl.series.reduce((n, c) => n + c.sent, 0), sent, 'the merge adds every request of both instances');
  const results = readdirSync(resultsDir).filter((f) => f.endsWith('-result.json'));
  assert.equal(results.length, 1, 'one Allure result for the run');
  const allure = JSON.parse(readFileSync(join(resultsDir, results[0]!), 'utf8')) as TestResult;
  assert.equal(allure.status, 'passed', allure.statusDetails?.message);
  assert.equal(allure.parameters.find((p) => p.name === 'k6 instances')?.value, '2');
});
