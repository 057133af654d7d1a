/**
 * Retry-After as RFC 9110 §10.2.3 defines it: delta-seconds or an HTTP-date. Returns the seconds from now, or
 * null when the header is absent or neither form.
 */
export function retryAfterSeconds(value: string | undefined, nowMs = Date.now()): number | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  if (!/[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT/.test(trimmed)) return null;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - nowMs) / 1000));
}
