import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ContentType, LabelName, Stage, Status, type Attachment, type Parameter, type StepResult, type TestResult } from 'allure-js-commons';
import { FileSystemWriter } from 'allure-js-commons/sdk/reporter';
import { DOCUMENTS } from '../../contract/index.ts';
import { PROJECT_ROOT } from '../../lib/profile.ts';
import { Redactor } from '../../lib/redact.ts';
import { rateLimitSection } from '../lib/ratelimit-result.ts';
import { allChecks, latencyByEndpoint, thresholdResults, type K6Summary, type RateLimitSection } from '../lib/summary.ts';
import { driftChart, latencyChart, rateLimitChart } from './charts.ts';

/**
 * k6's end-of-test summary (with the harness section our handleSummary adds) → Allure results: one result per
 * scenario, each threshold a step that passes or fails, the harness's verdicts (rate limit, latency drift) as
 * steps too, key metrics as parameters, a chart and k6's web-dashboard HTML export as attachments. Everything
 * written goes through the redactor.
 *
 *   npx tsx load/report/summary-to-allure.ts load/out/<run>/summary.json [--dashboard <html>]
 */

export function defaultResultsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.ALLURE_RESULTS_DIR ? resolve(env.ALLURE_RESULTS_DIR) : resolve(PROJECT_ROOT, 'reports', 'allure-results');
}

export interface ConvertOptions {
  summary: K6Summary;
  resultsDir: string;
  redactor?: Redactor;
  dashboardHtmlPath?: string | undefined;
  k6ExitCode?: number | null;
  /** Providers with accounts in the profile that the load could not sign in with, each with why (load/run/plan.ts). */
  leftOut?: readonly { provider: string; reason: string }[];
}

const FEATURES: Record<string, string> = {
  smoke: 'every endpoint answers as documented (smoke)',
  throughput: 'throughput SLOs under a constant arrival rate',
  ratelimit: 'rate limit: the sustained limit, the burst and where 429s begin',
  soak: 'steady load: error rate and latency drift',
};

/** The statistic a threshold expression is about (`p(95)<500` → `p(95)`, `rate<0.01` → `rate`). */
export function statOf(expression: string): string {
  const match = /^\s*([a-z]+(?:\([\d.]+\))?)/i.exec(expression);
  return match ? match[1]! : expression;
}

const round = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) < 1 ? 4 : 2));

function metricParameters(summary: K6Summary): Parameter[] {
  const h = summary.harness;
  const m = summary.metrics;
  const params: [string, string | undefined][] = [
    ['target', h ? `${h.target.name} (${h.target.baseUrl})` : undefined],
    ['scenario', h?.scenario],
    ['requests', m.http_reqs ? String(m.http_reqs.values.count) : undefined],
    ['achieved rate (req/s)', m.http_reqs ? round(m.http_reqs.values.rate ?? 0) : undefined],
    ['failed requests', m.http_req_failed ? `${((m.http_req_failed.values.rate ?? 0) * 100).toFixed(2)}%` : undefined],
    ['checks passed', m.checks ? `${((m.checks.values.rate ?? 0) * 100).toFixed(2)}%` : undefined],
    ['p95 latency (ms)', m.http_req_duration ? round(m.http_req_duration.values['p(95)'] ?? 0) : undefined],
    ['p99 latency (ms)', m.http_req_duration?.values['p(99)'] !== undefined ? round(m.http_req_duration.values['p(99)']) : undefined],
    ['dropped iterations', String(m.dropped_iterations?.values.count ?? 0)],
  ];
  const rl = rateLimitOf(summary);
  if (rl) {
    const m = rl.measured!;
    params.push(['expected limit (req/s)', rl.expectedPerSecond === null ? 'none (searched)' : String(rl.expectedPerSecond)]);
    // The measured limit: the field other tools read (also harness.ratelimit.measured.limitPerSecond).
    params.push([MEASURED_LIMIT_PARAMETER, m.limitPerSecond === null ? 'not measured' : round(m.limitPerSecond)]);
    params.push(['limit error', rl.verdict.relativeError !== null ? `${(rl.verdict.relativeError * 100).toFixed(1)}%` : 'n/a']);
    params.push(['burst past the limit (requests)', m.burstRequests === null ? 'n/a' : String(m.burstRequests)]);
    params.push([ONSET_PARAMETER, m.onsetPerSecond === null ? 'none' : String(m.onsetPerSecond)]);
    if (rl.instances !== undefined) params.push(['k6 instances', String(rl.instances)]);
  }
  if (h?.soak) params.push(['p95 drift (last / first window)', h.soak.ratio !== null ? `x${h.soak.ratio.toFixed(2)}` : 'n/a']);
  return params.filter((p): p is [string, string] => p[1] !== undefined).map(([name, value]) => ({ name, value }));
}

