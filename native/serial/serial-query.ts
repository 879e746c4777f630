// One request, one reply line, a hard deadline: the SerialTransport contract (types.ts) over the
// real `serialport` library. Every query opens the port with an exclusive lock, and closes it
// again whatever happens, so a UPS or card printer port is never held between checks.
import type * as Serialport from 'serialport';
import type { SerialPort } from 'serialport';
import type { SerialQueryOptions, SerialQueryResult, SerialTransport } from './types';

/** Used when the caller gives no maxReplyBytes: far above any status line we parse. */
export const DEFAULT_MAX_REPLY_BYTES = 4096;
/** Closing a port can block on a wedged driver; the caller's deadline does not wait for it. */
const CLOSE_WAIT_MS = 250;

type Failure = Extract<SerialQueryResult, { ok: false }>;

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Sorts an open() failure into the contract's reasons. Linux (bindings-cpp) says "Cannot lock
 * port" / "Resource temporarily unavailable" when another program holds the flock, "No such
 * file or directory" for a missing node; Windows says "Access denied" for a COM port another
 * program has open and "File not found" for a missing one.
 */
export function classifyOpenError(message: string): Failure['reason'] {
  if (
    /cannot lock port|resource temporarily unavailable|device or resource busy|EBUSY|access (is )?denied/i.test(
      message,
    )
  ) {
    return 'busy';
  }
  if (/no such file or directory|ENOENT|file not found|cannot find the file/i.test(message)) {
    return 'not-found';
  }
  return 'error';
}

/**
 * An error on an open port that means the port itself went away: the kernel answers EIO/ENXIO
 * on a tty whose device was removed, and serialport marks such read errors `disconnect`.
 */
export function isDisconnectError(error: unknown): boolean {
  if (
    typeof error === 'object' &&
    error !== null &&
    (error as { disconnect?: unknown }).disconnect === true
  ) {
    return true;
  }
  return /\b(EIO|ENXIO|ENODEV)\b|input\/output error|no such device|disconnected/i.test(errorMessage(error));
}

function closePort(port: SerialPort): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, CLOSE_WAIT_MS);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    if (!port.isOpen) {
      done();
      return;
    }
    port.close(() => done());
  });
}

/** The library loads on first use (about 7 MB of memory): a station without serial devices never pays it. */
let serialport: Promise<typeof Serialport> | undefined;
const loadSerialport = () => (serialport ??= import('serialport'));

export async function querySerial(options: SerialQueryOptions): Promise<SerialQueryResult> {
  const startedAt = performance.now();
  const { SerialPort } = await loadSerialport();
  const maxReplyBytes = options.maxReplyBytes ?? DEFAULT_MAX_REPLY_BYTES;
  const elapsed = () => Math.round((performance.now() - startedAt) * 10) / 10;

  return new Promise((resolve) => {
    let port: SerialPort;
    try {
      port = new SerialPort({ path: options.path, baudRate: options.baudRate, lock: true, autoOpen: false });
    } catch (error) {
      resolve({ ok: false, reason: 'error', message: errorMessage(error), elapsedMs: elapsed() });
      return;
    }

    const chunks: Buffer[] = [];
    let received = 0;
    let firstByteMs: number | undefined;
    let lastByteMs: number | undefined;
    let finished = false;
    let opened = false;

    const partial = () => (received > 0 ? Buffer.concat(chunks).subarray(0, maxReplyBytes) : undefined);
    const byteTimes = () =>
      firstByteMs === undefined ? {} : { firstByteMs, lastByteMs: lastByteMs ?? firstByteMs };

    const finish = (result: SerialQueryResult) => {
      if (finished) {
        return;
      }
      finished = true;
      clearTimeout(deadline);
      port.removeListener('data', onData);
      port.removeListener('close', onUnexpectedClose);
      // An 'error' after we are done (e.g. a write failing on close) must not become uncaught.
      port.removeListener('error', onError);
      port.on('error', () => {});
      if (opened) {
        port.pause();
        void closePort(port).then(() => resolve(result));
      } else {
        // Still opening: the open callback closes the port when it arrives.
        resolve(result);
      }
    };

    const onData = (chunk: Buffer) => {
      if (finished) {
        return;
      }
      lastByteMs = elapsed();
      firstByteMs ??= lastByteMs;
      const end = chunk.indexOf(options.terminator);
      if (end >= 0 && received + end + 1 <= maxReplyBytes) {
        chunks.push(chunk.subarray(0, end + 1));
        finish({ ok: true, reply: Buffer.concat(chunks), elapsedMs: elapsed() });
        return;
      }
      chunks.push(chunk);
      received += chunk.length;
      if (received >= maxReplyBytes) {
        finish({
          ok: false,
          reason: 'overflow',
          message: `${received} bytes without a terminator (limit ${maxReplyBytes}); stopped reading`,
          partial: partial(),
          ...byteTimes(),
          elapsedMs: elapsed(),
        });
      }
    };

    const onError = (error: unknown) => {
      finish({
        ok: false,
        reason: opened && isDisconnectError(error) ? 'disconnected' : 'error',
        message: errorMessage(error),
        partial: partial(),
        ...byteTimes(),
        elapsedMs: elapsed(),
      });
    };

    // serialport closes the port itself when the device behind it disappears (a read fails).
    const onUnexpectedClose = () => {
      opened = false;
      finish({
        ok: false,
        reason: 'disconnected',
        message: 'port closed by the system during the query (device unplugged?)',
        partial: partial(),
        ...byteTimes(),
        elapsedMs: elapsed(),
      });
    };

    const deadline = setTimeout(() => {
      finish({
        ok: false,
        reason: 'timeout',
        message:
          received > 0
            ? `no terminator within ${options.timeoutMs} ms (${received} bytes received)`
            : `no reply within ${options.timeoutMs} ms`,
        partial: partial(),
        ...byteTimes(),
        elapsedMs: elapsed(),
      });
    }, options.timeoutMs);

    port.on('error', onError);
    port.open((openError) => {
      if (openError) {
        const message = errorMessage(openError);
        finish({ ok: false, reason: classifyOpenError(message), message, elapsedMs: elapsed() });
        return;
      }
      if (finished) {
        void closePort(port);
        return;
      }
      opened = true;
      port.on('close', onUnexpectedClose);
      // Bytes the device sent before we asked (an earlier, abandoned reply) are not our reply.
      port.flush((flushError) => {
        if (finished) {
          return;
        }
        if (flushError) {
          onError(flushError);
          return;
        }
        port.on('data', onData);
        port.write(options.request, (writeError) => {
          if (writeError) {
            onError(writeError);
          }
        });
      });
    });
  });
}

export async function listSerialPorts(): ReturnType<SerialTransport['list']> {
  try {
    const { SerialPort } = await loadSerialport();
    const ports = await SerialPort.list();
    return {
      ports: ports.map((port) => ({
        path: port.path,
        ...(port.manufacturer ? { manufacturer: port.manufacturer } : {}),
        ...(port.vendorId ? { vendorId: port.vendorId } : {}),
        ...(port.productId ? { productId: port.productId } : {}),
      })),
    };
  } catch (error) {
    // On Linux the library runs `udevadm info -e`; without udevadm (minimal images) it rejects.
    return { ports: [], error: `cannot list serial ports: ${errorMessage(error)}` };
  }
}

export function createSerialTransport(): SerialTransport {
  return { query: querySerial, list: listSerialPorts };
}
