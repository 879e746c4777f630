// Device simulators for the device side of a pty pair (tests/helpers/pty.ts). They answer with
// the pure reply generators of native/serial/, which the product's --simulate mode reuses.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SerialPort } from 'serialport';
import { answerEvolisCommand, type EvolisSimulatedPrinter } from '../../native/serial/evolis';
import {
  formatQ1,
  formatRating,
  UPS_SIMULATION_RATING,
  UPS_SIMULATION_STATUSES,
  type UpsSimulationState,
} from '../../native/serial/megatec';
import type { UpsRating } from '../../native/serial/types';

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

export type UpsSimulatorMode = UpsSimulationState | 'silent' | 'garbage' | 'partial' | 'flood' | 'no-cr';

/** How the simulated UPS sends its reply: after a pause, and/or one byte at a time. */
export interface UpsReplyTiming {
  /** Pause before the first byte. */
  delayMs?: number;
  /** Pause between bytes (a trickling reply); 0 sends the reply in one write. */
  byteIntervalMs?: number;
}

export const FLOOD_BYTES = 1024 * 1024;
/** A well-formed-looking reply that is not a Q1 line. */
export const GARBAGE_REPLY = '(NAK \x07\xff\x00garbage 12.3.4\r';
/** The start of a Q1 line, with no CR ever following. */
export const PARTIAL_REPLY = '(228.5 228.5 229.0 018 5';

/** What the simulated UPS sends back for one `Q1\r`, or undefined for silence. Pure. */
export function upsReply(mode: UpsSimulatorMode): Buffer | undefined {
  switch (mode) {
    case 'silent':
      return undefined;
    case 'garbage':
      return Buffer.from(GARBAGE_REPLY, 'latin1');
    case 'partial':
      return Buffer.from(PARTIAL_REPLY, 'ascii');
    case 'flood':
      return Buffer.alloc(FLOOD_BYTES, 'A');
    case 'no-cr':
      // A whole, valid-looking Q1 line that never ends.
      return Buffer.from(formatQ1(UPS_SIMULATION_STATUSES.healthy).slice(0, -1), 'ascii');
    default:
      return Buffer.from(formatQ1(UPS_SIMULATION_STATUSES[mode]), 'ascii');
  }
}

export interface RunningSimulator {
  /** Every request frame the device received, in order. */
  readonly requests: string[];
  stop(): Promise<void>;
}

function openDevicePort(path: string, baudRate: number): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    // No lock: the device side belongs to the simulator alone; the app side is what gets locked.
    const port = new SerialPort({ path, baudRate, lock: false, autoOpen: false });
    port.open((error) => (error ? reject(error) : resolve(port)));
  });
}

/** Calls onFrame for every CR-terminated frame the device side receives. */
async function startLineDevice(
  path: string,
  baudRate: number,
  onFrame: (frame: string, port: SerialPort) => void,
): Promise<RunningSimulator> {
  const port = await openDevicePort(path, baudRate);
  const requests: string[] = [];
  let pending = '';
  // Writes still queued when a test closes the app side fail on stop(); that is expected.
  port.on('error', () => {});
  port.on('data', (chunk: Buffer) => {
    pending += chunk.toString('latin1');
    let end = pending.indexOf('\r');
    while (end >= 0) {
      const frame = pending.slice(0, end + 1);
      pending = pending.slice(end + 1);
      requests.push(frame);
      onFrame(frame, port);
      end = pending.indexOf('\r');
    }
  });
  return {
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        if (!port.isOpen) {
          resolve();
          return;
        }
        port.close(() => resolve());
      }),
  };
}

/**
 * A Megatec UPS answering every `Q1\r` according to mode and timing (both can change mid-test),
 * and `F\r` with its rating (null: a unit that does not know F and stays silent).
 */
export async function startUpsSimulator(
  devicePath: string,
  initialMode: UpsSimulatorMode,
  options: { timing?: UpsReplyTiming; rating?: UpsRating | null } = {},
): Promise<
  RunningSimulator & { setMode(mode: UpsSimulatorMode): void; setTiming(timing: UpsReplyTiming): void }
> {
  let mode = initialMode;
  let timing = options.timing ?? {};
  const rating = options.rating === undefined ? UPS_SIMULATION_RATING : options.rating;
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, action: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      action();
    }, ms);
    timers.add(timer);
  };
  const send = (port: SerialPort, reply: Buffer) => {
    const { delayMs = 0, byteIntervalMs = 0 } = timing;
    if (byteIntervalMs <= 0) {
      later(delayMs, () => port.isOpen && port.write(reply));
      return;
    }
    reply.forEach((byte, index) =>
      later(delayMs + index * byteIntervalMs, () => port.isOpen && port.write(Buffer.of(byte))),
    );
  };
  const simulator = await startLineDevice(devicePath, 2400, (frame, port) => {
    if (frame === 'F\r' && rating !== null) {
      port.write(formatRating(rating));
      return;
    }
    if (frame !== 'Q1\r') {
      return;
    }
    const reply = upsReply(mode);
    if (reply !== undefined) {
      send(port, reply);
    }
  });
  return {
    requests: simulator.requests,
    setMode: (next) => {
      mode = next;
    },
    setTiming: (next) => {
      timing = next;
    },
    stop: async () => {
      timers.forEach((timer) => clearTimeout(timer));
      timers.clear();
      await simulator.stop();
    },
  };
}

/** An Evolis printer answering ESC command CR frames from the pure generator. */
export async function startEvolisSimulator(
  devicePath: string,
  printer: EvolisSimulatedPrinter,
): Promise<RunningSimulator> {
  return startLineDevice(devicePath, 9600, (frame, port) => {
    // Frames are ESC command CR; the ESC is optional after a CR (programming guide).
    const escaped = frame.startsWith('\x1b') ? frame.slice(1) : frame;
    const command = escaped.replace(/\r$/, '');
    port.write(answerEvolisCommand(printer, command));
  });
}

/**
 * Another program holding `path` with serialport's exclusive lock (as a vendor's UPS software
 * does), in a separate process: the lock is per open file, so this process could not stand in.
 */
export async function holdSerialPort(path: string): Promise<{ release(): Promise<void> }> {
  const holderScript = `
    import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SerialPort } from 'serialport';
    const port = new SerialPort({ path: ${JSON.stringify(path)}, baudRate: 2400, lock: true });
    port.on('open', () => process.stdout.write('held\\n'));
    port.on('error', (error) => { process.stderr.write(String(error)); process.exit(2); });
    setInterval(() => {}, 1000);
  `;
  const holder = spawn(process.execPath, ['--input-type=module', '-e', holderScript], {
    cwd: repositoryRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const holderExit = new Promise((resolve) => holder.once('exit', resolve));
  const release = async () => {
    if (holder.pid !== undefined && holder.exitCode === null) {
      process.kill(holder.pid, 'SIGTERM');
    }
    await holderExit;
  };
  try {
    await new Promise<void>((resolve, reject) => {
      let errorText = '';
      holder.stderr.on('data', (chunk: Buffer) => (errorText += chunk.toString()));
      holder.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('held') && resolve());
      holder.once('exit', (code) => reject(new Error(`port holder exited (${code}): ${errorText}`)));
    });
  } catch (error) {
    await release();
    throw error;
  }
  return { release };
}
