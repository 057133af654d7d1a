import type { AnswerCase, EndpointId } from '../../contract/index.ts';
import type { Expectation } from '../profile.ts';
import { describeRule, isRegression, type RegressionRule } from '../slo.ts';
import { answerSignature, type AnswerRecord, type RunRecord } from './record.ts';
import { breaksRetryAfter, describeCounts, describeFact, factOf, total429, type RetryAfterFact } from './retry-after-facts.ts';

/**
 * What changed between two runs (a baseline and this one, or target A and target B): every difference is one
 * Change. Whether it fails:
 *   - an answer to an expectation case that no longer matches a pinned expectation of the current target (a
 *     single status, or a named code) fails: QA said what this server answers, and it answers something else;
 *   - a learned rate-limit fact (Retry-After on every 429, in one form) that this run's 429s break fails;
 *   - latency worse than the profile's regression rule fails;
 *   - every other difference is shown and does not fail, unless strict (--strict-drift).
 */

export type ChangeKind = 'answer' | 'latency' | 'load latency' | 'rate limit';

export interface Change {
  kind: ChangeKind;
  /** The test (answers) or the endpoint / load script (latency) the change is about. */
  subject: string;
  endpoint: EndpointId | null;
  /** One line: what it was → what it is now. */
  title: string;
  was: string;
  now: string;
  curlWas: string | null;
  curlNow: string | null;
  failing: boolean;
  /** Why it fails or why not. */
  verdict: string;
}

export interface DiffOptions {
  /** The current target's expectations: a changed answer that breaks a pinned one fails. */
  expectations: Record<AnswerCase, Expectation>;
  regression: RegressionRule;
  strict: boolean;
  /**
   * The target's learned file, when it has one that is not the expectations file itself: until QA adopts it, it
   * pins the statuses it observed (a changed status fails) but not the codes (a changed code is shown).
   */
  learned?: { file: string; cases: Partial<Record<AnswerCase, { status: number[]; observed: boolean }>> };
  /**
   * Learned facts that pin what the target's 429s carry: the expectations file's (adopted) first, then the learned
   * file's beside it. A run whose 429s break one fails, until QA adopts a learned file that says otherwise.
   */
  retryAfter?: { file: string; fact: RetryAfterFact }[];
}

const describeAnswer = (a: AnswerRecord): string =>
  `${a.method} ${a.endpoint ?? 'other'} → ${a.status}${a.errorCode ? ` error.code ${a.errorCode}` : ''}, body ${a.shape}`;

/** A case is pinned on status when the expectations give one status, and on code when they name one. */
export function pinnedParts(expectation: Expectation): { status: boolean; code: boolean } {
  return { status: expectation.status.length === 1, code: expectation.code !== null };
}

/**
 * Does the answer break what the expectations pin for its case? Returns the reason, or null. The case is the one
 * the answer was checked against, or else the one the same test's same call was checked against in the baseline:
 * a test stops before toMatchExpectation when an always-on check fails first (an error code of another form), and
 * the request, and so its case, is the same in both runs.
 */
function breaksPinned(answer: AnswerRecord, was: AnswerRecord | null, options: Pick<DiffOptions, 'expectations' | 'learned'>): string | null {
  const expectationCase = answer.expectationCase ?? was?.expectationCase ?? null;
  if (!expectationCase) return null;
  const want = options.expectations[expectationCase];
  if (!want) return null;
  if (!want.status.includes(answer.status)) return `case ${expectationCase} expects status ${want.status.join(' or ')}, now ${answer.status} (pinned in the expectations file)`;
  if (want.code !== null && answer.errorCode !== want.code) return `case ${expectationCase} pins error.code ${want.code}, now ${answer.errorCode ?? 'none'} (pinned in the expectations file)`;
  const learned = options.learned?.cases[expectationCase];
  if (learned?.observed && !learned.status.includes(answer.status)) {
    return `case ${expectationCase} answered ${learned.status.join(' or ')} when ${options.learned!.file} was learned, now ${answer.status} (adopt or re-learn it if the new status is right)`;
  }
  return null;
}

/** Pairs answers that went away with answers that came, on the same call (and expectation case, when there is one). */
function pairUp(gone: AnswerRecord[], came: AnswerRecord[]): { was: AnswerRecord | null; now: AnswerRecord | null }[] {
  const pairs: { was: AnswerRecord | null; now: AnswerRecord | null }[] = [];
  const left = [...came];
  for (const was of gone) {
    const i = left.findIndex((now) => now.method === was.method && now.endpoint === was.endpoint && now.expectationCase === was.expectationCase);
    const j = i >= 0 ? i : left.findIndex((now) => now.method === was.method && now.endpoint === was.endpoint);
    if (j >= 0) pairs.push({ was, now: left.splice(j, 1)[0]! });
    else pairs.push({ was, now: null });
  }
  for (const now of left) pairs.push({ was: null, now });
  return pairs;
}

