// Hostile cases for the predictors (protocol/predictors.ts), invented by a tester before reading the
// feature's own tests: odd shapes of real series, bad clocks, bad values, too many points. Each
// verdict both ways: no warning on a healthy device, a warning with sane days on a failing one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ForecastSchema } from '../../../protocol/forecast';
import type { RawPoint } from '../../../protocol/predictors';
import {
  predictClockDrift,
  predictDisk,
  predictUpsBatteryFading,
  predictUpsLowOnMains,
  predictUsbReconnects,
  MAX_TREND_POINTS,
  trend,
  USB_RECONNECTS_RULE,
} from '../../../protocol/predictors';

const DAY_MS = 86_400_000;
const NOW = Date.parse('2026-11-30T10:00:00Z');
const context = { now: NOW };

/** One point a day for `days` days ending today, value from `valueOf(day index, 0 = oldest)`. */
function daily(days: number, valueOf: (index: number) => number, now = NOW): RawPoint[] {
  return Array.from({ length: days }, (_, index) => ({
    at: new Date(now - (days - 1 - index) * DAY_MS).toISOString(),
    value: valueOf(index),
  }));
}

/** Deterministic noise in [-1, 1] (a tiny LCG: the same series every run). */
function noise(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return (state / 2 ** 31) * 2 - 1;
  };
}

const battery = (points: RawPoint[]) =>
  predictUpsBatteryFading({ deviceKey: 'ups-1', cells: 6, points }, context);
const reconnects = (points: RawPoint[]) =>
  predictUsbReconnects({ role: 'fingerprint', deviceKey: 'fp-1', deviceName: 'fingerprint', points }, context);

test('a battery flat for three weeks that drops on the last day gives no forecast (one day is no trend)', () => {
  const points = daily(21, (index) => (index === 20 ? 11.0 : 13.2));
  assert.equal(battery(points), null);
});

test('a healthy battery with a daily sawtooth (charged, discharged) gives no forecast', () => {
  const points = daily(30, (index) => (index % 2 === 0 ? 13.4 : 12.8));
  assert.equal(battery(points), null);
});

test('a fading battery under a daily sawtooth is still forecast, with days that match the fade', () => {
  // 13.3 V falling 0.05 V a day, ±0.3 V sawtooth: the mean reaches 10.5 V about 56 days after the
  // first point, i.e. about 27 days from now (29 days of data).
  const points = daily(30, (index) => 13.3 - 0.05 * index + (index % 2 === 0 ? 0.3 : -0.3));
  const forecast = battery(points);
  assert.ok(forecast, 'a fading battery must not be silent');
  assert.ok(
    forecast.likelyInDays !== null && forecast.likelyInDays >= 20 && forecast.likelyInDays <= 34,
    `likely in ${forecast.likelyInDays} days`,
  );
  assert.ok(ForecastSchema.safeParse(forecast).success);
});

test('reconnects rising with no data on weekends are still forecast; the same days flat are not', () => {
  const weekdays = (points: RawPoint[]) =>
    points.filter((point) => ![0, 6].includes(new Date(point.at).getUTCDay()));
  const rising = weekdays(daily(28, (index) => Math.round(index * 0.4)));
  const forecast = reconnects(rising);
  assert.ok(forecast, 'a rising count must not be silent because weekends are missing');
  assert.ok(forecast.likelyInDays !== null && forecast.likelyInDays <= 5, `likely in ${forecast.likelyInDays}`);
  const random = noise(7);
  assert.equal(reconnects(weekdays(daily(28, () => 2 + Math.round(random() * 2)))), null);
});

test('one noisy day of reconnects after two quiet weeks gives no forecast', () => {
  assert.equal(reconnects(daily(14, (index) => (index === 13 ? 40 : index % 3 === 0 ? 1 : 0))), null);
  assert.equal(reconnects(daily(14, (index) => (index === 6 ? 40 : 0))), null);
});

test('a station clock set back a year: a year-old series says nothing about now', () => {
  // Points stamped by a clock a year behind, read at the true now: too old, no forecast.
  const aYearAgo = NOW - 365 * DAY_MS;
  assert.equal(battery(daily(30, (index) => 13.3 - 0.1 * index, aYearAgo)), null);
  // The predictor run at a clock a year behind on points stamped by the true clock: all in its future.
  const points = daily(30, (index) => 13.3 - 0.1 * index);
  assert.equal(predictUpsBatteryFading({ deviceKey: null, cells: 6, points }, { now: aYearAgo }), null);
});

