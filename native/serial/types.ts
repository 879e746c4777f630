// Contract of the serial adapter: one request, one reply line, a hard timeout. Implemented with
// the real `serialport` library (serial-query.ts); tested on socat pty pairs.

export interface SerialQueryOptions {
  path: string;
  baudRate: number;
  /** Bytes to send, e.g. "Q1\r". */
  request: Buffer;
  /** The reply ends at this byte (e.g. 0x0d). */
  terminator: number;
  /** Give up after this many milliseconds (the device never answered). */
  timeoutMs: number;
  /** Stop reading after this many bytes without a terminator (a flood is garbage, not a reply). */
  maxReplyBytes?: number;
}

export type SerialQueryResult =
  | { ok: true; reply: Buffer; elapsedMs: number }
  | {
      ok: false;
      /** not-found: no such port; busy: another program holds it (in use, not a fault);
       *  timeout: no complete reply in time; overflow: too many bytes without a terminator;
       *  disconnected: the port went away while open (USB-serial adapter or cable pulled);
       *  error: anything else (message says what). */
      reason: 'not-found' | 'busy' | 'timeout' | 'overflow' | 'disconnected' | 'error';
      message: string;
      /** Bytes received before the query ended (no terminator among them). */
      partial?: Buffer;
      /** When the first and the last of those bytes arrived, in ms since the query started:
       *  tells a device still sending at the deadline (slow) from one that stopped (bad reply). */
      firstByteMs?: number;
      lastByteMs?: number;
      elapsedMs: number;
    };

export interface SerialTransport {
  query(options: SerialQueryOptions): Promise<SerialQueryResult>;
  /** Ports the OS lists; [] (with a reason) when listing is impossible, e.g. udevadm missing. */
  list(): Promise<{ ports: { path: string; manufacturer?: string; vendorId?: string; productId?: string }[]; error?: string }>;
}

/** Megatec Q1 reply, parsed. Units: volts, percent, hertz, degrees Celsius. */
export interface UpsQ1Status {
  inputVoltage: number;
  inputFaultVoltage: number;
  outputVoltage: number;
  loadPercent: number;
  frequencyHz: number;
  batteryVoltage: number;
  temperatureC: number;
  utilityFail: boolean;
  batteryLow: boolean;
  bypassOrBoost: boolean;
  upsFailed: boolean;
  standbyType: boolean;
  testInProgress: boolean;
  shutdownActive: boolean;
  beeperOn: boolean;
}

/** Megatec "F" reply (the UPS's rating), parsed. batteryVoltage is the nominal battery voltage. */
export interface UpsRating {
  voltage: number;
  current: number;
  batteryVoltage: number;
  frequencyHz: number;
}
