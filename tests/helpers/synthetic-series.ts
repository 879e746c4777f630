// Synthetic daily series for the predictors (protocol/predictors.ts): one point a day at noon UTC,
// a value from a function of the day, optional seeded noise so every run sees the same series.
import type { RawPoint } from '../../protocol/predictors';

export const DAY_MS = 24 * 60 * 60_000;
/** Day 0 of every synthetic series. */
export const SERIES_START = Date.parse('2026-09-01T12:00:00.000Z');

/** A deterministic pseudo-random source (mulberry32), uniform in [0, 1). */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/** Normal noise of standard deviation `sigma` (Box-Muller over `random`). */
export function gaussian(random: () => number, sigma: number): number {
  const u = Math.max(random(), 1e-12);
  return sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** `days` daily points: value(day) plus noise; `now` is the last point's time plus 2 hours. */
export function dailySeries(
  days: number,
  value: (day: number) => number,
  options: { noise?: number; seed?: number; start?: number } = {},
): { points: RawPoint[]; now: number } {
  const random = seeded(options.seed ?? 1);
  const start = options.start ?? SERIES_START;
  const points: RawPoint[] = [];
  for (let day = 0; day < days; day++) {
    const noise = options.noise ? gaussian(random, options.noise) : 0;
    points.push({ at: new Date(start + day * DAY_MS).toISOString(), value: value(day) + noise });
  }
  return { points, now: start + (days - 1) * DAY_MS + 2 * 60 * 60_000 };
}

/** Counts per day (Poisson around `rate(day)`), as reconnects or on-mains low bits are counted. */
export function dailyCounts(
  days: number,
  rate: (day: number) => number,
  seed = 1,
): { points: RawPoint[]; now: number } {
  const random = seeded(seed);
  return dailySeries(days, (day) => {
    // Knuth's method: fine for the small rates of these tests.
    const limit = Math.exp(-Math.max(0, rate(day)));
    let count = -1;
    let product = 1;
    do {
      count++;
      product *= random();
    } while (product > limit);
    return count;
  });
}