/** Per-endpoint p50/p95/p99 for the run's record (reports/drift): hidden in the report, excluded from the history id. */
export const LOAD_LATENCY_PARAMETER = 'drift: latency per endpoint';

function latencyParameter(summary: K6Summary): Parameter[] {
  const out: Record<string, { p50: number | null; p95: number | null; p99: number | null }> = {};
  for (const [endpoint, v] of Object.entries(latencyByEndpoint(summary))) out[endpoint] = { p50: v.med ?? null, p95: v['p(95)'] ?? null, p99: v['p(99)'] ?? null };
  return Object.keys(out).length === 0 ? [] : [{ name: LOAD_LATENCY_PARAMETER, value: JSON.stringify(out), mode: 'hidden', excluded: true }];
}

function step(name: string, ok: boolean, parameters: Parameter[], at: number, message?: string): StepResult {
  return {
    name,
    status: ok ? Status.PASSED : Status.FAILED,
    statusDetails: ok || !message ? {} : { message },
    stage: Stage.FINISHED,
    steps: [],
    attachments: [],
    parameters,
    start: at,
    stop: at,
  };
}

export function buildResult(summary: K6Summary, k6ExitCode: number | null = null): { result: TestResult; charts: { name: string; svg: string }[] } {
  const h = summary.harness;
  const script = h?.script ?? 'unknown';
  const stop = h?.finishedAtMs ?? Date.now();
  const start = stop - Math.round(summary.state?.testRunDurationMs ?? 0);
  const steps: StepResult[] = [];
  const failures: string[] = [];

  for (const t of thresholdResults(summary)) {
    const stat = statOf(t.expression);
    const value = t.values[stat];
    const params: Parameter[] = value === undefined ? [] : [{ name: stat, value: round(value) }];
    if (!t.ok) failures.push(`threshold ${t.metric}: ${t.expression} failed${value === undefined ? '' : ` (${stat} = ${round(value)})`}`);
    steps.push(step(`threshold ${t.metric}: ${t.expression}`, t.ok, params, stop, t.ok ? undefined : `${stat} = ${value === undefined ? 'n/a' : round(value)}`));
  }
  for (const c of allChecks(summary.root_group)) {
    const ok = c.fails === 0;
    steps.push(step(`check: ${c.name}`, ok, [{ name: 'passes', value: String(c.passes) }, { name: 'fails', value: String(c.fails) }], stop, ok ? undefined : `${c.fails} of ${c.passes + c.fails} failed`));
  }
  const charts: { name: string; svg: string }[] = [];
  const rl = rateLimitOf(summary);
  if (rl) {
    const v = rl.verdict;
    const m = rl.measured!;
    const title = rl.expectedPerSecond === null
      ? 'sustained limit measured (no expected limit: searched)'
      : `sustained limit within ±${(rl.tolerance * 100).toFixed(0)}% of the expected ${rl.expectedPerSecond} req/s`;
    steps.push(step(title, v.ok, [
      { name: 'sustained limit (req/s)', value: m.limitPerSecond === null ? 'not measured' : round(m.limitPerSecond) },
      ...(v.low !== null && v.high !== null ? [{ name: 'accepted window (req/s)', value: `${v.low.toFixed(1)} .. ${v.high.toFixed(1)}` }] : []),
      { name: 'burst past the limit (requests)', value: m.burstRequests === null ? 'n/a' : String(m.burstRequests) },
      { name: '429 onset (req/s)', value: m.onsetPerSecond === null ? 'none' : String(m.onsetPerSecond) },
    ], stop, v.reason));
    if (!v.ok) failures.push(v.reason);
    if (rl.below) {
      steps.push(step(`no 429 below ${((1 - rl.tolerance) * 100).toFixed(0)}% of the expected limit`, rl.below.ok, [
        { name: 'seconds with 429s below', value: rl.below.offendingSeconds.join(', ') || 'none' },
        { name: 'excused (load generator behind its plan)', value: rl.below.excusedSeconds.join(', ') || 'none' },
      ], stop, rl.below.reason));
      if (!rl.below.ok) failures.push(rl.below.reason);
    }
    const line = rl.expectedPerSecond ?? m.limitPerSecond;
    if (line !== null) charts.push({ name: 'request rate vs 429 share', svg: rateLimitChart(rl.series, line, rl.onset?.second ?? null, rl.expectedPerSecond === null ? 'measured limit' : 'expected limit') });
  }
  if (h?.soak) {
    steps.push(step(`p95 latency drift at most x${h.soak.maxDriftRatio}`, h.soak.ok, [{ name: 'ratio', value: h.soak.ratio === null ? 'n/a' : h.soak.ratio.toFixed(2) }], stop, h.soak.reason));
    if (!h.soak.ok) failures.push(h.soak.reason);
    charts.push({ name: 'p95 latency per window', svg: driftChart(h.soak.p95ByWindow, h.durationSeconds, latencySloOf(summary).p95) });
  }
  if (h?.latency && Object.keys(h.latency).length > 0) {
    const slo = latencySloOf(summary);
    charts.push({ name: 'latency percentiles per endpoint', svg: latencyChart(h.latency, slo) });
  }
  const broken = k6ExitCode !== null && k6ExitCode !== 0 && k6ExitCode !== 99 && failures.length === 0;
  if (broken) failures.push(`k6 ended with exit code ${k6ExitCode}`);
  const status = failures.length === 0 ? Status.PASSED : broken ? Status.BROKEN : Status.FAILED;
  const targetName = h?.target.name ?? 'unknown target';
  const result: TestResult = {
    uuid: randomUUID(),
    historyId: createHash('md5').update(`load:${script}:${targetName}`).digest('hex'),
    testCaseId: createHash('md5').update(`load:${script}`).digest('hex'),
    name: `${script}.ts: ${h?.scenario ?? 'k6 run'}`,
    fullName: `load/${script}.ts#${script}`,
    titlePath: ['load', `${script}.ts`],
    status,
    statusDetails: failures.length === 0 ? {} : { message: failures.join('\n') },
    stage: Stage.FINISHED,
    description: `k6 load script load/${script}.ts against ${targetName}. Thresholds are the SLOs; each is a step.`,
    steps,
    attachments: [],
    parameters: [...metricParameters(summary), ...latencyParameter(summary)],
    labels: [
      { name: LabelName.PARENT_SUITE, value: 'load' },
      { name: LabelName.SUITE, value: `${script}.ts` },
      { name: LabelName.EPIC, value: 'load' },
      { name: LabelName.FEATURE, value: FEATURES[script] ?? script },
      { name: LabelName.TAG, value: 'load' },
      { name: LabelName.TAG, value: `@${script}` },
      { name: LabelName.SEVERITY, value: script === 'smoke' || script === 'ratelimit' ? 'critical' : 'normal' },
      { name: LabelName.FRAMEWORK, value: 'k6' },
      { name: LabelName.LANGUAGE, value: 'typescript' },
    ],
    links: script === 'ratelimit' ? [{ name: `${DOCUMENTS.jwtLogin.title}: 429`, url: DOCUMENTS.jwtLogin.url }] : [],
    start,
    stop,
  };
  return { result, charts };
}

