// Every predictor both ways it can lie: a device going bad warns, with days left near the truth
// (no missed warning); a flat, noisy-flat or too short series says nothing (no false alarm). Then
// the nasty inputs: a clock set, duplicate times, garbage points, a one-day storm, a battery replaced.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ForecastSchema } from '../../../protocol/forecast';
import type { RawPoint } from '../../../protocol/predictors';
import {
  cleanPoints,
  lastResetIndex,
  predictClockDrift,
  predictUpsBatteryFading,
  predictUsbReconnects,
  trend,
  USB_RECONNECTS_RULE,
} from '../../../protocol/predictors';
import {
  PREDICTOR_CASES,
  caseSeries,
  expectedDays,
  firstWarningDay,
  limitDay,
} from '../../helpers/predictor-cases';
import { DAY_MS, SERIES_START, dailyCounts, dailySeries } from '../../helpers/synthetic-series';

for (const testCase of PREDICTOR_CASES) {
  describe(`predictor: ${testCase.name}`, () => {
    // Two thirds of the way to the limit: the warning is due, with about a third of the time left.
    const days = Math.round(limitDay(testCase) * 0.66);

    test('a device going bad warns, with the days left within 20 % (or 2 days)', () => {
      const { points, now } = caseSeries(testCase, days, { noise: 0 });
      const forecast = testCase.predict(points, now);
      assert.ok(forecast, 'no forecast');
      ForecastSchema.parse(forecast);
      assert.equal(forecast.code, testCase.code);
      const expected = expectedDays(testCase, now);
      assert.ok(
        Math.abs(forecast.likelyInDays! - expected) <= Math.max(2, expected * 0.2),
        `likely in ${forecast.likelyInDays} days, expected about ${expected.toFixed(1)}`,
      );
      assert.match(forecast.message.id, /kemungkinan/);
      assert.match(forecast.message.id, new RegExp(`dalam ${forecast.likelyInDays} hari`));
      assert.ok(forecast.series.some((series) => series.points.length >= 7 / (testCase.everyDays ?? 1)));
    });

    test('noisy but going bad still warns', () => {
      const { points, now } = caseSeries(testCase, days, { seed: 11 });
      const forecast = testCase.predict(points, now);
      assert.ok(forecast, 'no forecast');
      const expected = expectedDays(testCase, now);
      assert.ok(
        Math.abs(forecast.likelyInDays! - expected) <= Math.max(3, expected * 0.35),
        `likely in ${forecast.likelyInDays} days, expected about ${expected.toFixed(1)}`,
      );
    });

    test('flat: no warning', () => {
      const { points, now } = caseSeries(testCase, 40, { perDay: 0, noise: 0 });
      assert.equal(testCase.predict(points, now), null);
    });

    test('noisy but flat: no warning (10 seeds)', () => {
      for (let seed = 1; seed <= 10; seed++) {
        const { points, now } = caseSeries(testCase, 40, { perDay: 0, seed });
        assert.equal(testCase.predict(points, now), null, `seed ${seed}`);
      }
    });

    test('too little data: no warning, however steep', () => {
      // Five days (or two outages): below every predictor's minimum.
      const { points, now } = caseSeries(testCase, 5 * (testCase.everyDays ?? 1) - 1, {
        perDay: testCase.perDay * 4,
        noise: 0,
      });
      assert.equal(testCase.predict(points, now), null);
    });

    test('duplicate times and garbage points change nothing', () => {
      const { points, now } = caseSeries(testCase, days, { noise: 0 });
      const clean = testCase.predict(points, now);
      const garbage: RawPoint[] = [
        ...points,
        ...points,
        { at: 'not a time', value: testCase.start },
        { at: points[3]!.at, value: Number.NaN },
        { at: points[4]!.at, value: Number.POSITIVE_INFINITY },
        { at: points[5]!.at, value: '12' as unknown as number },
        { at: Number.NaN, value: testCase.start },
        null as unknown as RawPoint,
      ].reverse();
      const dirty = testCase.predict(garbage, now);
      assert.equal(dirty?.likelyInDays, clean?.likelyInDays);
      assert.equal(dirty?.series[0]?.points.length, clean?.series[0]?.points.length);
    });

    test('a swap or refill mid-series (a step back to healthy) restarts the count', () => {
      // Going bad for 20 points, then back to the start value for the last 4: too few to judge.
      const { points, now } = caseSeries(testCase, 24 * (testCase.everyDays ?? 1), { noise: 0 });
      const stepAt = points.length - 4;
      const stepped = points.map((point, index) =>
        index >= stepAt ? { ...point, value: testCase.start } : point,
      );
      assert.equal(testCase.predict(stepped, now), null);
      // The same series without the step warns.
      assert.ok(testCase.predict(points, now));
    });
  });
}

