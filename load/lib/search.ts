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

export class SearchTally {
  private readonly sent = new Map<number, number>();
  private readonly limited = new Map<number, number>();

  constructor(readonly holdSeconds = SEARCH_HOLD_SECONDS, private readonly minShare = 0.02) {}

  add(second: number, isLimited: boolean): void {
    this.sent.set(second, (this.sent.get(second) ?? 0) + 1);
    if (isLimited) this.limited.set(second, (this.limited.get(second) ?? 0) + 1);
    // Only the last hold window matters; forget the rest so a long run keeps a small map.
    this.sent.delete(second - this.holdSeconds - 2);
    this.limited.delete(second - this.holdSeconds - 2);
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
