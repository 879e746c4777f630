// Megatec "Q1" UPS status protocol (2400 8N1). The station asks `Q1\r`; the UPS answers one line:
//   (MMM.M NNN.N PPP.P QQQ RR.R S.SS TT.T b7b6b5b4b3b2b1b0\r
// input V, input-fault V, output V, load %, Hz, battery V, degrees C, then 8 status bits:
// b7 utility fail, b6 battery low, b5 bypass/boost active, b4 UPS failed, b3 standby type,
// b2 test in progress, b1 shutdown active, b0 beeper on.
// The rating query `F\r` is answered `#VVV.V CCC BBB.B FF.F\r`: rating voltage, rating current,
// nominal battery voltage, rating frequency. Not every unit answers it.
// Pure: no I/O here, so the product's --simulate mode can reuse formatQ1.
import type { SerialQueryOptions, UpsQ1Status, UpsRating } from './types';

export const MEGATEC_Q1_REQUEST: Buffer = Buffer.from('Q1\r', 'ascii');
export const MEGATEC_RATING_REQUEST: Buffer = Buffer.from('F\r', 'ascii');
export const MEGATEC_TERMINATOR = 0x0d;
export const MEGATEC_BAUD_RATE = 2400;
/** A Q1 line is 47 bytes; anything much longer without a CR is not a Q1 reply. */
export const MEGATEC_MAX_REPLY_BYTES = 128;

/** The Q1 status query on `path` at the standard 2400 baud, as SerialTransport options. */
export function megatecQ1Query(path: string, timeoutMs: number): SerialQueryOptions {
  return {
    path,
    baudRate: MEGATEC_BAUD_RATE,
    request: MEGATEC_Q1_REQUEST,
    terminator: MEGATEC_TERMINATOR,
    timeoutMs,
    maxReplyBytes: MEGATEC_MAX_REPLY_BYTES,
  };
}

export type ParseQ1Result = { ok: true; status: UpsQ1Status } | { ok: false; error: string };

const numericFields = [
  'inputVoltage',
  'inputFaultVoltage',
  'outputVoltage',
  'loadPercent',
  'frequencyHz',
  'batteryVoltage',
  'temperatureC',
] as const;

const statusBitFields = [
  'utilityFail',
  'batteryLow',
  'bypassOrBoost',
  'upsFailed',
  'standbyType',
  'testInProgress',
  'shutdownActive',
  'beeperOn',
] as const;

// Units differ in widths (e.g. "230.0" vs "230.00", battery "2.27" per cell or "27.40" total,
// load "018" or "18"), so a field is 1-4 digits with an optional 1-3 digit fraction. No sign,
// no exponent, no "--.-": a unit that sends those is not giving us a reading.
const numberPattern = /^\d{1,4}(?:\.\d{1,3})?$/;
const statusBitsPattern = /^[01]{8}$/;

function describeText(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}...` : text);
}

/** Parses one Q1 reply. Never throws: a reply that is not exactly a Q1 line is an error. */
export function parseQ1(reply: Buffer | string): ParseQ1Result {
  const text = typeof reply === 'string' ? reply : reply.toString('latin1');
  const line = text.endsWith('\r') ? text.slice(0, -1) : text;
  if (line.length === 0) {
    return { ok: false, error: 'empty reply' };
  }
  if (!line.startsWith('(')) {
    return { ok: false, error: `reply does not start with "(": ${describeText(line)}` };
  }
  if (!/^[\x20-\x7e]*$/.test(line)) {
    return { ok: false, error: `reply holds non-printable bytes: ${describeText(line)}` };
  }
  const fields = line.slice(1).split(' ');
  if (fields.length !== numericFields.length + 1) {
    return {
      ok: false,
      error: `expected ${numericFields.length + 1} fields separated by single spaces, got ${fields.length}: ${describeText(line)}`,
    };
  }
  const values: Partial<Record<(typeof numericFields)[number], number>> = {};
  for (const [index, name] of numericFields.entries()) {
    const field = fields[index] ?? '';
    if (!numberPattern.test(field)) {
      return { ok: false, error: `field ${index + 1} (${name}) is not a number: ${describeText(field)}` };
    }
    values[name] = Number(field);
  }
  const bits = fields[numericFields.length] ?? '';
  if (!statusBitsPattern.test(bits)) {
    return { ok: false, error: `status bits must be 8 of 0/1: ${describeText(bits)}` };
  }
  const flags = Object.fromEntries(
    statusBitFields.map((name, index) => [name, bits[index] === '1']),
  ) as Record<(typeof statusBitFields)[number], boolean>;
  return {
    ok: true,
    status: {
      inputVoltage: values.inputVoltage ?? 0,
      inputFaultVoltage: values.inputFaultVoltage ?? 0,
      outputVoltage: values.outputVoltage ?? 0,
      loadPercent: values.loadPercent ?? 0,
      frequencyHz: values.frequencyHz ?? 0,
      batteryVoltage: values.batteryVoltage ?? 0,
      temperatureC: values.temperatureC ?? 0,
      ...flags,
    },
  };
}

export type ParseRatingResult = { ok: true; rating: UpsRating } | { ok: false; error: string };

/** Parses one F reply. Never throws. */
export function parseRating(reply: Buffer | string): ParseRatingResult {
  const text = typeof reply === 'string' ? reply : reply.toString('latin1');
  const line = text.endsWith('\r') ? text.slice(0, -1) : text;
  if (!line.startsWith('#')) {
    return { ok: false, error: `rating reply does not start with "#": ${describeText(line)}` };
  }
  const fields = line.slice(1).trim().split(/ +/);
  if (fields.length !== 4 || !fields.every((field) => numberPattern.test(field))) {
    return { ok: false, error: `expected 4 numbers in the rating reply: ${describeText(line)}` };
  }
  const [voltage, current, batteryVoltage, frequencyHz] = fields.map(Number) as [
    number,
    number,
    number,
    number,
  ];
  return { ok: true, rating: { voltage, current, batteryVoltage, frequencyHz } };
}

/** Formats a rating as the UPS would send it, CR included (for simulators). */
export function formatRating(rating: UpsRating): string {
  return `#${formatField(rating.voltage, 'voltage', 1, 3)} ${formatField(rating.current, 'current', 0, 3)} ${formatField(rating.batteryVoltage, 'batteryVoltage', 2, 2)} ${formatField(rating.frequencyHz, 'frequencyHz', 1, 2)}\r`;
}