describe('nasty series', () => {
  test("a UPS battery replaced mid-series: the old battery's decline is forgotten, the new one judged on its own", () => {
    // 30 days falling 0.05 V/day, then a new battery at 13.6 V that holds steady for 20 days.
    const { points, now } = dailySeries(50, (day) => (day < 30 ? 13.5 - 0.05 * day : 13.6), {
      noise: 0.03,
      seed: 3,
    });
    assert.equal(predictUpsBatteryFading({ deviceKey: null, cells: 6, points }, { now }), null);
    // Without the step the same old battery would have warned.
    const before = points.slice(0, 30);
    const beforeNow = Date.parse(before[29]!.at as string) + 3600_000;
    assert.ok(predictUpsBatteryFading({ deviceKey: null, cells: 6, points: before }, { now: beforeNow }));
  });

  test('a new battery that fades fast warns from its own points only', () => {
    const { points, now } = dailySeries(50, (day) => (day < 20 ? 11.5 : 13.6 - 0.08 * (day - 20)), {
      noise: 0.02,
      seed: 4,
    });
    const forecast = predictUpsBatteryFading({ deviceKey: null, cells: 6, points }, { now });
    assert.ok(forecast);
    // From 13.6 - 0.08 * 29.1 = 11.27 V to 10.5 V at 0.08 V a day: about 9.6 days.
    assert.ok(Math.abs(forecast.likelyInDays! - 9.6) <= 2, String(forecast.likelyInDays));
    assert.match(forecast.message.id, /Tegangan baterai UPS turun 0,56 V per minggu/);
  });

  test('a reconnect storm on one day only is no trend', () => {
    const { points, now } = dailyCounts(30, () => 0.3, 5);
    points[14] = { ...points[14]!, value: 60 };
    assert.equal(
      predictUsbReconnects({ role: 'camera', deviceKey: null, deviceName: 'kamera', points }, { now }),
      null,
    );
  });

  test('a cable replaced after reconnects rose: no warning once the count fell back', () => {
    const { points, now } = dailySeries(30, (day) => (day < 22 ? 1 + 0.5 * day : 0));
    assert.equal(
      lastResetIndex(
        points.map((point) => point.value),
        USB_RECONNECTS_RULE,
      ),
      22,
    );
    assert.equal(
      predictUsbReconnects({ role: 'camera', deviceKey: null, deviceName: 'kamera', points }, { now }),
      null,
    );
  });

  test('a clock set by hand mid-series: the drift is judged after the jump', () => {
    // Drifting 10 s/day fast, set right on day 20 (offset back to 0), drifting on afterwards.
    const { points, now } = dailySeries(35, (day) => -10 * (day < 20 ? day : day - 20), { noise: 0.2 });
    const forecast = predictClockDrift({ limitSeconds: 300, points }, { now });
    assert.ok(forecast);
    // Offset now about -141 s; -300 s in about 16 days.
    assert.ok(Math.abs(forecast.likelyInDays! - 15.9) <= 2, String(forecast.likelyInDays));
    assert.match(forecast.message.id, /Jam PC makin cepat 100\d\d ms per hari/);
    assert.equal(forecast.series[0]!.limit, -300);
  });

  test('the station clock jumping ahead and back: points in the future or decades old are dropped', () => {
    const { points, now } = dailySeries(20, () => 13.5, { noise: 0.02 });
    const jumped = [
      ...points,
      { at: new Date(now + 400 * DAY_MS).toISOString(), value: 8 },
      { at: '2000-01-01T00:00:00.000Z', value: 14 },
    ];
    assert.equal(cleanPoints(jumped, now, { min: 0, max: 100 }).length, 20);
    assert.equal(predictUpsBatteryFading({ deviceKey: null, cells: 6, points: jumped }, { now }), null);
  });

  test('a trend crossing the limit only beyond the horizon is no warning yet', () => {
    // 0.005 V a day from 13.5 V: 10.5 V in 600 days.
    const { points, now } = dailySeries(40, (day) => 13.5 - 0.005 * day);
    assert.ok(
      trend(
        points,
        {
          ...USB_RECONNECTS_RULE,
          direction: 'falling',
          limit: 10.5,
          range: { min: 0, max: 20 },
          resetDirection: 'up',
        },
        now,
      ),
    );
    assert.equal(predictUpsBatteryFading({ deviceKey: null, cells: 6, points }, { now }), null);
  });

  test('a value already past its limit says "saat ini juga" with 0 days', () => {
    const { points, now } = dailySeries(14, (day) => 20 - 2 * day);
    const forecast = PREDICTOR_CASES.find((testCase) => testCase.code === 'FORECAST_DISK_FILLING')!.predict(
      points.map((point) => ({ ...point, value: Math.max(0, point.value) })),
      now,
    );
    assert.equal(forecast?.likelyInDays, 0);
    assert.match(forecast!.message.id, /saat ini juga/);
  });

  test('more than 120 points: the series on the wire keeps the latest 120', () => {
    const { points, now } = dailySeries(119, (day) => 500 - 4 * day);
    const hourly = Array.from({ length: 24 * 10 }, (_unused, hour) => ({
      at: new Date(SERIES_START + 100 * DAY_MS + hour * 3600_000).toISOString(),
      value: 100 - hour / 24,
    }));
    const forecast = PREDICTOR_CASES.find(
      (testCase) => testCase.code === 'FORECAST_CARDS_RUNNING_OUT',
    )!.predict([...points, ...hourly], now + 10 * DAY_MS);
    assert.ok(forecast);
    assert.equal(forecast.series[0]!.points.length, 120);
    ForecastSchema.parse(forecast);
  });

  test('every case warns before its limit (days of warning > 0)', () => {
    for (const testCase of PREDICTOR_CASES) {
      const first = firstWarningDay(testCase);
      assert.ok(first !== null && first < limitDay(testCase), `${testCase.name}: first warning ${first}`);
    }
  });
});
