// UPS health over serial with the Megatec Q1 query. The UPS port belongs to no recording program,
// so this query is allowed in passive checks too; a port held by the vendor's UPS software is "in use".
//
// Every next step for the UPS role is written for a UPS that powers the running PC: it never says
// to switch the UPS off (resources/i18n/verdicts.json, UPS_* entries).
import type { SerialQueryResult, UpsRating } from '../../../native/serial/types';
import { interpretBatteryVoltage, parseQ1 } from '../../../native/serial/megatec';
import type { MegatecReading } from '../../../native/serial/megatec-read';
import type { Outcome } from './outcome';
import { ok, serialPortUnavailable } from './outcome';

/**
 * Plausible volts per lead-acid cell, on mains or on battery: a fully discharged cell under load
 * is about 1.7 V (UPS cut-off 1.6-1.75 V), float charge 2.25-2.3 V, boost charge up to 2.45 V.
 * Outside this band the reading is not a working battery: 0 V is a battery disconnected or its
 * fuse blown, a few volts a dead bank, far above 2.5 V a charger fault or a wrong reading.
 */
export const BATTERY_CELL_VOLTS = { min: 1.6, max: 2.5 } as const;

/**
 * Bytes still arriving at the deadline (a reply too slow to finish in time) are told from bytes
 * that stopped without a CR (a bad reply) by the pause since the last byte: a talking device
 * pauses no longer than a few of its own byte intervals.
 */
const STILL_ARRIVING_FLOOR_MS = 100;

/** Bytes as a technician reads them: printable ASCII kept, everything else escaped (\r, \x07). */
export function escapeBytes(bytes: Buffer): string {
  let text = '';
  for (const byte of bytes) {
    if (byte === 0x0d) {
      text += '\\r';
    } else if (byte === 0x0a) {
      text += '\\n';
    } else if (byte === 0x5c) {
      text += '\\\\';
    } else if (byte >= 0x20 && byte < 0x7f) {
      text += String.fromCharCode(byte);
    } else {
      text += `\\x${byte.toString(16).padStart(2, '0')}`;
    }
  }
  return text;
}

function bytesMeasurements(prefix: string, bytes: Buffer): Record<string, unknown> {
  const shown = bytes.subarray(0, 64);
  return {
    [prefix]: escapeBytes(shown),
    [`${prefix}Hex`]: shown.toString('hex').replace(/(..)(?=.)/g, '$1 '),
    [`${prefix}Bytes`]: bytes.length,
  };
}

/** Were the received bytes still coming in when the query stopped? */
function stillArriving(result: Extract<SerialQueryResult, { ok: false }>): boolean {
  const { partial, firstByteMs, lastByteMs } = result;
  if (!partial || partial.length === 0 || firstByteMs === undefined || lastByteMs === undefined) {
    return false;
  }
  const interval = partial.length > 1 ? (lastByteMs - firstByteMs) / (partial.length - 1) : 0;
  return result.elapsedMs - lastByteMs <= Math.max(STILL_ARRIVING_FLOOR_MS, 3 * interval);
}

function failedQuery(path: string, result: Extract<SerialQueryResult, { ok: false }>): Outcome {
  const measurements: Record<string, unknown> = {
    path,
    elapsedMs: Math.round(result.elapsedMs),
    reason: result.reason,
    error: result.message,
  };
  const received = result.partial !== undefined && result.partial.length > 0;
  if (received) {
    Object.assign(measurements, bytesMeasurements('partialReply', result.partial!));
    if (result.firstByteMs !== undefined) {
      measurements.firstByteMs = Math.round(result.firstByteMs);
      measurements.lastByteMs = Math.round(result.lastByteMs ?? result.firstByteMs);
    }
  }
  const unavailable = serialPortUnavailable(result.reason, measurements);
  if (unavailable !== undefined) {
    return unavailable;
  }
  switch (result.reason) {
    case 'timeout':
      if (!received) {
        return { status: 'fault', suffix: 'NOT_RESPONDING', measurements };
      }
      // It answers, too slowly to finish in time, or with a line that never ends in CR.
      return stillArriving(result)
        ? { status: 'warning', suffix: 'SLOW_REPLY', measurements }
        : { status: 'warning', suffix: 'BAD_REPLY', measurements };
    case 'overflow':
      return { status: 'warning', suffix: 'BAD_REPLY', measurements };
    default:
      return { status: 'unknown', suffix: 'CHECK_ERROR', measurements };
  }
}

/** The battery's own health from a reply on mains: a reading no working battery gives, or the low bit. */
function batteryOutcome(
  measurements: Record<string, unknown>,
  batteryVoltage: number,
  batteryLow: boolean,
  rating: UpsRating | undefined,
): Outcome | undefined {
  const battery = interpretBatteryVoltage(batteryVoltage, rating);
  measurements.batteryVoltsPerCell = Math.round(battery.perCellVolts * 1000) / 1000;
  measurements.batteryConvention = battery.convention;
  if (battery.nominalVolts !== undefined) {
    measurements.batteryNominalVolts = battery.nominalVolts;
    measurements.batteryNominalFrom = battery.nominalFrom;
  }
  if (battery.perCellVolts < BATTERY_CELL_VOLTS.min || battery.perCellVolts > BATTERY_CELL_VOLTS.max) {
    return {
      status: 'warning',
      code: 'UPS_BATTERY_DEAD',
      params: { batteryVoltage },
      measurements,
    };
  }
  if (batteryLow) {
    return { status: 'warning', code: 'UPS_BATTERY_REPLACE', measurements };
  }
  return undefined;
}

export function checkUpsReply(
  path: string,
  result: SerialQueryResult,
  reading: Omit<MegatecReading, 'q1'> = {},
): Outcome {
  if (!result.ok) {
    return failedQuery(path, result);
  }
  const measurements: Record<string, unknown> = { path, elapsedMs: Math.round(result.elapsedMs) };
  measurements.reply = escapeBytes(result.reply.subarray(0, 80)).replace(/\\r$/, '');
  const parsed = parseQ1(result.reply);
  if (!parsed.ok) {
    Object.assign(measurements, bytesMeasurements('reply', result.reply));
    measurements.error = parsed.error;
    return { status: 'warning', suffix: 'BAD_REPLY', measurements };
  }
  const status = parsed.status;
  Object.assign(measurements, status);
  if (reading.rating) {
    measurements.rating = reading.rating;
  } else if (reading.ratingError) {
    measurements.ratingError = reading.ratingError;
  }
  if (status.upsFailed) {
    return { status: 'fault', code: 'UPS_FAILED', measurements };
  }
  if (status.utilityFail && status.batteryLow) {
    return { status: 'fault', code: 'UPS_BATTERY_LOW', measurements };
  }
  if (status.utilityFail) {
    return { status: 'warning', code: 'UPS_ON_BATTERY', measurements };
  }
  return (
    batteryOutcome(measurements, status.batteryVoltage, status.batteryLow, reading.rating) ?? ok(measurements)
  );
}

/** The verdict of one read of the UPS (Q1, and F when asked). */
export function checkUpsReading(path: string, reading: MegatecReading): Outcome {
  const { q1, ...rest } = reading;
  return checkUpsReply(path, q1, rest);
}
