// Predictors: from a series of measurements with times, a Forecast (protocol/forecast.ts) or null.
// Pure: no I/O, no clock (the caller passes `now`), deterministic for the same input.
//
// One robust method for all of them (trend()):
// - Clean: points with a time that does not parse, a value that is not finite or outside the
//   predictor's plausible range, or a time after `now` (a clock set ahead) or older than
//   RETENTION_DAYS are dropped; points at the same time are merged into their median.
// - Reset: a device swapped or refilled (a new UPS battery, a new ribbon, cards delivered, files
//   deleted, a clock set) is a step in the series; only the points after the last step count. A step
//   is a shift of the median of the 3 points after a boundary against the 3 before it by at least
//   the predictor's `resetJump` and at least 6 times the median move between neighbours (so a steady
//   trend never looks like a step).
// - Enough data: at least `minPoints` points over at least `minSpanDays` days (after the last step).
//   A week is the least for anything counted per day: a station's week has quiet days (weekends,
//   holidays) and a trend seen over fewer days is mostly that rhythm. Slow trends (a battery ageing)
//   need two weeks.
// - Trend: the Theil-Sen slope (median of the slopes between every pair of points; one storm day
//   or a few bad readings do not move it) and intercept (median residual). The noise is the robust
//   standard deviation of the residuals (1.4826 x MAD), and the trend counts only when the slope
//   is at least 3 standard errors (noise / sqrt(sum of squared time deviations)), in the bad
//   direction: a noisy flat series gives no warning.
// - "Likely in N days": when the fitted line crosses the device's limit, counted from `now`,
//   rounded down; a trend that crosses only beyond `horizonDays` is no warning yet (an estimate that
//   far out is a guess, and the technician cannot act on it).
import type { Forecast, ForecastCode, Series, SeriesPoint } from './forecast';
import { MAX_SERIES_POINTS } from './forecast';
import type { Role } from './roles';

const DAY_MS = 24 * 60 * 60_000;

/** The station keeps this many days of daily aggregates; older points say nothing about now. */
export const RETENTION_DAYS = 120;

/** A point as it comes from a store or a test: anything may be wrong with it. */
export interface RawPoint {
  at: string | number;
  value: number;
}

export interface TrendRule {
  /** Which way is bad: the value rising to its limit, falling to it, or moving away from zero to ±limit. */
  direction: 'rising' | 'falling' | 'away-from-zero';
  limit: number;
  minPoints: number;
  minSpanDays: number;
  horizonDays: number;
  /** Plausible values; anything else is a bad reading. */
  range: { min: number; max: number };
  /** Smallest step that means the device was swapped, refilled or set (in the value's unit). */
  resetJump: number;
  /** Which steps reset the series: the recovery direction only, or either (a clock set). */
  resetDirection: 'up' | 'down' | 'both';
}

