// Megatec "Q1" UPS status protocol (2400 8N1). The station asks `Q1\r`; the UPS answers one line:
//   (MMM.M NNN.N PPP.P QQQ RR.R S.SS TT.T b7b6b5b4b3b2b1b0\r
// input V, input-fault V, output V, load %, Hz, battery V, degrees C, then 8 status bits:
// b7 utility fail, b6 battery low, b5 bypass/boost active, b4 UPS failed, b3 standby type,
// b2 test in progress, b1 shutdown active, b0 beeper on.
// Pure: no I/O here, so the product's --simulate mode can reuse formatQ1.
import type { UpsQ1Status } from './types';

export const MEGATEC_Q1_REQUEST: Buffer = Buffer.from('Q1\r', 'ascii');
export const MEGATEC_TERMINATOR = 0x0d;
export const MEGATEC_BAUD_RATE = 2400;
/** A Q1 line is 47 bytes; anything much longer without a CR is not a Q1 reply. */
export const MEGATEC_MAX_REPLY_BYTES = 128;

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
} satisfies Record<string, UpsQ1Status>;

export type UpsSimulationState = keyof typeof UPS_SIMULATION_STATUSES;