/**
 * The cURL lines of both sides. A record on disk keeps none (size): the baseline's request is this run's request of
 * the same test, sent to the baseline's base URL.
 */
function curlsOf(was: AnswerRecord | null, now: AnswerRecord | null, answers: AnswerRecord[], base: RunRecord, current: RunRecord): { curlWas: string | null; curlNow: string | null } {
  const sameCall = (a: AnswerRecord | null): string | undefined => (a ? answers.find((x) => x.curl && x.method === a.method && x.endpoint === a.endpoint)?.curl : undefined);
  const curlNow = now?.curl ?? sameCall(now) ?? sameCall(was) ?? null;
  const rebased = curlNow && base.run.target.baseUrl ? curlNow.split(current.run.target.baseUrl).join(base.run.target.baseUrl) : null;
  return { curlWas: was?.curl ?? rebased, curlNow: now ? curlNow : null };
}

function answerChanges(base: RunRecord, current: RunRecord, options: DiffOptions): Change[] {
  const changes: Change[] = [];
  for (const [id, test] of Object.entries(current.tests)) {
    const before = base.tests[id];
    // Only tests both runs made requests in: a test left out (--only, a skipped provider) is not a change of the target.
    if (!before || before.answers.length === 0 || test.answers.length === 0) continue;
    const had = new Set(before.answers.map(answerSignature));
    const has = new Set(test.answers.map(answerSignature));
    const gone = before.answers.filter((a) => !has.has(answerSignature(a)));
    const came = test.answers.filter((a) => !had.has(answerSignature(a)));
    for (const { was, now } of pairUp(gone, came)) {
      const broken = now ? breaksPinned(now, was, options) : null;
      const failing = options.strict || broken !== null;
      const verdict = broken
        ? `fails: ${broken}`
        : options.strict
          ? 'fails: --strict-drift makes every change fail'
          : (now?.expectationCase ?? was?.expectationCase)
            ? `shown, not failing: case ${now?.expectationCase ?? was?.expectationCase} is not pinned to another answer (pin it in the expectations file to make this fail)`
            : 'shown, not failing: no pinned expectation covers this answer';
      changes.push({
        kind: 'answer',
        subject: id,
        endpoint: (now ?? was)!.endpoint,
        title: `${was ? `${was.status}${was.errorCode ? ` ${was.errorCode}` : ''}` : 'not answered'} → ${now ? `${now.status}${now.errorCode ? ` ${now.errorCode}` : ''}` : 'no longer answered'}${
          was && now && was.status === now.status && was.errorCode === now.errorCode ? ' (body shape)' : ''
        }`,
        was: was ? describeAnswer(was) : 'no such answer',
        now: now ? describeAnswer(now) : 'no such answer',
        ...curlsOf(was, now, test.answers, base, current),
        failing,
        verdict,
      });
    }
  }
  return changes;
}

function latencyChanges(base: RunRecord, current: RunRecord, options: DiffOptions): Change[] {
  const changes: Change[] = [];
  const rule = options.regression;
  for (const [endpoint, now] of Object.entries(current.latency) as [EndpointId, NonNullable<RunRecord['latency'][EndpointId]>][]) {
    const was = base.latency[endpoint];
    if (!was || was.n < rule.minSamples || now.n < rule.minSamples) continue;
    // The suites' requests come from a test runner that shares its machine: a busy machine stretches the middle
    // and the tail of their latency, but some requests still find it idle, so the floor (p10) stays. A slower
    // server moves every request, floor included. So both the floor and the median must be worse by the rule.
    const p10 = isRegression(rule, was.p10, now.p10);
    const p50 = isRegression(rule, was.p50, now.p50);
    if (!(p10 && p50)) continue;
    changes.push({
      kind: 'latency',
      subject: endpoint,
      endpoint,
      title: `${endpoint} latency p10 ${was.p10} → ${now.p10} ms, median ${was.p50} → ${now.p50} ms`,
      was: `p10 ${was.p10} ms, median ${was.p50} ms, p95 ${was.p95} ms over ${was.n} answers of the suites`,
      now: `p10 ${now.p10} ms, median ${now.p50} ms, p95 ${now.p95} ms over ${now.n} answers of the suites`,
      curlWas: null,
      curlNow: null,
      failing: true,
      verdict: `fails: latency regression (p10 and median both ${describeRule(rule)}; profile load.regression)`,
    });
  }
  for (const [script, now] of Object.entries(current.load)) {
    const was = base.load[script];
    if (!was) continue;
    // Per endpoint where k6 tagged its requests; the script's overall p95 otherwise.
    const endpoints = Object.entries(now.endpoints ?? {}).filter(([e, v]) => v.p95 !== null && was.endpoints?.[e]?.p95 != null);
    if (endpoints.length > 0) {
      for (const [endpoint, v] of endpoints) {
        const before = was.endpoints![endpoint]!;
        if (isRegression(rule, before.p95!, v.p95!)) changes.push(k6LatencyChange(`${script}.ts ${endpoint}`, endpoint as EndpointId, before, v, rule));
      }
      continue;
    }
    if (was.p95 === null || now.p95 === null || !isRegression(rule, was.p95, now.p95)) continue;
    changes.push(k6LatencyChange(`${script}.ts`, null, was, now, rule));
  }
  return changes;
}