export interface Trend {
  /** Value change per day. */
  slopePerDay: number;
  /** The fitted value at `now`. */
  valueNow: number;
  /** Robust standard deviation of the residuals. */
  noise: number;
  /** The cleaned points after the last reset (merged to MAX_TREND_POINTS), oldest first, times in ms. */
  points: { atMs: number; value: number }[];
  /** Days until the fitted line reaches the limit (>= 0), or null when it does not within the horizon. */
  daysToLimit: number | null;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function timeOf(at: string | number): number {
  return typeof at === 'number' ? at : Date.parse(at);
}

/** Valid points, sorted by time, same-time points merged (median), within the retention window. */
export function cleanPoints(
  raw: readonly RawPoint[],
  now: number,
  range: TrendRule['range'],
): { atMs: number; value: number }[] {
  const valid: { atMs: number; value: number }[] = [];
  for (const point of raw) {
    const atMs = timeOf(point?.at);
    const value = point?.value;
    if (
      !Number.isFinite(atMs) ||
      typeof value !== 'number' ||
      !Number.isFinite(value) ||
      value < range.min ||
      value > range.max ||
      atMs > now ||
      atMs < now - RETENTION_DAYS * DAY_MS
    ) {
      continue;
    }
    valid.push({ atMs, value });
  }
  // One sort (time, then value) and a pass over runs of the same time: a Map of arrays per time costs
  // seconds on a runaway store of a million points.
  valid.sort((left, right) => left.atMs - right.atMs || left.value - right.value);
  const merged: { atMs: number; value: number }[] = [];
  for (let start = 0; start < valid.length; ) {
    let end = start + 1;
    while (end < valid.length && valid[end]!.atMs === valid[start]!.atMs) {
      end++;
    }
    const middle = (start + end) >> 1;
    merged.push({
      atMs: valid[start]!.atMs,
      value: (end - start) % 2 === 1 ? valid[middle]!.value : (valid[middle - 1]!.value + valid[middle]!.value) / 2,
    });
    start = end;
  }
  return merged;
}

/** The index where the last step (swap, refill, set) starts a new series; 0 when there is none. */
export function lastResetIndex(
  values: readonly number[],
  rule: Pick<TrendRule, 'resetJump' | 'resetDirection'>,
): number {
  if (values.length < 2) {
    return 0;
  }
  const moves = values.slice(1).map((value, index) => Math.abs(value - values[index]!));
  const typicalMove = median(moves);
  const threshold = Math.max(rule.resetJump, 6 * typicalMove);
  const towards = (shift: number) =>
    rule.resetDirection === 'both' ? Math.abs(shift) : rule.resetDirection === 'up' ? shift : -shift;
  const isStep = (boundary: number) =>
    towards(
      median(values.slice(boundary, boundary + 3)) -
        median(values.slice(Math.max(0, boundary - 3), boundary)),
    ) >= threshold;
  for (let boundary = values.length - 1; boundary >= 1; boundary--) {
    if (!isStep(boundary)) {
      continue;
    }
    // The windows around one step pass at up to three boundaries in a row: the step is where the
    // value itself moved most.
    let best = boundary;
    for (let earlier = boundary - 1; earlier >= 1 && isStep(earlier); earlier--) {
      if (towards(values[earlier]! - values[earlier - 1]!) > towards(values[best]! - values[best - 1]!)) {
        best = earlier;
      }
    }
    return best;
  }
  return 0;
}

/**
 * The most points the Theil-Sen fit takes: it compares every pair (n² / 2 slopes), so a store that
 * hands over a reading a minute (20 000 a fortnight) would exhaust the agent's memory. More points
 * are merged, neighbours in time, into this many (mean time, median value): a day's points are one
 * point of a daily series anyway, and the median keeps a storm reading from moving the fit.
 */
export const MAX_TREND_POINTS = 400;

function thinned(points: readonly { atMs: number; value: number }[]): { atMs: number; value: number }[] {
  if (points.length <= MAX_TREND_POINTS) {
    return [...points];
  }
  const merged: { atMs: number; value: number }[] = [];
  for (let bucket = 0; bucket < MAX_TREND_POINTS; bucket++) {
    const part = points.slice(
      Math.floor((bucket * points.length) / MAX_TREND_POINTS),
      Math.floor(((bucket + 1) * points.length) / MAX_TREND_POINTS),
    );
    merged.push({
      atMs: part.reduce((sum, point) => sum + point.atMs, 0) / part.length,
      value: median(part.map((point) => point.value)),
    });
  }
  return merged;
}

/** The robust trend of `raw` under `rule` at `now`, or null when there is too little data or no trend. */
export function trend(raw: readonly RawPoint[], rule: TrendRule, now: number): Trend | null {
  const cleaned = cleanPoints(raw, now, rule.range);
  const points = cleaned.slice(
    lastResetIndex(
      cleaned.map((point) => point.value),
      rule,
    ),
  );
  if (points.length < rule.minPoints) {
    return null;
  }
  if ((points[points.length - 1]!.atMs - points[0]!.atMs) / DAY_MS < rule.minSpanDays) {
    return null;
  }
  const fitted = thinned(points);
  const first = fitted[0]!.atMs;
  const days = fitted.map((point) => (point.atMs - first) / DAY_MS);
  const values = fitted.map((point) => point.value);
  const slopes: number[] = [];
  for (let i = 0; i < fitted.length; i++) {
    for (let j = i + 1; j < fitted.length; j++) {
      slopes.push((values[j]! - values[i]!) / (days[j]! - days[i]!));
    }
  }
  const slopePerDay = median(slopes);
  const intercept = median(values.map((value, index) => value - slopePerDay * days[index]!));
  const residuals = values.map((value, index) => value - (intercept + slopePerDay * days[index]!));
  const noise = 1.4826 * median(residuals.map(Math.abs));
  const meanDay = days.reduce((sum, day) => sum + day, 0) / days.length;
  const spread = Math.sqrt(days.reduce((sum, day) => sum + (day - meanDay) ** 2, 0));
  const standardError = noise / spread;
  const nowDays = (now - first) / DAY_MS;
  const valueNow = intercept + slopePerDay * nowDays;
  const badSlope =
    rule.direction === 'rising'
      ? slopePerDay
      : rule.direction === 'falling'
        ? -slopePerDay
        : Math.sign(valueNow) * slopePerDay;
  if (!(badSlope > 0) || badSlope < 3 * standardError) {
    return null;
  }
  const daysToLimit = crossing(valueNow, slopePerDay, rule);
  return { slopePerDay, valueNow, noise, points: fitted, daysToLimit };
}

function crossing(valueNow: number, slopePerDay: number, rule: TrendRule): number | null {
  const limit =
    rule.direction === 'away-from-zero' ? Math.sign(slopePerDay) * Math.abs(rule.limit) : rule.limit;
  const beyond =
    rule.direction === 'falling'
      ? valueNow <= limit
      : rule.direction === 'rising'
        ? valueNow >= limit
        : Math.abs(valueNow) >= Math.abs(limit);
  if (beyond) {
    return 0;
  }
  const days = (limit - valueNow) / slopePerDay;
  return days >= 0 && days <= rule.horizonDays ? days : null;
}

// ---- Words -------------------------------------------------------------------------------------

/** A number as an Indonesian reads it (decimal comma) and as an English reader does. */
function figure(value: number, digits: number): { id: string; en: string } {
  const en = value.toFixed(digits);
  return { id: en.replace('.', ','), en };
}

function daysText(days: number): { id: string; en: string } {
  return days <= 0
    ? { id: 'saat ini juga', en: 'now' }
    : { id: `dalam ${days} hari`, en: `in ${days} day${days === 1 ? '' : 's'}` };
}

// ---- Forecast assembly ---------------------------------------------------------------------------

export interface PredictorContext {
  /** Epoch ms the forecast is computed at. */
  now: number;
}

interface SeriesShape {
  metric: string;
  unit: string;
  limit: number | null;
}

/** The series on the wire: the cleaned points (all of them, the older part shows the step), at most MAX_SERIES_POINTS. */
export function wireSeries(
  raw: readonly RawPoint[],
  shape: SeriesShape,
  now: number,
  range: TrendRule['range'],
): Series {
  const points: SeriesPoint[] = cleanPoints(raw, now, range)
    .slice(-MAX_SERIES_POINTS)
    .map((point) => ({ at: new Date(point.atMs).toISOString(), value: point.value }));
  return { metric: shape.metric, unit: shape.unit, points, limit: shape.limit };
}

function forecast(
  code: ForecastCode,
  role: Role,
  deviceKey: string | null,
  days: number,
  message: { id: string; en: string },
  series: Series[],
  now: number,
): Forecast {
  return {
    code,
    role,
    deviceKey: deviceKey === null ? null : deviceKey.slice(0, 128),
    likelyInDays: Math.min(3650, Math.max(0, Math.floor(days))),
    message,
    series,
    computedAt: new Date(now).toISOString(),
  };
}

// ---- The predictors ------------------------------------------------------------------------------

/**
 * Reconnects a day at which a device is unusable: about one every half hour of a 7-hour service day
 * (the loose-cable verdict needs only 3 within 10 minutes, but on a single bad moment).
 */
export const RECONNECTS_PER_DAY_LIMIT = 12;

export const USB_RECONNECTS_RULE: TrendRule = {
  direction: 'rising',
  limit: RECONNECTS_PER_DAY_LIMIT,
  minPoints: 7,
  minSpanDays: 6,
  horizonDays: 60,
  range: { min: 0, max: 100_000 },
  // A new cable: the count falls back to about nothing.
  resetJump: 5,
  resetDirection: 'down',
};

/** USB reconnects per day of one device (one point per day, the day's count). */
export function predictUsbReconnects(
  input: { role: Role; deviceKey: string | null; deviceName: string; points: readonly RawPoint[] },
  context: PredictorContext,
): Forecast | null {
  const found = trend(input.points, USB_RECONNECTS_RULE, context.now);
  if (!found || found.daysToLimit === null) {
    return null;
  }
  const perWeek = figure(found.slopePerDay * 7, 1);
  const when = daysText(Math.floor(found.daysToLimit));
  return forecast(
    'FORECAST_USB_RECONNECTS_RISING',
    input.role,
    input.deviceKey,
    found.daysToLimit,
    {
      id: `Kabel USB ${input.deviceName} makin sering terputus: naik ${perWeek.id} kali per hari setiap minggu; kemungkinan tidak bisa dipakai ${when.id} (${RECONNECTS_PER_DAY_LIMIT} kali per hari). Periksa atau ganti kabelnya.`,
      en: `The USB cable of the ${input.deviceName} disconnects more and more often: up ${perWeek.en} times a day each week; likely unusable ${when.en} (${RECONNECTS_PER_DAY_LIMIT} times a day). Check or replace the cable.`,
    },
    [
      wireSeries(
        input.points,
        { metric: 'usb-reconnects', unit: 'per day', limit: RECONNECTS_PER_DAY_LIMIT },
        context.now,
        USB_RECONNECTS_RULE.range,
      ),
    ],
    context.now,
  );
}

/** A lead-acid cell at the end of its charge under load (UPS cut-off 1.6-1.75 V): 10.5 V for a 12 V battery. */
export const CELL_END_VOLTS = 1.75;

export function upsBatteryRule(cells: number): TrendRule {
  return {
    direction: 'falling',
    limit: CELL_END_VOLTS * cells,
    minPoints: 10,
    minSpanDays: 14,
    horizonDays: 90,
    // The plausible band of checks/ups.ts (1.6-2.5 V per cell) widened: a reading outside is not this trend.
    range: { min: 1.0 * cells, max: 3.0 * cells },
    // A new battery charges to float (about 2.25 V per cell): a step of 0.1 V per cell or more.
    resetJump: 0.1 * cells,
    resetDirection: 'up',
  };
}

/**
 * UPS battery voltage on mains power (a day's mean), in volts of the bank (`cells` lead-acid cells;
 * 6 for a 12 V battery) or per cell (`cells` = 1).
 */
export function predictUpsBatteryFading(
  input: { deviceKey: string | null; cells: number; points: readonly RawPoint[] },
  context: PredictorContext,
): Forecast | null {
  const cells = Math.max(1, Math.round(input.cells));
  const rule = upsBatteryRule(cells);
  const found = trend(input.points, rule, context.now);
  if (!found || found.daysToLimit === null) {
    return null;
  }
  const perWeek = figure(-found.slopePerDay * 7, 2);
  const limit = figure(rule.limit, 1);
  const when = daysText(Math.floor(found.daysToLimit));
  const unit = cells === 1 ? 'V per cell' : 'V';
  return forecast(
    'FORECAST_UPS_BATTERY_FADING',
    'ups',
    input.deviceKey,
    found.daysToLimit,
    {
      id: `Tegangan baterai UPS turun ${perWeek.id} V per minggu; kemungkinan habis ${when.id} (batas ${limit.id} V${cells === 1 ? ' per sel' : ''}). Siapkan baterai pengganti.`,
      en: `The UPS battery voltage falls ${perWeek.en} V a week; likely exhausted ${when.en} (limit ${limit.en} ${unit}). Get a replacement battery ready.`,
    },
    [wireSeries(input.points, { metric: 'battery-volts', unit, limit: rule.limit }, context.now, rule.range)],
    context.now,
  );
}

/** Minutes on battery an operator needs to finish a resident, save and shut the PC down. */
export const RUNTIME_MINUTES_LIMIT = 10;

export const UPS_RUNTIME_RULE: TrendRule = {
  direction: 'falling',
  limit: RUNTIME_MINUTES_LIMIT,
  // Outages are rare: 4 of them over two weeks at least.
  minPoints: 4,
  minSpanDays: 14,
  horizonDays: 90,
  range: { min: 0, max: 24 * 60 },
  resetJump: 10,
  resetDirection: 'up',
};

/** Minutes on battery per outage (measured until battery-low, or estimated from the voltage drop). */
export function predictUpsRuntime(
  input: { deviceKey: string | null; points: readonly RawPoint[] },
  context: PredictorContext,
): Forecast | null {
  const found = trend(input.points, UPS_RUNTIME_RULE, context.now);
  if (!found || found.daysToLimit === null) {
    return null;
  }
  const perWeek = figure(-found.slopePerDay * 7, 1);
  const nowMinutes = figure(Math.max(0, found.valueNow), 0);
  const when = daysText(Math.floor(found.daysToLimit));
  return forecast(
    'FORECAST_UPS_RUNTIME_SHRINKING',
    'ups',
    input.deviceKey,
    found.daysToLimit,
    {
      id: `Waktu UPS bertahan dengan baterai saat listrik padam makin singkat: sekitar ${nowMinutes.id} menit, turun ${perWeek.id} menit per minggu; kemungkinan kurang dari ${RUNTIME_MINUTES_LIMIT} menit ${when.id}. Siapkan baterai pengganti.`,
      en: `The UPS runs on battery for less and less time in power cuts: about ${nowMinutes.en} minutes, down ${perWeek.en} minutes a week; likely under ${RUNTIME_MINUTES_LIMIT} minutes ${when.en}. Get a replacement battery ready.`,
    },
    [
      wireSeries(
        input.points,
        { metric: 'runtime-minutes', unit: 'min', limit: RUNTIME_MINUTES_LIMIT },
        context.now,
        UPS_RUNTIME_RULE.range,
      ),
    ],
    context.now,
  );
}

/** Share of on-mains readings with the battery-low bit at which the battery is finished. */
export const LOW_ON_MAINS_LIMIT_PERCENT = 50;

export const UPS_LOW_ON_MAINS_RULE: TrendRule = {
  direction: 'rising',
  limit: LOW_ON_MAINS_LIMIT_PERCENT,
  minPoints: 7,
  minSpanDays: 6,
  horizonDays: 60,
  range: { min: 0, max: 100 },
  // A new battery: the bit stops.
  resetJump: 20,
  resetDirection: 'down',
};

/** Percent of a day's on-mains UPS readings with the battery-low bit set. */
export function predictUpsLowOnMains(
  input: { deviceKey: string | null; points: readonly RawPoint[] },
  context: PredictorContext,
): Forecast | null {
  const found = trend(input.points, UPS_LOW_ON_MAINS_RULE, context.now);
  if (!found || found.daysToLimit === null) {
    return null;
  }
  const perWeek = figure(found.slopePerDay * 7, 0);
  const when = daysText(Math.floor(found.daysToLimit));
  return forecast(
    'FORECAST_UPS_BATTERY_LOW_ON_MAINS',
    'ups',
    input.deviceKey,
    found.daysToLimit,
    {
      id: `UPS makin sering melapor baterai lemah padahal listrik menyala: naik ${perWeek.id}% pemeriksaan per minggu; kemungkinan baterai tidak bisa diandalkan ${when.id}. Siapkan baterai pengganti.`,
      en: `The UPS reports a low battery on mains power more and more often: up ${perWeek.en}% of checks a week; the battery is likely unreliable ${when.en}. Get a replacement battery ready.`,
    },
    [
      wireSeries(
        input.points,
        { metric: 'battery-low-on-mains', unit: '%', limit: LOW_ON_MAINS_LIMIT_PERCENT },
        context.now,
        UPS_LOW_ON_MAINS_RULE.range,
      ),
    ],
    context.now,
  );
}

function suppliesRule(maximum: number, resetJump: number): TrendRule {
  return {
    direction: 'falling',
    limit: 0,
    minPoints: 7,
    minSpanDays: 6,
    horizonDays: 60,
    range: { min: 0, max: maximum },
    // A new ribbon, a delivery of cards.
    resetJump,
    resetDirection: 'up',
  };
}

export const RIBBON_PERCENT_RULE = suppliesRule(100, 15);
export const RIBBON_PRINTS_RULE = suppliesRule(1_000_000, 50);
export const BLANK_CARDS_RULE = suppliesRule(2 ** 31 - 1, 20);

/**
 * What is left of the card printer's ribbon: the printer's level in percent, or prints left as the
 * operator counts them (Evolis counts prints).
 */
export function predictRibbon(
  input: { deviceKey: string | null; unit: 'percent' | 'prints'; points: readonly RawPoint[] },
  context: PredictorContext,
): Forecast | null {
  const rule = input.unit === 'percent' ? RIBBON_PERCENT_RULE : RIBBON_PRINTS_RULE;
  const found = trend(input.points, rule, context.now);
  if (!found || found.daysToLimit === null) {
    return null;
  }
  const when = daysText(Math.floor(found.daysToLimit));
  const perDay = figure(-found.slopePerDay, input.unit === 'percent' ? 1 : 0);
  const use =
    input.unit === 'percent'
      ? { id: `${perDay.id}% per hari`, en: `${perDay.en}% a day` }
      : { id: `${perDay.id} cetakan per hari`, en: `${perDay.en} prints a day` };
  return forecast(
    'FORECAST_RIBBON_RUNNING_OUT',
    'card-printer',
    input.deviceKey,
    found.daysToLimit,
    {
      id: `Pita printer kartu terpakai ${use.id}; kemungkinan habis ${when.id}. Pesan pita baru sekarang.`,
      en: `The card printer ribbon is used at ${use.en}; likely to run out ${when.en}. Order a new ribbon now.`,
    },
    [
      wireSeries(
        input.points,
        {
          metric: input.unit === 'percent' ? 'ribbon-level' : 'prints-left',
          unit: input.unit === 'percent' ? '%' : 'prints',
          limit: 0,
        },
        context.now,
        rule.range,
      ),
    ],
    context.now,
  );
}

/** Blank e-KTP cards at the station, as counted at each daily check. */
export function predictBlankCards(
  input: { points: readonly RawPoint[] },
  context: PredictorContext,
): Forecast | null {
  const found = trend(input.points, BLANK_CARDS_RULE, context.now);
  if (!found || found.daysToLimit === null) {
    return null;
  }
  const perDay = figure(-found.slopePerDay, 0);
  const when = daysText(Math.floor(found.daysToLimit));
  return forecast(
    'FORECAST_CARDS_RUNNING_OUT',
    'card-printer',
    null,
    found.daysToLimit,
    {
      id: `Blangko KTP-el terpakai ${perDay.id} keping per hari; kemungkinan habis ${when.id}. Minta kiriman blangko ke kabupaten.`,
      en: `Blank e-KTP cards are used at ${perDay.en} a day; likely to run out ${when.en}. Ask the district for more blank cards.`,
    },
    [
      wireSeries(
        input.points,
        { metric: 'blank-cards', unit: 'cards', limit: 0 },
        context.now,
        BLANK_CARDS_RULE.range,
      ),
    ],
    context.now,
  );
}

/** The camera analysis' limits (renderer/camera/analysis.ts): BLURRED below, TOO_DARK below. */
export const CAMERA_SHARPNESS_LIMIT = 0.45;
export const CAMERA_BRIGHTNESS_LIMIT = 50;

export const CAMERA_SHARPNESS_RULE: TrendRule = {
  direction: 'falling',
  limit: CAMERA_SHARPNESS_LIMIT,
  minPoints: 7,
  minSpanDays: 6,
  horizonDays: 60,
  range: { min: 0, max: 1 },
  // The lens cleaned or refocused.
  resetJump: 0.1,
  resetDirection: 'up',
};

export const CAMERA_BRIGHTNESS_RULE: TrendRule = {
  direction: 'falling',
  limit: CAMERA_BRIGHTNESS_LIMIT,
  minPoints: 7,
  minSpanDays: 6,
  horizonDays: 60,
  range: { min: 0, max: 255 },
  // A lamp replaced.
  resetJump: 20,
  resetDirection: 'up',
};

/** The camera's edge sharpness (0..1) and mean luma (0..255), a day's mean each. */
export function predictCameraQuality(
  input: { deviceKey: string | null; sharpness: readonly RawPoint[]; brightness: readonly RawPoint[] },
  context: PredictorContext,
): Forecast | null {
  const sharpness = trend(input.sharpness, CAMERA_SHARPNESS_RULE, context.now);
  const brightness = trend(input.brightness, CAMERA_BRIGHTNESS_RULE, context.now);
  const sharpDays = sharpness?.daysToLimit ?? null;
  const brightDays = brightness?.daysToLimit ?? null;
  if (sharpDays === null && brightDays === null) {
    return null;
  }
  const days = Math.min(sharpDays ?? Infinity, brightDays ?? Infinity);
  const when = daysText(Math.floor(days));
  const evidence: { id: string; en: string }[] = [];
  if (sharpDays !== null) {
    const perWeek = figure(-sharpness!.slopePerDay * 7, 3);
    evidence.push({
      id: `ketajaman turun ${perWeek.id} per minggu`,
      en: `sharpness down ${perWeek.en} a week`,
    });
  }
  if (brightDays !== null) {
    const perWeek = figure(-brightness!.slopePerDay * 7, 1);
    evidence.push({
      id: `kecerahan turun ${perWeek.id} per minggu`,
      en: `brightness down ${perWeek.en} a week`,
    });
  }
  return forecast(
    'FORECAST_CAMERA_QUALITY_FALLING',
    'camera',
    input.deviceKey,
    days,
    {
      id: `Gambar kamera foto makin buruk: ${evidence.map((item) => item.id).join(', ')}; kemungkinan foto ditolak ${when.id}. Bersihkan lensa dan periksa lampu.`,
      en: `The photo camera's picture is getting worse: ${evidence.map((item) => item.en).join(', ')}; photos likely rejected ${when.en}. Clean the lens and check the lights.`,
    },
    [
      wireSeries(
        input.sharpness,
        { metric: 'camera-sharpness', unit: '', limit: CAMERA_SHARPNESS_LIMIT },
        context.now,
        CAMERA_SHARPNESS_RULE.range,
      ),
      wireSeries(
        input.brightness,
        { metric: 'camera-brightness', unit: '', limit: CAMERA_BRIGHTNESS_LIMIT },
        context.now,
        CAMERA_BRIGHTNESS_RULE.range,
      ),
    ],
    context.now,
  );
}

export const DISK_RULE: TrendRule = {
  direction: 'falling',
  limit: 0,
  minPoints: 7,
  minSpanDays: 6,
  horizonDays: 60,
  range: { min: 0, max: 1_000_000 },
  // Files deleted, a bigger disk.
  resetJump: 1,
  resetDirection: 'up',
};

/** Free space on the data folder's disk, GB (a day's mean). */
export function predictDisk(
  input: { points: readonly RawPoint[] },
  context: PredictorContext,
): Forecast | null {
  const found = trend(input.points, DISK_RULE, context.now);
  if (!found || found.daysToLimit === null) {
    return null;
  }
  const perDay = figure(-found.slopePerDay, 2);
  const free = figure(Math.max(0, found.valueNow), 1);
  const when = daysText(Math.floor(found.daysToLimit));
  return forecast(
    'FORECAST_DISK_FILLING',
    'pc',
    null,
    found.daysToLimit,
    {
      id: `Ruang disk PC tersisa ${free.id} GB dan berkurang ${perDay.id} GB per hari; kemungkinan penuh ${when.id}. Minta teknisi membersihkan disk.`,
      en: `The PC's disk has ${free.en} GB free and loses ${perDay.en} GB a day; likely full ${when.en}. Ask the technician to clean up the disk.`,
    },
    [wireSeries(input.points, { metric: 'disk-free', unit: 'GB', limit: 0 }, context.now, DISK_RULE.range)],
    context.now,
  );
}

export function clockRule(limitSeconds: number): TrendRule {
  return {
    direction: 'away-from-zero',
    limit: Math.abs(limitSeconds),
    minPoints: 7,
    minSpanDays: 6,
    horizonDays: 60,
    // A clock decades off (a dead clock battery) is a fault of its own, not a drift.
    range: { min: -366 * 86_400, max: 366 * 86_400 },
    // The clock set (by NTP or by hand): a jump of a minute or more, either way.
    resetJump: 60,
    resetDirection: 'both',
  };
}

/** The district's clock minus the station's (seconds), as measured from the district's replies. */
export function predictClockDrift(
  input: { limitSeconds: number; points: readonly RawPoint[] },
  context: PredictorContext,
): Forecast | null {
  const rule = clockRule(input.limitSeconds);
  const found = trend(input.points, rule, context.now);
  if (!found || found.daysToLimit === null) {
    return null;
  }
  // Offset = district - station: a falling offset is a station clock running fast.
  const msPerDay = figure(Math.abs(found.slopePerDay) * 1000, 0);
  const fast = found.slopePerDay < 0;
  const limitMinutes = figure(rule.limit / 60, 0);
  const when = daysText(Math.floor(found.daysToLimit));
  return forecast(
    'FORECAST_CLOCK_DRIFTING',
    'pc',
    null,
    found.daysToLimit,
    {
      id: `Jam PC ${fast ? 'makin cepat' : 'makin lambat'} ${msPerDay.id} ms per hari dibanding jam kabupaten; kemungkinan selisihnya lebih dari ${limitMinutes.id} menit ${when.id}. Setel jam PC dan periksa baterai jam (CMOS).`,
      en: `The PC clock runs ${fast ? 'fast' : 'slow'} by ${msPerDay.en} ms a day against the district's clock; likely more than ${limitMinutes.en} minutes off ${when.en}. Set the PC clock and check its clock battery (CMOS).`,
    },
    [
      wireSeries(
        input.points,
        { metric: 'clock-offset', unit: 's', limit: Math.sign(found.slopePerDay) * rule.limit },
        context.now,
        rule.range,
      ),
    ],
    context.now,
  );
}
