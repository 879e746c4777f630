// One synthetic "device going bad" per predictor (protocol/predictors.ts): a start value, a steady
// move per day towards the device's limit and a realistic noise. The unit tests and
// bench/forecast.ts (days of warning) share them, so the figures printed are those of the tests.
import type { Forecast, ForecastCode } from '../../protocol/forecast';
import type { RawPoint } from '../../protocol/predictors';
import {
  predictBlankCards,
  predictCameraQuality,
  predictClockDrift,
  predictDisk,
  predictRibbon,
  predictUpsBatteryFading,
  predictUpsLowOnMains,
  predictUpsRuntime,
  predictUsbReconnects,
} from '../../protocol/predictors';
import { DAY_MS, SERIES_START, dailyCounts, dailySeries } from './synthetic-series';

export interface PredictorCase {
  name: string;
  code: ForecastCode;
  predict: (points: readonly RawPoint[], now: number) => Forecast | null;
  /** The healthy value on day 0, its move per day towards `limit`, and the noise's standard deviation. */
  start: number;
  perDay: number;
  limit: number;
  noise: number;
  /** Counted per day (Poisson around the value) rather than measured with gaussian noise. */
  counted?: boolean;
  /** Keep only every n-th day (outages are not daily). */
  everyDays?: number;
  /** Plausible range of a value (noise clipped into it). */
  range: [number, number];
}

/** The day the clean trend reaches the limit. */
export function limitDay(testCase: PredictorCase): number {
  return (testCase.limit - testCase.start) / testCase.perDay;
}

/** `days` days of the case's series; `perDay` overrides the trend (0: flat); `noise` overrides the noise. */
export function caseSeries(
  testCase: PredictorCase,
  days: number,
  options: { perDay?: number; noise?: number; seed?: number } = {},
): { points: RawPoint[]; now: number } {
  const perDay = options.perDay ?? testCase.perDay;
  const clip = (value: number) => Math.min(testCase.range[1], Math.max(testCase.range[0], value));
  // Counts without noise are the rate itself (a mean over many days).
  const made =
    testCase.counted && options.noise !== 0
      ? dailyCounts(days, (day) => testCase.start + perDay * day, options.seed ?? 7)
      : dailySeries(days, (day) => testCase.start + perDay * day, {
          noise: options.noise ?? testCase.noise,
          seed: options.seed ?? 7,
        });
  const every = testCase.everyDays ?? 1;
  const points = made.points
    .filter((_point, index) => index % every === 0)
    .map((point) => ({ ...point, value: clip(point.value) }));
  return { points, now: made.now };
}

/** Days from `now` to the limit on the clean trend. */
export function expectedDays(testCase: PredictorCase, now: number): number {
  return limitDay(testCase) - (now - SERIES_START) / DAY_MS;
}

const noDevice = null;

export const PREDICTOR_CASES: readonly PredictorCase[] = [
  {
    name: 'USB reconnects per day',
    code: 'FORECAST_USB_RECONNECTS_RISING',
    predict: (points, now) =>
      predictUsbReconnects(
        { role: 'fingerprint', deviceKey: 'usb:080b:0010:G1', deviceName: 'Cross Match', points },
        { now },
      ),
    start: 0.5,
    perDay: 0.4,
    limit: 12,
    noise: 0,
    counted: true,
    range: [0, 1000],
  },
  {
    name: 'UPS battery volts (12 V)',
    code: 'FORECAST_UPS_BATTERY_FADING',
    predict: (points, now) =>
      predictUpsBatteryFading({ deviceKey: 'serial:COM3', cells: 6, points }, { now }),
    start: 13.5,
    perDay: -0.05,
    limit: 10.5,
    noise: 0.04,
    range: [0, 40],
  },
  {
    name: 'UPS runtime per outage',
    code: 'FORECAST_UPS_RUNTIME_SHRINKING',
    predict: (points, now) => predictUpsRuntime({ deviceKey: 'serial:COM3', points }, { now }),
    start: 30,
    perDay: -0.5,
    limit: 10,
    noise: 1,
    everyDays: 3,
    range: [0, 1440],
  },
  {
    name: 'UPS battery-low on mains',
    code: 'FORECAST_UPS_BATTERY_LOW_ON_MAINS',
    predict: (points, now) => predictUpsLowOnMains({ deviceKey: 'serial:COM3', points }, { now }),
    start: 2,
    perDay: 2,
    limit: 50,
    noise: 3,
    range: [0, 100],
  },
  {
    name: 'Card printer ribbon (%)',
    code: 'FORECAST_RIBBON_RUNNING_OUT',
    predict: (points, now) => predictRibbon({ deviceKey: 'ipp:FARGO', unit: 'percent', points }, { now }),
    start: 100,
    perDay: -3,
    limit: 0,
    noise: 0.5,
    range: [0, 100],
  },
  {
    name: 'Blank cards',
    code: 'FORECAST_CARDS_RUNNING_OUT',
    predict: (points, now) => predictBlankCards({ points }, { now }),
    start: 500,
    perDay: -20,
    limit: 0,
    noise: 3,
    range: [0, 100_000],
  },
  {
    name: 'Camera sharpness',
    code: 'FORECAST_CAMERA_QUALITY_FALLING',
    predict: (points, now) => {
      const brightness = points.filter(Boolean).map((point) => ({ at: point.at, value: 120 }));
      return predictCameraQuality({ deviceKey: noDevice, sharpness: points, brightness }, { now });
    },
    start: 0.85,
    perDay: -0.01,
    limit: 0.45,
    noise: 0.02,
    range: [0, 1],
  },
  {
    name: 'Camera brightness',
    code: 'FORECAST_CAMERA_QUALITY_FALLING',
    predict: (points, now) => {
      const sharpness = points.filter(Boolean).map((point) => ({ at: point.at, value: 0.85 }));
      return predictCameraQuality({ deviceKey: noDevice, sharpness, brightness: points }, { now });
    },
    start: 130,
    perDay: -2,
    limit: 50,
    noise: 4,
    range: [0, 255],
  },
  {
    name: 'Disk free (GB)',
    code: 'FORECAST_DISK_FILLING',
    predict: (points, now) => predictDisk({ points }, { now }),
    start: 40,
    perDay: -1,
    limit: 0,
    noise: 0.2,
    range: [0, 1_000_000],
  },
  {
    name: 'Clock offset (s, fast clock)',
    code: 'FORECAST_CLOCK_DRIFTING',
    predict: (points, now) => predictClockDrift({ limitSeconds: 300, points }, { now }),
    start: 0,
    perDay: -10,
    limit: -300,
    noise: 0.3,
    range: [-1e6, 1e6],
  },
];

/** The first day (counted from day 0) on which the case's predictor warns, or null if never before the limit. */
export function firstWarningDay(testCase: PredictorCase): number | null {
  const last = Math.ceil(limitDay(testCase));
  for (let days = 2; days <= last; days++) {
    const { points, now } = caseSeries(testCase, days);
    if (testCase.predict(points, now) !== null) {
      return days - 1;
    }
  }
  return null;
}
