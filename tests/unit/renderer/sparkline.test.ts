// The technician screen's sparkline: points scaled into the box (newest at the right, highest at
// the top), the limit line inside the same scale, and bad input drawing nothing rather than NaN.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sparkline } from '../../../renderer/charts/sparkline';

const at = (day: number) => new Date(Date.UTC(2026, 9, 1 + day, 12)).toISOString();

test('a falling series runs from the top left to the bottom right, the limit at the bottom', () => {
  const line = sparkline(
    [
      { at: at(0), value: 13.5 },
      { at: at(1), value: 12.5 },
      { at: at(2), value: 11.5 },
    ],
    10.5,
    200,
    40,
  );
  assert.equal(line.path, 'M0 0 L100 13.3 L200 26.7');
  assert.equal(line.limitY, 40);
  assert.deepEqual([line.min, line.max], [10.5, 13.5]);
});

test('unsorted points are drawn in time order; garbage points are left out', () => {
  const line = sparkline(
    [
      { at: at(2), value: 3 },
      { at: 'yesterday', value: 2 },
      { at: at(0), value: 1 },
      { at: at(1), value: Number.NaN },
    ],
    null,
    100,
    10,
  );
  assert.equal(line.path, 'M0 10 L100 0');
  assert.equal(line.limitY, null);
});

test('one point or a flat series sits in the middle; no point draws nothing', () => {
  assert.equal(sparkline([{ at: at(0), value: 5 }], null, 100, 20).path, 'M50 10');
  assert.equal(sparkline([], 3, 100, 20).path, '');
  assert.doesNotMatch(
    sparkline(
      [
        { at: at(0), value: 5 },
        { at: at(3), value: 5 },
      ],
      null,
      100,
      20,
    ).path,
    /NaN/,
  );
});
