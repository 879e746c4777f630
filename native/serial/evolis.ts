// Evolis card printer (Primacy, Zenius, Pebble, Dualys, KC200...) status over its serial/USB
// command channel.
//
// What is documented (Evolis Card Printers Programming Guide A5013, "Communication Protocol"):
// a command is ESC, the command letters, parameters separated by ';', then CR. Commands starting
// with R read something. Integrators' code (Evolis SDK users) shows these replies:
//   Rrt;count -> remaining ribbon panels/prints as a decimal number, or "ERR RIB DETECTION" when
//                no ribbon is detected;
//   Rrt;qty   -> ribbon capacity, same shape;
//   Rse;f     -> feeder sensor voltage, e.g. "5,00 Volts" (cards) / "0,00 Volts" (empty);
//   anything  -> "OK" on success, "ERR ..." text on failure.
//
// ASSUMPTION (not confirmed from a source we could read): the overall status request is
// `ESC Rst CR` ("read status"), answered with ONE state word as the Evolis SDK names its minor
// states (libevolis evolis_minor_state_t without the EVOLIS_MI_ prefix, e.g. PRINTER_READY,
// DEF_COVER_OPEN, ERR_FEEDER_EMPTY, INF_RIBBON_LOW), words separated by '_' or ' '. Check this
// against the model's programming guide or a real printer before relying on it in the field; the
// request is one constant and the word table below is the whole mapping. Replies are assumed to
// end with CR on the serial link. The default baud rate is likewise an assumption (9600 8N1).
import type { SerialQueryResult, SerialTransport } from './types';

export const EVOLIS_TERMINATOR = 0x0d;
export const EVOLIS_DEFAULT_BAUD_RATE = 9600;
export const EVOLIS_MAX_REPLY_BYTES = 256;

/** ESC command CR, the printer's command frame. */
export function frameEvolisCommand(command: string): Buffer {
  return Buffer.from(`\x1b${command}\r`, 'ascii');
}

export const EVOLIS_STATUS_COMMAND = 'Rst';
export const EVOLIS_RIBBON_COUNT_COMMAND = 'Rrt;count';
export const EVOLIS_STATUS_REQUEST: Buffer = frameEvolisCommand(EVOLIS_STATUS_COMMAND);
export const EVOLIS_RIBBON_COUNT_REQUEST: Buffer = frameEvolisCommand(EVOLIS_RIBBON_COUNT_COMMAND);

export type EvolisState =
  'ready' | 'ribbon-out' | 'ribbon-low' | 'card-out' | 'cover-open' | 'jam' | 'error' | 'busy';

export interface EvolisStatus {
  state: EvolisState;
  /** The state word as the printer said it, normalised to upper case with '_' (e.g. DEF_COVER_OPEN). */
  code: string;
  /** The reply as received (terminator stripped). */
  raw: string;
  /** Remaining ribbon prints, when the ribbon count was read. */
  ribbonRemaining?: number;
}

export type ParseEvolisStatusResult = { ok: true; status: EvolisStatus } | { ok: false; error: string };

// Exact words first; then the word's class prefix decides (ERR/DEF are faults, INF is
// information). Feeder-open is grouped with cover-open: both are "close the printer".
const exactStates: Record<string, EvolisState> = {
  OK: 'ready',
  READY: 'ready',
  PRINTER_READY: 'ready',
  BUSY: 'busy',
  INF_PRINTING_RUNNING: 'busy',
  INF_ENCODING_RUNNING: 'busy',
  INF_CLEANING_RUNNING: 'busy',
  INF_RETRANSFER_RUNNING: 'busy',
  INF_LAMINATING_RUNNING: 'busy',
  INF_HEATING: 'busy',
  INF_UPDATING_FIRMWARE: 'busy',
  DEF_COOLING: 'busy',
  DEF_WAIT_CARD: 'busy',
  INF_RIBBON_LOW: 'ribbon-low',
  DEF_NO_RIBBON: 'ribbon-out',
  DEF_RIBBON_ENDED: 'ribbon-out',
  ERR_RIBBON_ENDED: 'ribbon-out',
  ERR_RIB_DETECTION: 'ribbon-out',
  DEF_FEEDER_EMPTY: 'card-out',
  ERR_FEEDER_EMPTY: 'card-out',
  DEF_COVER_OPEN: 'cover-open',
  ERR_COVER_OPEN: 'cover-open',
  DEF_FEEDER_OPEN: 'cover-open',
  ERR_FEEDER_OPEN: 'cover-open',
  ERR_MECHANICAL: 'jam',
  ERR_CARD_JAM: 'jam',
  ERR_FEEDER_ERROR: 'jam',
  PRINTER_OFFLINE: 'error',
  INTERNALERROR: 'error',
};

const wordPattern = /^[A-Z0-9]+(?:_[A-Z0-9]+)*$/;

function replyText(reply: Buffer | string): string {
  const text = typeof reply === 'string' ? reply : reply.toString('latin1');
  return text.replace(/\r?\n?$/, '');
}

