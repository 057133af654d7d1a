/**
 * "Did you mean ...?" for names a person types into a profile (provider keys, expectation cases): a misspelt
 * key such as `facebok` or `qqmobile` must fail naming the right one, not load and silently test nothing.
 */

/** Levenshtein distance, case-insensitive, with `_`/`-` ignored (so `qqmobile` is next to `qq_mobile`). */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase().replace(/[_-]/g, '');
  const y = b.toLowerCase().replace(/[_-]/g, '');
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[y.length]!;
}

/** The closest valid name, or undefined when none is close enough to be a plausible typo. */
export function nearestName(name: string, valid: readonly string[]): string | undefined {
  // A shortened name (`epic` for `epicgames`) is a plausible slip however many letters it drops.
  const lower = name.toLowerCase();
  const extended = lower.length >= 3 ? valid.find((candidate) => candidate.toLowerCase().startsWith(lower)) : undefined;
  if (extended) return extended;
  let best: { name: string; distance: number } | undefined;
  for (const candidate of valid) {
    const distance = editDistance(name, candidate);
    if (!best || distance < best.distance) best = { name: candidate, distance };
  }
  // A typo changes a few letters; beyond half the word it is a different word.
  return best && best.distance <= Math.max(2, Math.floor(name.length / 2)) ? best.name : undefined;
}

/** `is not a <what>; did you mean "x"? (valid: a, b, c)` */
export function unknownNameReason(name: string, what: string, valid: readonly string[]): string {
  const guess = nearestName(name, valid);
  return `"${name}" is not ${what}${guess ? `; did you mean "${guess}"?` : ''} (valid: ${valid.join(', ')})`;
}
