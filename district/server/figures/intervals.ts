// Time intervals in ms [start, end), as sorted, non-overlapping lists.

export interface Interval {
  start: number;
  end: number;
}

/** Sorted, merged, clipped to [from, to); empty intervals dropped. */
export function normalize(intervals: readonly Interval[], from: number, to: number): Interval[] {
  const clipped = intervals
    .map((interval) => ({ start: Math.max(from, interval.start), end: Math.min(to, interval.end) }))
    .filter((interval) => interval.end > interval.start)
    .sort((left, right) => left.start - right.start);
  const merged: Interval[] = [];
  for (const interval of clipped) {
    const last = merged[merged.length - 1];
    if (last !== undefined && interval.start <= last.end) {
      last.end = Math.max(last.end, interval.end);
    } else {
      merged.push({ ...interval });
    }
  }
  return merged;
}

/** The time covered by every one of the lists (each normalized). An empty list of lists covers nothing. */
export function intersectAll(lists: readonly Interval[][]): Interval[] {
  if (lists.length === 0) {
    return [];
  }
  return lists.slice(1).reduce((accumulated, list) => {
    const result: Interval[] = [];
    let left = 0;
    let right = 0;
    while (left < accumulated.length && right < list.length) {
      const start = Math.max(accumulated[left].start, list[right].start);
      const end = Math.min(accumulated[left].end, list[right].end);
      if (end > start) {
        result.push({ start, end });
      }
      if (accumulated[left].end < list[right].end) {
        left++;
      } else {
        right++;
      }
    }
    return result;
  }, lists[0]);
}

export const totalMs = (intervals: readonly Interval[]): number =>
  intervals.reduce((sum, interval) => sum + interval.end - interval.start, 0);
