/**
 * The search's stop rule (ratelimit.ts without an expected limit): k6 VUs share no memory, so each VU decides
 * from its own answers whether the 429s have held, and the first VU that sees it stops the run. A VU that
 * sends a request or two per second sees few 429s in any one second, so the rule looks at pairs of seconds:
 * every pair of the last `holdSeconds` complete seconds holds at least one 429 and at least `minShare` of this
 * VU's requests. A lone early 429 (bunched arrivals at the start, a stall) fills one pair, not all of them. The
 * hold is long enough for the estimate (limit-estimate.ts) to leave out the onset and the drain of a burst and
 * still measure several limited seconds. Pure, no k6 APIs: unit-tested under Node.
 */

export const SEARCH_HOLD_SECONDS = 8;

/**
 * How the search's stop message begins. k6 has no way for a script to end a run early other than
 * `exec.test.abort()`, and it logs every abort at level=error; the runner recognises this message, keeps k6's
 * line out of the output and says in one plain line that the search stopped as planned (load/run/planned-stop.ts).
 */
export const SEARCH_STOP_PREFIX = 'limit search done: ';
/**
 * A pair counts only when at least this share of the VU's requests got 429: the offered rate is then at least
 * 1/(1 - 0.1) = 1.11x the limit, what the estimate needs to count a second (limit-estimate.ts OFFERED_MARGIN). A
 * step of the staircase just above the limit does not stop the search; the next, twice as high, does.
 */
export const SEARCH_MIN_SHARE = 0.1;
/**
 * Seconds the run goes on after a VU has seen the 429s hold. One VU's share of the answers is noisy (a window
 * limiter refuses the same places in each window, and the same VUs may get them), so a VU can see the 429s hold
 * while the offered rate is barely past the limit; the staircase's next step, twice as high, then gives the
 * estimate its seconds well above the limit.
 */
export const SEARCH_MEASURE_SECONDS = 4;

export class SearchTally {
  private readonly sent = new Map<number, number>();
  private heldAt: number | null = null;
  private readonly limited = new Map<number, number>();

  constructor(readonly holdSeconds = SEARCH_HOLD_SECONDS, private readonly minShare = SEARCH_MIN_SHARE) {}

  add(second: number, isLimited: boolean): void {
    this.sent.set(second, (this.sent.get(second) ?? 0) + 1);
    if (isLimited) this.limited.set(second, (this.limited.get(second) ?? 0) + 1);
    // Only the last hold window matters; forget the rest so a long run keeps a small map.
    this.sent.delete(second - this.holdSeconds - 2);
    this.limited.delete(second - this.holdSeconds - 2);
  }

  /** Stop the run? Once the 429s have held, and SEARCH_MEASURE_SECONDS more have passed. */
  shouldStop(current: number): boolean {
    if (this.heldAt === null && this.limitHeld(current)) this.heldAt = current;
    return this.heldAt !== null && current >= this.heldAt + SEARCH_MEASURE_SECONDS;
  }

  /** Have 429s held over the complete seconds before `current`? */
  limitHeld(current: number): boolean {
    if (current < this.holdSeconds + 1) return false;
    for (let end = current; end > current - this.holdSeconds; end -= 2) {
      let sent = 0;
      let limited = 0;
      for (const s of [end - 1, end - 2]) {
        sent += this.sent.get(s) ?? 0;
        limited += this.limited.get(s) ?? 0;
      }
      if (limited === 0 || limited < this.minShare * sent) return false;
    }
    return true;
  }
}