/** Name of the Allure parameter that holds the measured sustained limit. */
export const MEASURED_LIMIT_PARAMETER = 'sustained limit (req/s)';
export const ONSET_PARAMETER = '429 onset (req/s)';

/**
 * The summary's ratelimit section with its measurements; a summary written before the limit was measured
 * (only the onset) gets them from its series.
 */
export function rateLimitOf(summary: K6Summary): RateLimitSection | undefined {
  const rl = summary.harness?.ratelimit;
  if (!rl || rl.measured) return rl;
  // Older summaries also described the ramp in another shape: its length is the series'.
  const plan = Array.isArray(rl.plan?.stages) ? rl.plan : { startRate: rl.plan.startRate, endRate: rl.plan.endRate, stages: [{ target: rl.plan.endRate, seconds: rl.series.length }] };
  return rateLimitSection({ expectedPerSecond: rl.expectedPerSecond ?? null, tolerance: rl.tolerance, burst: rl.burst, plan, series: rl.series });
}

/** The latency SLO lines of the chart: read back from the thresholds (they are the SLOs). */
function latencySloOf(summary: K6Summary): { p95: number; p99: number } {
  const found = { p95: 500, p99: 1000 };
  for (const t of thresholdResults(summary)) {
    if (!t.metric.startsWith('http_req_duration')) continue;
    const m = /^p\((95|99)\)<([\d.]+)$/.exec(t.expression.replace(/\s+/g, ''));
    if (m) found[m[1] === '95' ? 'p95' : 'p99'] = Number(m[2]);
  }
  return found;
}

