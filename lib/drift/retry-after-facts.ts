import type { RetryAfterForm } from '../retry-after.ts';

/**
 * A learned rate-limit fact: whether every 429 the run saw carried Retry-After, and in which form (RFC 9110
 * §10.2.3: "Retry-After = HTTP-date / delay-seconds"). The pages document the 429 body only and RFC 6585 §4 makes
 * the header a MAY, so no check can require it of every server; but once a run saw it on every 429, a later 429
 * without it is a change of this server, and the comparison with the learned file says so (and fails).
 */

/** How many 429 answers came with each form. */
export type RetryAfterCounts = Partial<Record<RetryAfterForm, number>>;

export interface RetryAfterFact {
  /** Every 429 carried a valid Retry-After (true), some did not (false), or no 429 was seen (null: nothing learned). */
  every429: boolean | null;
  /** The one form they came in; `mixed` when both were seen; null when nothing was learned or none carried one. */
  form: 'delta-seconds' | 'http-date' | 'mixed' | null;
  /** The 429 answers it rests on, per form; null when the run saw no 429. */
  observed: RetryAfterCounts | null;
  $comment?: string;
}

const count = (c: RetryAfterCounts | null | undefined, form: RetryAfterForm): number => c?.[form] ?? 0;
export const total429 = (c: RetryAfterCounts | null | undefined): number => Object.values(c ?? {}).reduce((a, b) => a + (b ?? 0), 0);
/** 429s without a valid Retry-After (absent, or neither form). */
export const without = (c: RetryAfterCounts | null | undefined): number => count(c, 'absent') + count(c, 'invalid');

/** The fact a run's 429s give; `current` (the expectations file's, if any) is kept when the run saw no 429. */
export function learnRetryAfter(seen: RetryAfterCounts | null | undefined, current: RetryAfterFact | undefined, from: string): RetryAfterFact {
  const n = total429(seen);
  if (n === 0) {
    return { ...(current ?? { every429: null, form: null }), observed: null, $comment: `no 429 in this run (run the @ratelimit tests to learn it): left as in ${from}` };
  }
  const missing = without(seen);
  const seconds = count(seen, 'delta-seconds');
  const dates = count(seen, 'http-date');
  const form = seconds > 0 && dates > 0 ? 'mixed' : seconds > 0 ? 'delta-seconds' : dates > 0 ? 'http-date' : null;
  return {
    every429: missing === 0,
    form,
    observed: { ...seen },
    ...(missing > 0 ? { $comment: `${missing} of ${n} 429s came without a valid Retry-After: its absence is not pinned` } : {}),
  };
}

const describeForm = (form: RetryAfterFact['form']): string => (form === 'delta-seconds' ? 'as delay-seconds' : form === 'http-date' ? 'as an HTTP-date' : 'in either form');

export const describeFact = (fact: RetryAfterFact): string =>
  fact.every429 === true ? `Retry-After on every 429 (${describeForm(fact.form)})` : fact.every429 === false ? 'Retry-After not on every 429' : 'Retry-After not learned';

export const describeCounts = (c: RetryAfterCounts | null | undefined): string => {
  const n = total429(c);
  const parts = (['delta-seconds', 'http-date', 'absent', 'invalid'] as const).filter((f) => count(c, f) > 0).map((f) => `${count(c, f)} ${f === 'absent' ? 'without it' : f === 'invalid' ? 'with neither form' : f}`);
  return `${n} 429${n === 1 ? '' : 's'}: ${parts.join(', ') || 'none'}`;
};

/**
 * Does this run's 429s break a pinned fact? The reason, or null. Pinned: every 429 carried Retry-After (then one
 * without it breaks it), in one form (then the other form breaks it). A run without 429s breaks nothing.
 */
export function breaksRetryAfter(fact: RetryAfterFact, now: RetryAfterCounts | null | undefined): string | null {
  if (fact.every429 !== true || total429(now) === 0) return null;
  const missing = without(now);
  if (missing > 0) return `${missing} of ${total429(now)} 429s came without a valid Retry-After`;
  if (fact.form === 'delta-seconds' && count(now, 'http-date') > 0) return `${count(now, 'http-date')} of ${total429(now)} 429s gave Retry-After as an HTTP-date, not delay-seconds`;
  if (fact.form === 'http-date' && count(now, 'delta-seconds') > 0) return `${count(now, 'delta-seconds')} of ${total429(now)} 429s gave Retry-After as delay-seconds, not an HTTP-date`;
  return null;
}

/** The fact a record's counts amount to (for a baseline record: what changed since, when nothing pins it). */
export const factOf = (c: RetryAfterCounts | null | undefined): RetryAfterFact => learnRetryAfter(c, undefined, 'the record');
