// The forecast's words and chart columns on the dashboard: the headline by days left (today, N
// days, no date), the link to the page, and a series as uPlot columns (sorted by time, bad times
// dropped, the limit a flat line inside the y range).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { translator } from '../../../../protocol/i18n';
import { FORECAST_CODES } from '../../../../protocol/forecast';
import {
  chartColumns,
  forecastHeadline,
  forecastLink,
  likelyText,
} from '../../../../district/web/forecast-view';

const id = translator('dashboard', 'id');
const en = translator('dashboard', 'en');

test('a forecast reads as what will happen and when, Bahasa Indonesia first', () => {
  const ribbon = { code: 'FORECAST_RIBBON_RUNNING_OUT', likelyInDays: 5 } as const;
  assert.equal(forecastHeadline(id, ribbon), 'pita printer habis dalam 5 hari');
  assert.equal(forecastHeadline(en, ribbon), 'printer ribbon runs out in 5 days');
  assert.equal(forecastHeadline(id, { ...ribbon, likelyInDays: 0 }), 'pita printer habis hari ini');
  assert.equal(
    forecastHeadline(id, { code: 'FORECAST_UPS_BATTERY_FADING', likelyInDays: null }),
    'baterai UPS melemah (waktunya belum bisa diperkirakan)',
  );
  assert.equal(likelyText(id, 12), 'kemungkinan dalam 12 hari');
  assert.equal(likelyText(en, null), 'clear trend, no date can be given yet');
  // Every code has words of its own in both languages, never the code itself.
  for (const code of FORECAST_CODES) {
    assert.notEqual(id.word('forecastCode', code), code);
    assert.notEqual(en.word('forecastCode', code), code);
  }
  assert.equal(forecastLink(), '#/perkiraan');
  assert.equal(forecastLink('st/1 2'), '#/perkiraan/st%2F1%202');
});

test('a series becomes time-sorted chart columns with its limit as a flat line in view', () => {
  const columns = chartColumns({
    metric: 'battery-volts',
    unit: 'V',
    points: [
      { at: '2026-03-03T00:00:00.000Z', value: 12.4 },
      { at: '2026-03-01T00:00:00.000Z', value: 13.0 },
      { at: 'not a time', value: 1 },
      { at: '2026-03-02T00:00:00.000Z', value: 12.7 },
    ],
    limit: 11.5,
  });
  assert.deepEqual(columns.values, [13.0, 12.7, 12.4]);
  assert.deepEqual(columns.times, [
    Date.UTC(2026, 2, 1) / 1000,
    Date.UTC(2026, 2, 2) / 1000,
    Date.UTC(2026, 2, 3) / 1000,
  ]);
  assert.deepEqual(columns.limit, [11.5, 11.5, 11.5]);
  const [low, high] = columns.range!;
  assert.ok(low < 11.5 && high > 13.0, `the limit and every value in view: ${low}-${high}`);
  const flat = chartColumns({
    metric: 'm',
    unit: '',
    points: [{ at: '2026-03-01T00:00:00.000Z', value: 4 }],
    limit: null,
  });
  assert.equal(flat.limit, null);
  assert.ok(flat.range![0] < 4 && flat.range![1] > 4, 'a single value still has height');
  const empty = chartColumns({ metric: 'm', unit: '', points: [], limit: 0 });
  assert.deepEqual([empty.times, empty.limit, empty.range], [[], [], null]);
});
