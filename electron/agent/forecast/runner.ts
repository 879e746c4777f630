// The station's forecasts: after every check the collector's samples go into the store; at most
// every `intervalMs` (an hour by default: trends over days do not change by the minute, and one
// prediction costs up to ~10 ms) the predictors run over the stored series. A `forecast.reported`
// event with the whole set is committed when the set or an estimate changed, and at least once a
// day (so the district sees the station still has nothing, or still the same, to say).
//
// A forecast is never a fault: nothing here touches the fault lifecycle.
import type { Forecast } from '../../../protocol/forecast';
import { ForecastReportedPayloadSchema, ForecastSchema } from '../../../protocol/forecast';
import { deviceName } from '../../../protocol/device-name';
import type { RawPoint } from '../../../protocol/predictors';
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
} from '../../../protocol/predictors';
import { RoleSchema } from '../../../protocol/verdict';
import type { Profile } from '../profile';
import { META, readMeta, writeMeta } from '../store/meta';
import type { Store, StoredEvent } from '../store/store';
import type { CheckReport } from '../types';
import { SampleCollector } from './collect';
import type { Metric, Sample } from './series-store';
import { METRICS, pruneSamples, readSeries, recordSamples, seriesDevices } from './series-store';

export const DEFAULT_FORECAST_INTERVAL_MS = 60 * 60_000;
/** The set is reported again after this long even when nothing changed. */
export const FORECAST_REPORT_MAX_AGE_MS = 24 * 60 * 60_000;
/**
 * Samples are written at most this often (and before each recomputation): a crash loses at most
 * these minutes of a day's aggregate, which moves no trend.
 */
const FLUSH_INTERVAL_MS = 10 * 60_000;
const MAX_BUFFERED_SAMPLES = 5000;

export interface ForecastRunnerOptions {
  now: () => number;
  intervalMs?: number;
  log: (line: string) => void;
}

export interface ForecastInput {
  report: CheckReport;
  profile: Profile;
  clockOffsetMs: number | null;
}