function describeText(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}...` : text);
}

/** Maps a state-word reply to a state. Never throws; unknown words outside ERR/DEF/INF are errors. */
export function parseEvolisStatus(reply: Buffer | string): ParseEvolisStatusResult {
  const raw = replyText(reply);
  if (raw.length === 0) {
    return { ok: false, error: 'empty reply' };
  }
  if (raw.length > 64 || !/^[\x20-\x7e]+$/.test(raw)) {
    return { ok: false, error: `not a status word: ${describeText(raw)}` };
  }
  const code = raw.trim().toUpperCase().replace(/ +/g, '_');
  if (!wordPattern.test(code)) {
    return { ok: false, error: `not a status word: ${describeText(raw)}` };
  }
  const exact = exactStates[code];
  if (exact !== undefined) {
    return { ok: true, status: { state: exact, code, raw } };
  }
  if (code.startsWith('ERR_') || code.startsWith('DEF_')) {
    return { ok: true, status: { state: 'error', code, raw } };
  }
  if (code.startsWith('INF_')) {
    return { ok: true, status: { state: 'ready', code, raw } };
  }
  return { ok: false, error: `unknown status word: ${describeText(raw)}` };
}

export type ParseEvolisRibbonCountResult = { ok: true; remaining: number } | { ok: false; error: string };

/** Parses the Rrt;count reply; "ERR RIB DETECTION" (no ribbon) counts as 0 remaining. */
export function parseEvolisRibbonCount(reply: Buffer | string): ParseEvolisRibbonCountResult {
  const text = replyText(reply).trim();
  if (/^ERR[ _]RIB[ _]DETECTION$/i.test(text)) {
    return { ok: true, remaining: 0 };
  }
  if (!/^\d{1,6}$/.test(text)) {
    return { ok: false, error: `ribbon count is not a number: ${describeText(text)}` };
  }
  return { ok: true, remaining: Number(text) };
}

/** A simulated printer: what the pure reply generator below answers from. */
export interface EvolisSimulatedPrinter {
  /** State word the status command answers, e.g. PRINTER_READY or DEF_COVER_OPEN. */
  statusWord: string;
  /** Rrt;count answer; undefined answers "ERR RIB DETECTION". */
  ribbonRemaining?: number;
}

/** State words a simulator can answer for each state (the first entry of the table above). */
export const EVOLIS_SIMULATION_WORDS: Record<EvolisState, string> = {
  ready: 'PRINTER_READY',
  busy: 'INF_PRINTING_RUNNING',
  'ribbon-low': 'INF_RIBBON_LOW',
  'ribbon-out': 'DEF_RIBBON_ENDED',
  'card-out': 'DEF_FEEDER_EMPTY',
  'cover-open': 'DEF_COVER_OPEN',
  jam: 'ERR_MECHANICAL',
  error: 'ERR_HEAD_TEMP',
};

/**
 * What the printer answers to one command (without ESC and CR), CR included. Unknown commands
 * get "ERR CDE", as the printer answers a command it does not know.
 */
export function answerEvolisCommand(printer: EvolisSimulatedPrinter, command: string): string {
  if (command === EVOLIS_STATUS_COMMAND) {
    return `${printer.statusWord}\r`;
  }
  if (command === EVOLIS_RIBBON_COUNT_COMMAND) {
    return printer.ribbonRemaining === undefined ? 'ERR RIB DETECTION\r' : `${printer.ribbonRemaining}\r`;
  }
  return 'ERR CDE\r';
}

export interface ReadEvolisStatusOptions {
  path: string;
  baudRate?: number;
  /** Per command. */
  timeoutMs: number;
  /** At or below this many remaining prints a ready printer is reported as ribbon-low. */
  ribbonLowThreshold?: number;
}

export type ReadEvolisStatusResult =
  | { ok: true; status: EvolisStatus; elapsedMs: number }
  | {
      ok: false;
      /** Transport reasons as in SerialQueryResult, or 'parse' for a reply we cannot read. */
      reason: Extract<SerialQueryResult, { ok: false }>['reason'] | 'parse';
      message: string;
      raw?: string;
      elapsedMs: number;
    };

/**
 * Asks the status word, then the ribbon count. A printer that answers the status but not the
 * ribbon count (older firmware, no RFID ribbon) is still reported, without ribbonRemaining.
 */
export async function readEvolisStatus(
  transport: SerialTransport,
  options: ReadEvolisStatusOptions,
): Promise<ReadEvolisStatusResult> {
  const common = {
    path: options.path,
    baudRate: options.baudRate ?? EVOLIS_DEFAULT_BAUD_RATE,
    terminator: EVOLIS_TERMINATOR,
    timeoutMs: options.timeoutMs,
    maxReplyBytes: EVOLIS_MAX_REPLY_BYTES,
  };
  const statusReply = await transport.query({ ...common, request: EVOLIS_STATUS_REQUEST });
  if (!statusReply.ok) {
    return {
      ok: false,
      reason: statusReply.reason,
      message: statusReply.message,
      elapsedMs: statusReply.elapsedMs,
    };
  }
  const parsed = parseEvolisStatus(statusReply.reply);
  if (!parsed.ok) {
    return {
      ok: false,
      reason: 'parse',
      message: parsed.error,
      raw: replyText(statusReply.reply),
      elapsedMs: statusReply.elapsedMs,
    };
  }
  const status = parsed.status;
  let elapsedMs = statusReply.elapsedMs;
  const ribbonReply = await transport.query({ ...common, request: EVOLIS_RIBBON_COUNT_REQUEST });
  elapsedMs += ribbonReply.elapsedMs;
  // The printer answered its status, then its port went away: it vanished in the middle of the check.
  if (!ribbonReply.ok && ribbonReply.reason === 'disconnected') {
    return { ok: false, reason: 'disconnected', message: ribbonReply.message, elapsedMs };
  }
  if (ribbonReply.ok) {
    const ribbon = parseEvolisRibbonCount(ribbonReply.reply);
    if (ribbon.ok) {
      status.ribbonRemaining = ribbon.remaining;
      const threshold = options.ribbonLowThreshold ?? 20;
      if (status.state === 'ready' && ribbon.remaining === 0) {
        status.state = 'ribbon-out';
      } else if (status.state === 'ready' && ribbon.remaining <= threshold) {
        status.state = 'ribbon-low';
      }
    }
  }
  return { ok: true, status, elapsedMs };
}