/** k6 reports latency with nanosecond digits; a tenth of a millisecond is what a reader compares. */
const ms = (n: number | null): string => (n === null ? '-' : String(Math.round(n * 10) / 10));

/** A k6 p95 regression of a script (`endpoint` null) or of one endpoint of it. */
function k6LatencyChange(
  what: string,
  endpoint: EndpointId | null,
  was: { p95: number | null; p99: number | null },
  now: { p95: number | null; p99: number | null },
  rule: RegressionRule,
): Change {
  return {
    kind: 'load latency',
    subject: `load/${what}`,
    endpoint,
    title: `${what} p95 ${ms(was.p95)} → ${ms(now.p95)} ms`,
    was: `k6 p95 ${ms(was.p95)} ms, p99 ${ms(was.p99)} ms`,
    now: `k6 p95 ${ms(now.p95)} ms, p99 ${ms(now.p99)} ms`,
    curlWas: null,
    curlNow: null,
    failing: true,
    verdict: `fails: latency regression (p95 ${describeRule(rule)}; profile load.regression)`,
  };
}

function rateLimitChanges(base: RunRecord, current: RunRecord, options: DiffOptions): Change[] {
  // The sustained limit is measured to within 5% (load/README.md); a change beyond 10% is a different limit. Records
  // without it (older ones) fall back to the onset, which also moves with the burst.
  const limitWas = base.rateLimit?.limitPerSecond;
  const limitNow = current.rateLimit?.limitPerSecond;
  const useLimit = typeof limitWas === 'number' && typeof limitNow === 'number';
  const was = useLimit ? limitWas : base.rateLimit?.onsetPerSecond;
  const now = useLimit ? limitNow : current.rateLimit?.onsetPerSecond;
  if (was === undefined || now === undefined || was === null || now === null) return [];
  if (Math.abs(now - was) <= 0.1 * was) return [];
  const what = useLimit ? 'sustained limit' : '429 onset';
  return [{
    kind: 'rate limit',
    subject: 'load/ratelimit.ts',
    endpoint: null,
    title: `${what} ${was} → ${now} req/s`,
    was: useLimit ? `the target let through ${was} req/s once it limited` : `429s began at ${was} req/s`,
    now: useLimit ? `it lets through ${now} req/s` : `429s begin at ${now} req/s`,
    curlWas: null,
    curlNow: null,
    failing: options.strict,
    verdict: options.strict ? 'fails: --strict-drift makes every change fail' : 'shown, not failing: the ratelimit script itself judges the limit against the profile\'s expected limit',
  }];
}

/**
 * Retry-After on this run's 429s against what is pinned (a learned fact) or, without a pin, against the baseline's
 * 429s: a pinned fact broken fails; a difference from the baseline alone is shown. A run without 429s says nothing.
 */
function retryAfterChanges(base: RunRecord, current: RunRecord, options: DiffOptions): Change[] {
  const now = current.retryAfter;
  if (total429(now) === 0) return [];
  const change = (was: string, failing: boolean, verdict: string): Change => ({
    kind: 'rate limit',
    subject: 'Retry-After on 429',
    endpoint: null,
    // No counts in the title: it names the change (and its history in the report), the counts are in "now".
    title: `${was} → ${describeFact(factOf(now))}`,
    was,
    now: describeCounts(now),
    curlWas: null,
    curlNow: null,
    failing,
    verdict,
  });
  for (const pin of options.retryAfter ?? []) {
    const broken = breaksRetryAfter(pin.fact, now);
    if (broken) {
      return [change(describeFact(pin.fact), true, `fails: ${pin.file} pins "${describeFact(pin.fact)}" (learned from what the server answered); ${broken}. If the server changed on purpose, run npm start -- --learn and adopt the new learned file`)];
    }
  }
  // Nothing pinned broke: compare with the baseline's 429s, shown only.
  if (total429(base.retryAfter) === 0) return [];
  const was = factOf(base.retryAfter);
  const is = factOf(now);
  if (was.every429 === is.every429 && was.form === is.form) return [];
  return [change(describeFact(was), options.strict, options.strict ? 'fails: --strict-drift makes every change fail' : 'shown, not failing: no learned file pins Retry-After on this target (npm start -- --learn writes one)')];
}

export function diffRecords(base: RunRecord, current: RunRecord, options: DiffOptions): Change[] {
  return [...answerChanges(base, current, options), ...latencyChanges(base, current, options), ...rateLimitChanges(base, current, options), ...retryAfterChanges(base, current, options)];
}
