/**
 * Retry-After as RFC 9110 §10.2.3 defines it: "Retry-After = HTTP-date / delay-seconds". Returns the seconds from
 * now, or null when the header is absent or neither form. The date must be an IMF-fixdate: §5.6.7 "a sender MUST
 * generate those timestamps in the IMF-fixdate format" (the obsolete forms are a recipient's fallback, not a
 * server's choice). Whitespace around the value is not part of it (§5.5).
 */
const IMF_FIXDATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

export function retryAfterSeconds(value: string | undefined, nowMs = Date.now()): number | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  if (!IMF_FIXDATE.test(trimmed)) return null;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - nowMs) / 1000));
}

/** The form a 429's Retry-After came in (RFC 9110 §10.2.3), or that it was absent or neither form. */
export type RetryAfterForm = 'delta-seconds' | 'http-date' | 'absent' | 'invalid';

export function retryAfterForm(value: string | undefined): RetryAfterForm {
  if (value === undefined) return 'absent';
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return 'delta-seconds';
  return IMF_FIXDATE.test(trimmed) && !Number.isNaN(Date.parse(trimmed)) ? 'http-date' : 'invalid';
}