test('a value already at the limit on a falling trend is "now" (0 days), a flat value at the limit is no trend', () => {
  const atLimit = daily(20, (index) => 10.5 + 0.1 * (19 - index));
  const forecast = battery(atLimit);
  assert.ok(forecast);
  assert.equal(forecast.likelyInDays, 0);
  assert.match(forecast.message.id, /saat ini juga/);
  assert.equal(battery(daily(20, () => 10.5)), null);
  const lowOnMains = predictUpsLowOnMains(
    { deviceKey: null, points: daily(14, (index) => 50 - 2 * (13 - index)) },
    context,
  );
  assert.ok(lowOnMains);
  assert.equal(lowOnMains.likelyInDays, 0);
});

test('NaN, Infinity, negative, null and missing values and bad times are dropped, never a forecast of their own', () => {
  const good = daily(20, () => 13.2);
  const bad = [
    { at: good[3]!.at, value: Number.NaN },
    { at: good[4]!.at, value: Number.POSITIVE_INFINITY },
    { at: good[5]!.at, value: Number.NEGATIVE_INFINITY },
    { at: good[6]!.at, value: -13.2 },
    { at: 'not a time', value: 1 },
    { at: Number.NaN, value: 1 },
    null,
    { at: good[7]!.at },
    { at: good[8]!.at, value: '1' },
  ] as unknown as RawPoint[];
  assert.equal(battery([...good, ...bad]), null);
  // Garbage mixed into a really fading series does not hide it.
  const fading = daily(20, (index) => 13.0 - 0.08 * index);
  const forecast = battery([...fading, ...bad]);
  assert.ok(forecast);
  assert.ok(forecast.series[0]!.points.every((point) => Number.isFinite(point.value) && point.value > 0));
});

test('points in the future (a clock set ahead) are dropped: a future cliff is no forecast', () => {
  const healthy = daily(20, () => 13.2);
  const future = Array.from({ length: 10 }, (_, index) => ({
    at: new Date(NOW + (index + 1) * DAY_MS).toISOString(),
    value: 10.0 - index * 0.1,
  }));
  assert.equal(battery([...healthy, ...future]), null);
});

test('a healthy but noisy battery over four months gives no forecast (no false alarm)', () => {
  const random = noise(42);
  const points = daily(120, () => 13.2 + random() * 0.25);
  assert.equal(battery(points), null);
  const disk = noise(3);
  assert.equal(predictDisk({ points: daily(60, () => 120 + disk() * 5) }, context), null);
});

test('a disk losing 2 GB a day with 30 GB left is forecast at about 15 days, not sooner and not later', () => {
  const random = noise(5);
  const points = daily(20, (index) => 68 - 2 * index + random() * 0.5);
  const forecast = predictDisk({ points }, context);
  assert.ok(forecast);
  assert.ok(forecast.likelyInDays !== null && forecast.likelyInDays >= 13 && forecast.likelyInDays <= 16);
});

test('a clock offset jumping to a year off (a dead CMOS battery) is no drift forecast', () => {
  const points = daily(14, (index) => (index < 10 ? 0.2 * index : -366 * 86_400 - 5));
  assert.equal(predictClockDrift({ limitSeconds: 120, points }, context), null);
});

test('a station that stores many points (every minute for weeks) gets an answer, not a crash, with the right slope', () => {
  // 14 days of a reading every minute: 20 160 points. Theil-Sen over every pair would be 2e8 slopes.
  const minutes = 14 * 24 * 60;
  const points: RawPoint[] = Array.from({ length: minutes }, (_, index) => ({
    at: NOW - (minutes - 1 - index) * 60_000,
    value: Math.floor((index / minutes) * 14 * 0.8),
  }));
  // Before the fix: every pair's slope, 2e8 numbers, and V8 aborted the process (invalid array size).
  const found = trend(points, USB_RECONNECTS_RULE, NOW);
  assert.ok(found);
  assert.ok(found.points.length <= MAX_TREND_POINTS);
  assert.ok(Math.abs(found.slopePerDay - 0.8) < 0.15, `slope ${found.slopePerDay}`);
});

test('a million points (a runaway store) neither hangs nor throws', () => {
  const count = 1_000_000;
  const points: RawPoint[] = Array.from({ length: count }, (_, index) => ({
    at: NOW - (count - index) * 10_000,
    value: 13.2,
  }));
  assert.equal(battery(points.slice(-200_000)), null);
  const falling = points.map((point, index) => ({ at: point.at, value: 13.2 - (index / count) * 2 }));
  const forecast = battery(falling);
  assert.ok(forecast, 'a fade over a million readings is still seen');
  assert.ok(forecast.series[0]!.points.length <= 120);
});
