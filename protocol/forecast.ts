// Forecasts: warnings that recording is likely to stop in some days, with the series behind them.
//
// Contract:
// - A forecast is never a fault. It is a warning with its own code (FORECAST_*), an estimate of
//   the days left before the device is likely to stop recording or printing (null when the trend is
//   clear but no date can be given), and the series that shows it.
// - A station reports its whole current set of forecasts in one `forecast.reported` event whenever
//   the set or an estimate changes, and at least once a day; the district replaces the station's
//   previous set with it (a forecast missing from the new set has cleared).
// - Too little data gives no forecast: a predictor that cannot see a trend says nothing.
import * as z from 'zod';
import { RoleSchema } from './verdict';
import { IsoTimeSchema, WireTextSchema, wireText } from './wire-text';

export const FORECAST_CODES = [
  /** USB reconnects per day of one device rising: a cable or connector getting looser. */
  'FORECAST_USB_RECONNECTS_RISING',
  /** UPS battery voltage (under load or on mains) falling over weeks. */
  'FORECAST_UPS_BATTERY_FADING',
  /** Minutes on battery before the battery-low bit, from real outages, shrinking. */
  'FORECAST_UPS_RUNTIME_SHRINKING',
  /** The battery-low bit seen on mains power more and more often. */
  'FORECAST_UPS_BATTERY_LOW_ON_MAINS',
  /** Card printer ribbon: prints left at the current cards per day. */
  'FORECAST_RIBBON_RUNNING_OUT',
  /** Blank cards at the station (or the district's stock): days left at the current use. */
  'FORECAST_CARDS_RUNNING_OUT',
  /** Camera sharpness or brightness trending down at the same station. */
  'FORECAST_CAMERA_QUALITY_FALLING',
  /** The station's disk: days until full at the current rate. */
  'FORECAST_DISK_FILLING',
  /** The station's clock drifting from the district's clock. */
  'FORECAST_CLOCK_DRIFTING',
] as const;
export const ForecastCodeSchema = z.enum(FORECAST_CODES);
export type ForecastCode = z.infer<typeof ForecastCodeSchema>;

/** One measurement of a series: when, and the value in the series' unit. */
export const SeriesPointSchema = z.strictObject({
  at: IsoTimeSchema,
  value: z.number().finite(),
});
export type SeriesPoint = z.infer<typeof SeriesPointSchema>;

/** The most points a series carries on the wire (e.g. one a day for three months). */
export const MAX_SERIES_POINTS = 120;

export const SeriesSchema = z.strictObject({
  /** What is measured, e.g. `battery-volts`, `reconnects-per-day`, `prints-left`. */
  metric: wireText(64).min(1),
  /** Unit shown with the values, e.g. `V`, `per day`, `prints`, `%`, `GB`, `s`. */
  unit: wireText(32),
  points: z.array(SeriesPointSchema).max(MAX_SERIES_POINTS),
  /** The level at which the device is expected to stop working, in the same unit, when there is one. */
  limit: z.number().finite().nullable(),
});
export type Series = z.infer<typeof SeriesSchema>;

export const ForecastSchema = z.strictObject({
  code: ForecastCodeSchema,
  role: RoleSchema,
  /** Which device of the role (serial number, or vendor:product), when the station can tell. */
  deviceKey: wireText(128).nullable(),
  /** Days until the device is likely to stop (rounded down, >= 0); null when no date can be given. */
  likelyInDays: z.number().int().min(0).max(3650).nullable(),
  /** What the operator and the district read, Bahasa Indonesia first; the evidence in words. */
  message: WireTextSchema,
  series: z.array(SeriesSchema).max(4),
  /** When the station computed this forecast. */
  computedAt: IsoTimeSchema,
});
export type Forecast = z.infer<typeof ForecastSchema>;

export const ForecastReportedPayloadSchema = z.strictObject({
  /** Every forecast the station holds now; an empty list clears the station's earlier ones. */
  forecasts: z.array(ForecastSchema).max(50),
});
export type ForecastReportedPayload = z.infer<typeof ForecastReportedPayloadSchema>;
