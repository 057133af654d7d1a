import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TestResult } from 'allure-js-commons';
import { Redactor } from '../lib/redact.ts';
import { thresholdResults, type K6Summary } from '../load/lib/summary.ts';
import { convertSummary, MEASURED_LIMIT_PARAMETER, statOf } from '../load/report/summary-to-allure.ts';

const recorded = (name: string): K6Summary => JSON.parse(readFileSync(new URL(`./fixtures/load/${name}`, import.meta.url), 'utf8')) as K6Summary;

function convert(summary: K6Summary, extra: { dashboard?: string; redactor?: Redactor; k6ExitCode?: number } = {}): { dir: string; result: TestResult; files: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'load-allure-'));
  convertSummary({ summary, resultsDir: dir, dashboardHtmlPath: extra.dashboard, redactor: extra.redactor, k6ExitCode: extra.k6ExitCode ?? 0 });
  const files = readdirSync(dir);
  const results = files.filter((f) => f.endsWith('-result.json'));
  assert.equal(results.length, 1, 'one result per scenario');
  return { dir, result: JSON.parse(readFileSync(join(dir, results[0]!), 'utf8')) as TestResult, files };
}

test('threshold expressions name their statistic', () => {
  assert.equal(statOf('p(95)<500'), 'p(95)');
  assert.equal(statOf('rate<0.01'), 'rate');
  assert.equal(statOf('count>0'), 'count');
  assert.equal(statOf('p(99.9) < 3'), 'p(99.9)');
});

test('throughput run with two crossed p99 thresholds: a failed result, each threshold a step that passes or fails', () => {
  const summary = recorded('throughput.summary.json');
  const { result, dir } = convert(summary, { k6ExitCode: 99 });
  assert.equal(result.status, 'failed');
  const thresholds = thresholdResults(summary);
  const steps = result.steps.filter((s) => s.name!.startsWith('threshold '));
  assert.equal(steps.length, thresholds.length);
  for (const t of thresholds) {
    const step = steps.find((s) => s.name === `threshold ${t.metric}: ${t.expression}`);
    assert.ok(step, t.metric);
    assert.equal(step.status, t.ok ? 'passed' : 'failed');
  }
  assert.deepEqual(steps.filter((s) => s.status === 'failed').map((s) => s.name), [
    'threshold http_req_duration{endpoint:jwtLogin}: p(99)<1000',
    'threshold http_req_duration{endpoint:oauthLogin}: p(99)<1000',
  ]);
  assert.match(result.statusDetails.message!, /p\(99\) = 1102\.69/);
  const params = Object.fromEntries(result.parameters.map((p) => [p.name, p.value]));
  assert.equal(params.requests, '1043');
  assert.equal(params['failed requests'], '0.00%');
  assert.ok(result.labels.some((l) => l.name === 'suite' && l.value === 'throughput.ts'));
  const chart = result.attachments.find((a) => a.name === 'latency percentiles per endpoint');
  assert.ok(chart && chart.type === 'image/svg+xml');
  const svg = readFileSync(join(dir, chart.source), 'utf8');
  assert.match(svg, /^<svg/);
  for (const endpoint of ['jwtLogin', 'oauthLogin', 'crossAuth']) assert.match(svg, new RegExp(endpoint));
});

test('ratelimit run: the limit step, rate-vs-429 chart, and the web dashboard attached when k6 exported it', () => {
  const dashboard = join(mkdtempSync(join(tmpdir(), 'dash-')), 'dashboard.html');
  writeFileSync(dashboard, '<html><body>k6 dashboard</body></html>');
  const { result, dir } = convert(recorded('ratelimit-200.summary.json'), { dashboard });
  assert.equal(result.status, 'passed');
  // A summary recorded before the limit was measured: the converter measures it from the series.
  const limit = result.steps.find((s) => s.name === 'sustained limit within ±10% of the expected 200 req/s');
  assert.equal(limit?.status, 'passed');
  const params = Object.fromEntries(result.parameters.map((p) => [p.name, p.value]));
  assert.equal(params['429 onset (req/s)'], '207');
  assert.equal(params['expected limit (req/s)'], '200');
  assert.equal(params[MEASURED_LIMIT_PARAMETER], '200.30');
  assert.equal(params['limit error'], '0.2%');
  const names = result.attachments.map((a) => a.name);
  assert.deepEqual(names, ['request rate vs 429 share', 'k6 web dashboard', 'k6 summary.json']);
  const html = result.attachments.find((a) => a.name === 'k6 web dashboard')!;
  assert.equal(html.type, 'text/html');
  assert.match(readFileSync(join(dir, html.source), 'utf8'), /k6 dashboard/);
});

test('a measured limit far from the expected one fails the result even when k6 itself passed', () => {
  // Recorded on a starved machine: k6 offered less than the limit in many seconds, so less was admitted.
  const { result } = convert(recorded('ratelimit-200-busy-machine.summary.json'));
  assert.equal(result.status, 'failed');
  assert.equal(result.steps.find((s) => s.name!.startsWith('sustained limit'))?.status, 'failed');
  assert.match(result.statusDetails.message!, /sustained limit 176\.8 req\/s .* -11\.6% from the expected 200 req\/s: outside \[180\.0, 220\.0\]; the load generator fell behind its plan/);
});

test('smoke run: every check, in its group, is a step', () => {
  const { result } = convert(recorded('smoke.summary.json'));
  const checks = result.steps.filter((s) => s.name!.startsWith('check: '));
  assert.ok(checks.length >= 20, `${checks.length} checks`);
  assert.ok(checks.some((s) => s.name === 'check: JWT login, every provider › jwtLogin twitter: success status'));
  assert.ok(checks.every((s) => s.status === 'passed'));
});

test('no secret survives into the results: values known to the profile and credential-shaped fields are redacted', () => {
  const summary = recorded('soak.summary.json');
  summary.harness!.scenario = 'run with sim-secret-zzz and /cross_auth?access_token=abcdef in it';
  const { files, dir } = convert(summary, { redactor: new Redactor(['sim-secret-zzz']) });
  for (const f of files) {
    const text = readFileSync(join(dir, f), 'utf8');
    assert.ok(!text.includes('sim-secret-zzz'), f);
    assert.ok(!text.includes('abcdef'), f);
  }
});

test('a script error is a broken result, not a failed SLO', () => {
  const { result } = convert(recorded('soak.summary.json'), { k6ExitCode: 107 });
  assert.equal(result.status, 'broken');
});
