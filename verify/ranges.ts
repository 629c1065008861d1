/**
 * Offset ranges: inclusive [first, last] pairs, sorted and disjoint once normalized. Reconciling
 * a million records is arithmetic on a handful of these, not a set of a million offsets.
 */
export type OffsetRange = readonly [first: number, last: number];

export function rangeLength([first, last]: OffsetRange): number {
  return last - first + 1;
}

export function totalLength(ranges: readonly OffsetRange[]): number {
  return ranges.reduce((sum, range) => sum + rangeLength(range), 0);
}

/** Sorts and merges overlapping or adjacent ranges. */
export function normalize(ranges: readonly OffsetRange[]): OffsetRange[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const [first, last] of sorted) {
    const previous = merged[merged.length - 1];
    if (previous && first <= previous[1] + 1) previous[1] = Math.max(previous[1], last);
    else merged.push([first, last]);
  }
  return merged;
}

/** The offsets of `from` not in `remove`; both normalized. */
export function subtract(from: readonly OffsetRange[], remove: readonly OffsetRange[]): OffsetRange[] {
  const result: OffsetRange[] = [];
  let j = 0;
  for (const [first, last] of from) {
    let cursor = first;
    while (j < remove.length && (remove[j] as OffsetRange)[1] < cursor) j++;
    let k = j;
    while (cursor <= last && k < remove.length && (remove[k] as OffsetRange)[0] <= last) {
      const [removeFirst, removeLast] = remove[k] as OffsetRange;
      if (removeFirst > cursor) result.push([cursor, removeFirst - 1]);
      cursor = Math.max(cursor, removeLast + 1);
      k++;
    }
    if (cursor <= last) result.push([cursor, last]);
  }
  return result;
}

/** The offsets in both; both normalized. */
export function intersect(a: readonly OffsetRange[], b: readonly OffsetRange[]): OffsetRange[] {
  const result: OffsetRange[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const [aFirst, aLast] = a[i] as OffsetRange;
    const [bFirst, bLast] = b[j] as OffsetRange;
    const first = Math.max(aFirst, bFirst);
    const last = Math.min(aLast, bLast);
    if (first <= last) result.push([first, last]);
    if (aLast < bLast) i++;
    else j++;
  }
  return result;
}

/** `5`, `5-9`, joined with commas; at most `limit` ranges, then `(+N more)`. */
export function formatRanges(ranges: readonly OffsetRange[], limit = 5): string {
  const shown = ranges.slice(0, limit).map(([first, last]) => (first === last ? `${first}` : `${first}-${last}`));
  const more = ranges.length > limit ? ` (+${ranges.length - limit} more)` : "";
  return `${shown.join(", ")}${more}`;
}
