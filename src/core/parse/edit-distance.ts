/**
 * Edit distance where swapping two neighbouring letters is one edit ("aks" → "ask"): the one
 * measure behind every "did you mean" (command names, time zones, month names).
 *
 * With a `limit` the answer is exact up to `limit` and `limit + 1` for anything further.
 * why banded: only cells within `limit` of the diagonal can stay within it, so the work is
 * about `min(|a|, |b|) × (2 × limit + 1)` cells and stops as soon as a whole row exceeds the
 * limit; a member's 6,000-letter word against a 30-letter name costs a length comparison.
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  const over = limit + 1;
  if (Math.abs(a.length - b.length) > limit) return over;
  // Three rotating rows: the Damerau swap looks two rows back.
  let before = new Array<number>(b.length + 1).fill(over);
  let previous = new Array<number>(b.length + 1).fill(over);
  let current = new Array<number>(b.length + 1).fill(over);
  for (let j = 0; j <= Math.min(b.length, limit); j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const from = Math.max(1, i - limit);
    const to = Math.min(b.length, i + limit);
    // The cells either side of the band hold "too far", whatever an older row left there.
    current[from - 1] = from - 1 === 0 ? i : over;
    if (to + 1 <= b.length) current[to + 1] = over;
    let rowBest = current[from - 1]!;
    for (let j = from; j <= to; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, before[j - 2]! + 1);
      current[j] = Math.min(best, over);
      rowBest = Math.min(rowBest, current[j]!);
    }
    if (rowBest > limit) return over;
    [before, previous, current] = [previous, current, before];
  }
  return Math.min(previous[b.length]!, over);
}