/** Lead-acid battery banks are made of 2 V cells, 6 to a 12 V block. */
const NOMINAL_BATTERY_VOLTAGES = [12, 24, 36, 48, 72, 96, 120, 144, 192, 240] as const;
/** The middle of a healthy lead-acid cell's range (float about 2.25-2.3 V, discharged about 1.75 V). */
const TYPICAL_CELL_VOLTS = 2.2;

export interface BatteryReading {
  /** Volts per cell, the figure every unit's reading is compared on. */
  perCellVolts: number;
  /** Nominal bank voltage, when known (rating) or inferred from a total reading. */
  nominalVolts?: number;
  /** How the reading was read: the unit sends volts per cell, or the bank's total. */
  convention: 'per-cell' | 'total';
  nominalFrom?: 'rating' | 'inferred';
}

/**
 * Megatec units disagree on the battery field: some send volts per cell (2.27), others the
 * bank's total (13.6, 27.4, 54.2). A value under 3 V is per cell (no bank is that small);
 * otherwise it is a total, divided by the cell count from the rating's nominal battery voltage
 * (F query) when there is one, else from the standard nominal voltage that puts the reading
 * nearest a typical cell. A reading of 0 is 0 V per cell.
 */
export function interpretBatteryVoltage(reading: number, rating?: UpsRating): BatteryReading {
  if (reading < 3) {
    return { perCellVolts: reading, convention: 'per-cell' };
  }
  // A rating of a few volts is a per-cell nominal, which says nothing about the bank.
  if (rating !== undefined && rating.batteryVoltage >= 6) {
    const cells = Math.max(1, Math.round(rating.batteryVoltage / 2));
    return {
      perCellVolts: reading / cells,
      nominalVolts: rating.batteryVoltage,
      convention: 'total',
      nominalFrom: 'rating',
    };
  }
  let nominal: number = NOMINAL_BATTERY_VOLTAGES[0];
  for (const candidate of NOMINAL_BATTERY_VOLTAGES) {
    const distance = Math.abs(reading / (candidate / 2) - TYPICAL_CELL_VOLTS);
    if (distance < Math.abs(reading / (nominal / 2) - TYPICAL_CELL_VOLTS)) {
      nominal = candidate;
    }
  }
  return {
    perCellVolts: reading / (nominal / 2),
    nominalVolts: nominal,
    convention: 'total',
    nominalFrom: 'inferred',
  };
}

function formatField(value: number, name: string, fractionDigits: number, integerDigits: number): string {
  if (!Number.isFinite(value) || value < 0 || value >= 10 ** 4) {
    throw new RangeError(`${name} must be a number from 0 to 9999, got ${value}`);
  }
  const [integerPart = '0', fraction] = value.toFixed(fractionDigits).split('.');
  const padded = integerPart.padStart(integerDigits, '0');
  return fraction === undefined ? padded : `${padded}.${fraction}`;
}

/**
 * Formats a status as the UPS would send it, CR included. Values are rounded to the field's
 * precision (0.1 V, 1 %, 0.1 Hz, 0.01 V battery, 0.1 degC); throws RangeError on negative,
 * non-finite or >= 10000 values (a simulator bug, not device data).
 */
