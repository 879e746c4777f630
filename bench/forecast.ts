// Days of warning per predictor (protocol/predictors.ts) on the synthetic "device going bad" series
// of the unit tests (tests/helpers/predictor-cases.ts): the series grows one day at a time, and the
// first day a forecast appears is compared with the day the trend reaches the device's limit. Also
// the first estimate against the truth, and the time one prediction takes on 120 daily points.
import { performance } from 'node:perf_hooks';
import { PREDICTOR_CASES, caseSeries, firstWarningDay, limitDay } from '../tests/helpers/predictor-cases';
import { DAY_MS, SERIES_START } from '../tests/helpers/synthetic-series';

console.log(
  'predictor                         limit on day  first warning day  days of warning  first estimate (true)',
);
for (const testCase of PREDICTOR_CASES) {
  const limit = limitDay(testCase);
  const first = firstWarningDay(testCase);
  let estimate = '-';
  if (first !== null) {
    const { points, now } = caseSeries(testCase, first + 1);
    const forecast = testCase.predict(points, now);
    const truth = limit - (now - SERIES_START) / DAY_MS;
    estimate = `${forecast?.likelyInDays ?? '-'} (${truth.toFixed(1)})`;
  }
  console.log(
    `${testCase.name.padEnd(34)}${limit.toFixed(1).padStart(12)}${String(first ?? 'never').padStart(19)}` +
      `${(first === null ? '-' : (limit - first).toFixed(1)).padStart(17)}  ${estimate}`,
  );
}

const longest = PREDICTOR_CASES[1]!;
const { points, now } = caseSeries(longest, 120, { perDay: longest.perDay / 4 });
const runs = 200;
const started = performance.now();
for (let run = 0; run < runs; run++) {
  longest.predict(points, now);
}
console.log(`\none prediction on 120 daily points: ${((performance.now() - started) / runs).toFixed(2)} ms`);