/** The forecasts kept in the store (each one checked; a damaged one is left out). */
export function readForecasts(store: Store): Forecast[] {
  const kept = readMeta(store, META.forecasts);
  return (kept?.forecasts ?? []).flatMap((item) => {
    const parsed = ForecastSchema.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
}

/** What makes two sets the same for the district: which forecasts, and their estimates. */
function signatureOf(forecasts: readonly Forecast[]): string {
  return JSON.stringify(
    forecasts
      .map((forecast) => [forecast.code, forecast.role, forecast.deviceKey, forecast.likelyInDays])
      .sort(),
  );
}

export class ForecastRunner {
  private readonly collector = new SampleCollector();
  private lastRunAt: number | null = null;
  /** Samples not yet written: one write (an fsync) per check would double what a check costs the disk. */
  private buffer: Sample[] = [];
  private lastFlushAt = Number.NEGATIVE_INFINITY;
  private readonly intervalMs: number;

  constructor(private readonly options: ForecastRunnerOptions) {
    this.intervalMs = options.intervalMs ?? DEFAULT_FORECAST_INTERVAL_MS;
  }

  /** Stores the check's samples and, when due, recomputes; returns the events committed (none or one). */
  afterCheck(store: Store, input: ForecastInput): StoredEvent[] {
    const now = this.options.now() + (input.clockOffsetMs ?? 0);
    const samples = this.collector.collect({
      report: input.report,
      at: now,
      clockOffsetMs: input.clockOffsetMs,
      stock: readMeta(store, META.consumables),
    });
    this.buffer.push(...samples);
    // A clock set back counts as due: the interval is measured on the clock that moved.
    const recompute =
      this.lastRunAt === null || now - this.lastRunAt >= this.intervalMs || now < this.lastRunAt;
    if (
      recompute ||
      this.buffer.length >= MAX_BUFFERED_SAMPLES ||
      !(now - this.lastFlushAt < FLUSH_INTERVAL_MS)
    ) {
      recordSamples(store, this.buffer);
      this.buffer = [];
      this.lastFlushAt = now;
    }
    if (!recompute) {
      return [];
    }
    this.lastRunAt = now;
    pruneSamples(store, now);
    let forecasts: Forecast[];
    try {
      forecasts = this.predict(store, input, now);
    } catch (error) {
      // A predictor's bug must not stop checks; the previous set stays.
      this.options.log(`forecasts not computed: ${(error as Error).message}`);
      return [];
    }
    const kept = readMeta(store, META.forecasts);
    const signature = signatureOf(forecasts);
    const due =
      kept === null ||
      kept.signature !== signature ||
      now - kept.reportedAt >= FORECAST_REPORT_MAX_AGE_MS ||
      now < kept.reportedAt;
    if (!due) {
      writeMeta(store, META.forecasts, { ...kept, forecasts });
      return [];
    }
    const payload = ForecastReportedPayloadSchema.parse({ forecasts });
    let events: StoredEvent[] = [];
    store.db.transaction(() => {
      writeMeta(store, META.forecasts, { forecasts, signature, reportedAt: now });
      events = store.appendEvents([
        { type: 'forecast.reported', payload, occurredAt: new Date(this.options.now()).toISOString() },
      ]);
    })();
    return events;
  }

  private predict(store: Store, input: ForecastInput, now: number): Forecast[] {
    const context = { now };
    const series = (metric: Metric, deviceKey: string): RawPoint[] =>
      readSeries(store, metric, deviceKey, now);
    const forecasts: (Forecast | null)[] = [];
    for (const key of seriesDevices(store, METRICS.usbReconnects)) {
      const [role, deviceKey = ''] = key.split('|', 2) as [string, string?];
      const parsedRole = RoleSchema.safeParse(role);
      if (!parsedRole.success) {
        continue;
      }
      const device = input.report.verdicts.find((verdict) => verdict.device?.key === deviceKey)?.device;
      forecasts.push(
        predictUsbReconnects(
          {
            role: parsedRole.data,
            deviceKey: device?.serialNumber ?? deviceKey,
            deviceName: deviceName(device?.vendor, device?.model) ?? deviceKey,
            points: series(METRICS.usbReconnects, key),
          },
          context,
        ),
      );
    }
    for (const deviceKey of seriesDevices(store, METRICS.upsCellVolts)) {
      const cells = this.collector.upsCells;
      const points = series(METRICS.upsCellVolts, deviceKey).map((point) => ({
        ...point,
        value: point.value * cells,
      }));
      forecasts.push(predictUpsBatteryFading({ deviceKey, cells, points }, context));
    }
    for (const deviceKey of seriesDevices(store, METRICS.upsRuntime)) {
      forecasts.push(
        predictUpsRuntime({ deviceKey, points: series(METRICS.upsRuntime, deviceKey) }, context),
      );
    }
    for (const deviceKey of seriesDevices(store, METRICS.upsLowOnMains)) {
      forecasts.push(
        predictUpsLowOnMains({ deviceKey, points: series(METRICS.upsLowOnMains, deviceKey) }, context),
      );
    }
    // The printer's own level when it reports one; the operator's count of prints otherwise.
    const ribbon = seriesDevices(store, METRICS.ribbonLevel).map((deviceKey) =>
      predictRibbon({ deviceKey, unit: 'percent', points: series(METRICS.ribbonLevel, deviceKey) }, context),
    );
    forecasts.push(
      ...(ribbon.some((forecast) => forecast !== null)
        ? ribbon
        : [
            predictRibbon(
              { deviceKey: null, unit: 'prints', points: series(METRICS.ribbonPrints, '') },
              context,
            ),
          ]),
    );
    forecasts.push(predictBlankCards({ points: series(METRICS.blankCards, '') }, context));
    const cameras = new Set([
      ...seriesDevices(store, METRICS.cameraSharpness),
      ...seriesDevices(store, METRICS.cameraBrightness),
    ]);
    for (const deviceKey of cameras) {
      forecasts.push(
        predictCameraQuality(
          {
            deviceKey: deviceKey === '' ? null : deviceKey,
            sharpness: series(METRICS.cameraSharpness, deviceKey),
            brightness: series(METRICS.cameraBrightness, deviceKey),
          },
          context,
        ),
      );
    }
    forecasts.push(predictDisk({ points: series(METRICS.diskFree, '') }, context));
    forecasts.push(
      predictClockDrift(
        {
          limitSeconds: input.profile.thresholds.clockSkewMaxMs / 1000,
          points: series(METRICS.clockOffset, ''),
        },
        context,
      ),
    );
    // The wire carries at most 50: the soonest first.
    return forecasts
      .filter((forecast): forecast is Forecast => forecast !== null)
      .sort((a, b) => (a.likelyInDays ?? Infinity) - (b.likelyInDays ?? Infinity))
      .slice(0, 50);
  }
}