export function formatQ1(status: UpsQ1Status): string {
  const bits = statusBitFields.map((name) => (status[name] ? '1' : '0')).join('');
  const fields = [
    formatField(status.inputVoltage, 'inputVoltage', 1, 3),
    formatField(status.inputFaultVoltage, 'inputFaultVoltage', 1, 3),
    formatField(status.outputVoltage, 'outputVoltage', 1, 3),
    formatField(status.loadPercent, 'loadPercent', 0, 3),
    formatField(status.frequencyHz, 'frequencyHz', 1, 2),
    formatField(status.batteryVoltage, 'batteryVoltage', 2, 1),
    formatField(status.temperatureC, 'temperatureC', 1, 2),
  ];
  return `(${fields.join(' ')} ${bits}\r`;
}

const noFlags = {
  utilityFail: false,
  batteryLow: false,
  bypassOrBoost: false,
  upsFailed: false,
  standbyType: false,
  testInProgress: false,
  shutdownActive: false,
  beeperOn: false,
};

/** Typical states of a line-interactive 230 V / 50 Hz UPS, for simulators. */
export const UPS_SIMULATION_STATUSES = {
  healthy: {
    inputVoltage: 228.5,
    inputFaultVoltage: 228.5,
    outputVoltage: 229.0,
    loadPercent: 18,
    frequencyHz: 50.0,
    batteryVoltage: 2.27,
    temperatureC: 27.5,
    ...noFlags,
    standbyType: true,
  },
  'on-battery': {
    inputVoltage: 0,
    inputFaultVoltage: 0,
    outputVoltage: 229.0,
    loadPercent: 22,
    frequencyHz: 50.0,
    batteryVoltage: 2.05,
    temperatureC: 29.0,
    ...noFlags,
    utilityFail: true,
    standbyType: true,
    beeperOn: true,
  },
  'battery-low': {
    inputVoltage: 0,
    inputFaultVoltage: 0,
    outputVoltage: 226.0,
    loadPercent: 22,
    frequencyHz: 50.0,
    batteryVoltage: 1.72,
    temperatureC: 30.5,
    ...noFlags,
    utilityFail: true,
    batteryLow: true,
    standbyType: true,
    beeperOn: true,
  },
  'ups-failed': {
    inputVoltage: 229.0,
    inputFaultVoltage: 229.0,
    outputVoltage: 0,
    loadPercent: 0,
    frequencyHz: 50.0,
    batteryVoltage: 2.25,
    temperatureC: 41.0,
    ...noFlags,
    upsFailed: true,
    standbyType: true,
    beeperOn: true,
  },
  /** On mains, the battery reads 0 V: disconnected, or its fuse blown. */
  'battery-disconnected': {
    inputVoltage: 228.5,
    inputFaultVoltage: 228.5,
    outputVoltage: 229.0,
    loadPercent: 18,
    frequencyHz: 50.0,
    batteryVoltage: 0,
    temperatureC: 27.5,
    ...noFlags,
    standbyType: true,
  },
  /** On mains with the battery-low bit: the battery no longer holds a charge. */
  'battery-worn': {
    inputVoltage: 228.5,
    inputFaultVoltage: 228.5,
    outputVoltage: 229.0,
    loadPercent: 18,
    frequencyHz: 50.0,
    batteryVoltage: 1.98,
    temperatureC: 27.5,
    ...noFlags,
    batteryLow: true,
    standbyType: true,
  },
  /** A unit that sends the bank's total: 27.4 V from a 24 V (12 cell) bank on float charge. */
  'healthy-total-24v': {
    inputVoltage: 228.5,
    inputFaultVoltage: 228.5,
    outputVoltage: 229.0,
    loadPercent: 18,
    frequencyHz: 50.0,
    batteryVoltage: 27.4,
    temperatureC: 27.5,
    ...noFlags,
    standbyType: true,
  },
  /** The same unit reading 9.6 V: far below any working 24 V bank (0.8 V per cell). */
  'dead-total-24v': {
    inputVoltage: 228.5,
    inputFaultVoltage: 228.5,
    outputVoltage: 229.0,
    loadPercent: 18,
    frequencyHz: 50.0,
    batteryVoltage: 9.6,
    temperatureC: 27.5,
    ...noFlags,
    standbyType: true,
  },
} satisfies Record<string, UpsQ1Status>;

/** Rating (F reply) of the simulated 1000 VA line-interactive unit with a 24 V bank. */
export const UPS_SIMULATION_RATING: UpsRating = {
  voltage: 220,
  current: 4,
  batteryVoltage: 24,
  frequencyHz: 50,
};

export type UpsSimulationState = keyof typeof UPS_SIMULATION_STATUSES;