/** Writes the results; returns them. */
export function convertSummary(options: ConvertOptions): TestResult[] {
  const redactor = options.redactor ?? new Redactor();
  mkdirSync(options.resultsDir, { recursive: true });
  const writer = new FileSystemWriter({ resultsDir: options.resultsDir });
  const { result, charts } = buildResult(options.summary, options.k6ExitCode ?? null);
  const leftOut = options.leftOut ?? [];
  if (leftOut.length > 0) {
    // Not a failure of the target: said where the reader of the load result looks, so a missing provider is no surprise.
    result.description = `${result.description ?? ''}\n\nLeft out of the mix (a load test signs in with the same accounts again and again):\n${leftOut.map((l) => `- ${l.reason}`).join('\n')}`;
    result.parameters.push({ name: 'left out of the mix', value: leftOut.map((l) => l.provider).join(', ') });
  }
  const attach = (name: string, type: string, ext: string, content: string): void => {
    const source = `${randomUUID()}-attachment.${ext}`;
    writer.writeAttachment(source, Buffer.from(redactor.text(content), 'utf8'));
    const attachment: Attachment = { name, type, source };
    result.attachments.push(attachment);
  };
  for (const chart of charts) attach(chart.name, ContentType.SVG, 'svg', chart.svg);
  if (options.dashboardHtmlPath) attach('k6 web dashboard', ContentType.HTML, 'html', readFileSync(options.dashboardHtmlPath, 'utf8'));
  attach('k6 summary.json', ContentType.JSON, 'json', JSON.stringify(options.summary, null, 1));
  const redacted = JSON.parse(redactor.text(JSON.stringify(result))) as TestResult;
  writer.writeResult(redacted);
  return [redacted];
}

async function main(argv: string[]): Promise<void> {
  const [summaryPath, ...rest] = argv;
  if (!summaryPath) {
    process.stderr.write('usage: tsx load/report/summary-to-allure.ts <summary.json> [--dashboard <dashboard.html>]\n');
    process.exit(2);
  }
  const i = rest.indexOf('--dashboard');
  const summary = JSON.parse(readFileSync(summaryPath, 'utf8')) as K6Summary;
  const written = convertSummary({ summary, resultsDir: defaultResultsDir(), dashboardHtmlPath: i >= 0 ? rest[i + 1] : undefined });
  process.stdout.write(`wrote ${written.length} Allure result(s) to ${defaultResultsDir()}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) void main(process.argv.slice(2));
