// The series behind the forecasts, kept as daily aggregates in the store's `forecast_samples`
// (migration 3): one row per metric, device and UTC day with the count, sum and last value of the
// day's samples. A check a minute adds a few samples; a day's row stays one row, so RETENTION_DAYS
// of every metric stays a few thousand rows whatever the check rate.
import { RETENTION_DAYS } from '../../../protocol/predictors';
import type { RawPoint } from '../../../protocol/predictors';
import type { Store } from '../store/store';

const DAY_MS = 24 * 60 * 60_000;

/** Which metrics the station keeps, and how a day's samples make the day's point. */
export const METRICS = {
  /** Reconnects of one USB device since the last check (the day's sum is reconnects that day). */
  usbReconnects: { name: 'usb-reconnects', aggregate: 'sum' },
  /** UPS battery volts per cell on mains power. */
  upsCellVolts: { name: 'ups-cell-volts', aggregate: 'mean' },
  /** 100 when an on-mains UPS reading has the battery-low bit, else 0 (the day's mean is a percent). */
  upsLowOnMains: { name: 'ups-low-on-mains', aggregate: 'mean' },
  /** Minutes on battery of one outage. */
  upsRuntime: { name: 'ups-runtime-minutes', aggregate: 'mean' },
  /** The card printer's lowest ribbon level, percent. */
  ribbonLevel: { name: 'ribbon-level', aggregate: 'last' },
  /** Ribbon prints left as counted at the daily check. */
  ribbonPrints: { name: 'ribbon-prints', aggregate: 'last' },
  /** Blank cards as counted at the daily check. */
  blankCards: { name: 'blank-cards', aggregate: 'last' },
  cameraSharpness: { name: 'camera-sharpness', aggregate: 'mean' },
  cameraBrightness: { name: 'camera-brightness', aggregate: 'mean' },
  /** Free space on the data folder's disk, GB. */
  diskFree: { name: 'disk-free-gb', aggregate: 'mean' },
  /** District clock minus station clock, seconds. */
  clockOffset: { name: 'clock-offset-s', aggregate: 'mean' },
} as const satisfies Record<string, { name: string; aggregate: 'sum' | 'mean' | 'last' }>;

export type Metric = (typeof METRICS)[keyof typeof METRICS];

export interface Sample {
  metric: Metric;
  /** Which device; '' when the metric has one value per station. */
  deviceKey: string;
  /** Epoch ms. */
  at: number;
  value: number;
}

function dayOf(atMs: number): string {
  return new Date(atMs).toISOString().slice(0, 10);
}

/** Adds samples to their day's aggregate; samples with a bad time or value are skipped. */
export function recordSamples(store: Store, samples: readonly Sample[]): void {
  const upsert = store.db.prepare(
    `INSERT INTO forecast_samples (metric, device_key, day, count, sum, last, last_at)
     VALUES (@metric, @deviceKey, @day, 1, @value, @value, @at)
     ON CONFLICT (metric, device_key, day) DO UPDATE SET
       count = count + 1, sum = sum + excluded.sum,
       last = CASE WHEN excluded.last_at >= last_at THEN excluded.last ELSE last END,
       last_at = max(last_at, excluded.last_at)`,
  );
  store.db.transaction(() => {
    for (const sample of samples) {
      if (!Number.isFinite(sample.at) || !Number.isFinite(sample.value) || Math.abs(sample.at) > 8.64e15) {
        continue;
      }
      upsert.run({
        metric: sample.metric.name,
        deviceKey: sample.deviceKey,
        day: dayOf(sample.at),
        value: sample.value,
        at: new Date(sample.at).toISOString(),
      });
    }
  })();
}

/**
 * The metric's daily points for one device, oldest first. A summed metric's point is at the day's
 * noon and leaves out `today` (an unfinished day's count would look like a fall).
 */
export function readSeries(store: Store, metric: Metric, deviceKey: string, nowMs: number): RawPoint[] {
  const rows = store.db
    .prepare(
      `SELECT day, count, sum, last, last_at FROM forecast_samples
       WHERE metric = ? AND device_key = ? ORDER BY day LIMIT 1000`,
    )
    .all(metric.name, deviceKey) as {
    day: string;
    count: number;
    sum: number;
    last: number;
    last_at: string;
  }[];
  const today = dayOf(nowMs);
  return rows
    .filter((row) => metric.aggregate !== 'sum' || row.day < today)
    .map((row) => {
      switch (metric.aggregate) {
        case 'sum':
          return { at: `${row.day}T12:00:00.000Z`, value: row.sum };
        case 'mean':
          return { at: row.last_at, value: row.sum / row.count };
        case 'last':
          return { at: row.last_at, value: row.last };
      }
    });
}

/** The devices a metric has rows for. */
export function seriesDevices(store: Store, metric: Metric): string[] {
  return (
    store.db
      .prepare('SELECT DISTINCT device_key FROM forecast_samples WHERE metric = ? ORDER BY device_key')
      .all(metric.name) as { device_key: string }[]
  ).map((row) => row.device_key);
}

/**
 * Deletes days older than RETENTION_DAYS before `nowMs`, only while the clock looks steady: when
 * `nowMs` lies before the newest stored day (the clock went back: a dead CMOS battery resets it to
 * 2000, a wrong year typed in) or beyond the retention after it (set far ahead, or the station off
 * for months), nothing is deleted, because the months of points may be the true ones and the clock
 * the wrong one. Days ahead of the clock are kept too; the predictors ignore points after `now`.
 * Storage stays bounded: a row per metric, device and day.
 */
export function pruneSamples(store: Store, nowMs: number): number {
  const { newest } = store.db.prepare('SELECT max(day) AS newest FROM forecast_samples').get() as {
    newest: string | null;
  };
  if (newest === null || !Number.isFinite(nowMs)) {
    return 0;
  }
  const newestMs = Date.parse(`${newest}T00:00:00.000Z`);
  if (nowMs < newestMs - DAY_MS || nowMs > newestMs + RETENTION_DAYS * DAY_MS) {
    return 0;
  }
  return store.db
    .prepare('DELETE FROM forecast_samples WHERE day < ?')
    .run(dayOf(nowMs - RETENTION_DAYS * DAY_MS)).changes;
}
