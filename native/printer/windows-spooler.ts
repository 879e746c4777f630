// PrinterStatusSource for the Windows spooler: Win32_Printer through PowerShell/CIM, run by an
// injected CommandRunner, and a pure parser of its JSON so the mapping is tested from recorded
// outputs on any OS. Win32_Printer codes: learn.microsoft.com "Win32_Printer class"; the optional
// QueueStatus flags are System.Printing.PrintQueueStatus (the PRINTER_STATUS_* bits of MS-RPRN 2.2.3.12).
import type { CommandRunner } from '../system/types';
import type { PrinterStatus, PrinterStatusResult, PrinterStatusSource } from './types';

type Severity = 'report' | 'warning' | 'error';
type Reason = readonly [reason: string, severity: Severity];

/** Win32_Printer.PrinterStatus. */
const printerStatusStates: Record<number, PrinterStatus['state']> = {
  1: 'unknown', // Other
  2: 'unknown', // Unknown
  3: 'idle',
  4: 'processing', // Printing
  5: 'processing', // Warmup
  6: 'stopped', // Stopped Printing
  7: 'stopped', // Offline
};

/** Win32_Printer.ExtendedPrinterStatus, more detailed than PrinterStatus where present. */
const extendedStatusStates: Record<number, PrinterStatus['state']> = {
  3: 'idle',
  4: 'processing', // Printing
  5: 'processing', // Warming Up
  6: 'stopped', // Stopped Printing
  7: 'stopped', // Offline
  8: 'stopped', // Paused
  9: 'stopped', // Error
  10: 'processing', // Busy
  11: 'stopped', // Not Available
  12: 'idle', // Waiting
  13: 'processing', // Processing
  14: 'processing', // Initialization
  15: 'idle', // Power Save
  16: 'processing', // Pending Deletion
  17: 'processing', // I/O Active
  18: 'stopped', // Manual Feed
};

const extendedStatusReasons: Record<number, Reason> = {
  7: ['offline', 'error'],
  8: ['paused', 'warning'],
  11: ['not-available', 'error'],
  18: ['media-needed', 'warning'],
};

/** Win32_Printer.DetectedErrorState. 0 unknown, 1 other, 2 no error. */
const detectedErrorReasons: Record<number, Reason> = {
  3: ['media-low', 'warning'],
  4: ['media-empty', 'error'],
  5: ['toner-low', 'warning'],
  6: ['toner-empty', 'error'],
  7: ['cover-open', 'error'],
  8: ['media-jam', 'error'],
  9: ['offline', 'error'],
  10: ['service-requested', 'error'],
  11: ['output-area-full', 'error'],
};

/** Win32_Printer.ExtendedDetectedErrorState. 0 unknown, 1 other, 2 no error. */
const extendedErrorReasons: Record<number, Reason> = {
  3: ['media-jam', 'error'],
  4: ['media-empty', 'error'],
  5: ['media-needed', 'warning'], // Manual Feed
  6: ['media-problem', 'error'], // Paper Problem
  7: ['offline', 'error'],
  11: ['output-area-full', 'error'],
  12: ['not-available', 'error'],
  17: ['toner-low', 'warning'],
  18: ['toner-empty', 'error'],
  19: ['page-punt', 'error'],
  20: ['service-requested', 'error'], // User Intervention Required
  21: ['out-of-memory', 'error'],
  22: ['cover-open', 'error'],
  23: ['server-unknown', 'error'],
};

/** PrintQueueStatus / PRINTER_STATUS_* bit flags. */
const queueStatusFlags: readonly (readonly [bit: number, reason: string, severity: Severity])[] = [
  [0x1, 'paused', 'warning'],
  [0x2, 'other', 'error'],
  [0x8, 'media-jam', 'error'],
  [0x10, 'media-empty', 'error'],
  [0x20, 'media-needed', 'warning'],
  [0x40, 'media-problem', 'error'],
  [0x80, 'offline', 'error'],
  [0x800, 'output-area-full', 'error'],
  [0x1000, 'not-available', 'error'],
  [0x20000, 'toner-low', 'warning'],
  [0x40000, 'toner-empty', 'error'],
  [0x80000, 'page-punt', 'error'],
  [0x100000, 'service-requested', 'error'],
  [0x200000, 'out-of-memory', 'error'],
  [0x400000, 'cover-open', 'error'],
  [0x800000, 'server-unknown', 'error'],
];

const stoppingFlags = 0x1 | 0x2 | 0x8 | 0x10 | 0x40 | 0x80 | 0x1000 | 0x40000 | 0x400000;

export type WindowsParseResult =
  { ok: true; status: PrinterStatus } | { ok: false; reason: 'not-found' | 'bad-response'; message: string };

const MAX_OUTPUT_CHARACTERS = 1024 * 1024;
const NUL = String.fromCharCode(0);

/**
 * PowerShell 5.1 redirected to a file or pipe may write UTF-16LE with a BOM; read as UTF-8 that
 * arrives as U+FFFD U+FFFD (or U+FEFF) followed by text with a NUL after every ASCII character.
 */
export function normalizePowerShellText(text: string): string {
  let result = text.replace(/^(\uFEFF|\uFFFD\uFFFD|\u00FF\u00FE)/, '');
  const nulCount = result.split(NUL).length - 1;
  if (nulCount > 0 && nulCount >= result.length / 3) {
    result = result.split(NUL).join('');
  }
  return result.replace(/^\uFEFF/, '').trim();
}

function integerField(record: Record<string, unknown>, name: string): number | undefined {
  const value = record[name];
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Maps one Win32_Printer object (as ConvertTo-Json prints it) onto PrinterStatus. */
export function statusFromWin32Printer(queue: string, record: Record<string, unknown>): PrinterStatus {
  const reasons: string[] = [];
  const reasonSeverity: PrinterStatus['reasonSeverity'] = {};
  const add = ([reason, severity]: Reason) => {
    if (!reasons.includes(reason)) {
      reasons.push(reason);
      Object.defineProperty(reasonSeverity, reason, {
        value: severity,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  };
  const printerStatus = integerField(record, 'PrinterStatus');
  const extendedStatus = integerField(record, 'ExtendedPrinterStatus');
  const detectedError = integerField(record, 'DetectedErrorState');
  const extendedError = integerField(record, 'ExtendedDetectedErrorState');
  const queueStatus = integerField(record, 'QueueStatus');

  let state: PrinterStatus['state'] =
    (extendedStatus !== undefined ? extendedStatusStates[extendedStatus] : undefined) ??
    (printerStatus !== undefined ? printerStatusStates[printerStatus] : undefined) ??
    'unknown';

  for (const reason of [
    detectedError !== undefined ? detectedErrorReasons[detectedError] : undefined,
    extendedError !== undefined ? extendedErrorReasons[extendedError] : undefined,
    extendedStatus !== undefined ? extendedStatusReasons[extendedStatus] : undefined,
    printerStatus === 7 ? (['offline', 'error'] as const) : undefined,
  ]) {
    if (reason) {
      add(reason);
    }
  }
  if (queueStatus !== undefined && queueStatus >= 0) {
    for (const [bit, reason, severity] of queueStatusFlags) {
      if ((queueStatus & bit) !== 0) {
        add([reason, severity]);
      }
    }
    if ((queueStatus & stoppingFlags) !== 0) {
      state = 'stopped';
    }
  }
  // "Use Printer Offline" in the queue's menu: the spooler holds every job.
  if (record.WorkOffline === true) {
    add(['offline', 'error']);
    state = 'stopped';
  }
  if (reasons.some((reason) => reasonSeverity[reason] === 'error') && state === 'idle') {
    state = 'stopped';
  }
  const status: PrinterStatus = {
    queue,
    state,
    reasons,
    reasonSeverity,
    // Win32_Printer has no supply levels; low/empty toner shows as a reason only.
    markers: [],
    raw: { ...record },
  };
  if (typeof record.DriverName === 'string') {
    status.makeAndModel = record.DriverName;
  }
  return status;
}

/**
 * Pure parser of the JSON the PowerShell command prints: one object, an array (several printers
 * matched; the one named `queue` wins, else the first), or nothing (no such printer).
 */
export function parseWindowsPrinterJson(text: string, queue: string): WindowsParseResult {
  if (typeof text !== 'string') {
    return { ok: false, reason: 'bad-response', message: 'output is not text' };
  }
  if (text.length > MAX_OUTPUT_CHARACTERS) {
    return { ok: false, reason: 'bad-response', message: `output of ${text.length} characters is too large` };
  }
  const normalized = normalizePowerShellText(text);
  if (normalized === '' || normalized === 'null') {
    return { ok: false, reason: 'not-found', message: `no printer named ${JSON.stringify(queue)}` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(normalized);
  } catch {
    return { ok: false, reason: 'bad-response', message: `not JSON: ${normalized.slice(0, 200)}` };
  }
  const candidates = (Array.isArray(parsed) ? parsed : [parsed]).filter(isRecord);
  if (Array.isArray(parsed) && parsed.length === 0) {
    return { ok: false, reason: 'not-found', message: `no printer named ${JSON.stringify(queue)}` };
  }
  if (candidates.length === 0) {
    return { ok: false, reason: 'bad-response', message: 'JSON holds no printer object' };
  }
  const wanted = queue.toLowerCase();
  const record =
    candidates.find(
      (candidate) => typeof candidate.Name === 'string' && candidate.Name.toLowerCase() === wanted,
    ) ?? candidates[0];
  if (
    record === undefined ||
    (record.PrinterStatus === undefined &&
      record.ExtendedPrinterStatus === undefined &&
      record.QueueStatus === undefined)
  ) {
    return { ok: false, reason: 'bad-response', message: 'printer object has no status fields' };
  }
  return { ok: true, status: statusFromWin32Printer(queue, record) };
}

/** WQL string literal: backslash and quote are escaped with a backslash (\\server\queue is common). */
function wqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** PowerShell single-quoted string. */
function powerShellString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function buildSpoolerScript(queue: string): string {
  const filter = `Name=${wqlString(queue)}`;
  return [
    '$ErrorActionPreference = "Stop"',
    '[Console]::OutputEncoding = [System.Text.Encoding]::UTF8',
    `$name = ${powerShellString(queue)}`,
    `$printers = @(Get-CimInstance -ClassName Win32_Printer -Filter ${powerShellString(filter)})`,
    'if ($printers.Count -eq 0) { exit 0 }',
    // PrintQueueStatus flags are optional: System.Printing may be missing or refuse a network queue.
    '$queueStatus = $null',
    'try { Add-Type -AssemblyName System.Printing; $queueStatus = [int](New-Object System.Printing.LocalPrintServer).GetPrintQueue($name).QueueStatus } catch { }',
    '$printers | Select-Object Name,DriverName,PortName,PrinterStatus,DetectedErrorState,ExtendedPrinterStatus,ExtendedDetectedErrorState,WorkOffline,PrinterState,@{Name="QueueStatus";Expression={$queueStatus}} | ConvertTo-Json -Depth 2 -Compress',
  ].join('\n');
}

export function createWindowsSpoolerSource(
  runner: CommandRunner,
  options: { powershell?: string } = {},
): PrinterStatusSource {
  const powershell = options.powershell ?? 'powershell.exe';
  return {
    async getStatus(queue, { timeoutMs }): Promise<PrinterStatusResult> {
      const started = performance.now();
      const elapsed = () => Math.round(performance.now() - started);
      // -EncodedCommand (UTF-16LE base64) sidesteps every quoting rule of the Windows command line.
      const encoded = Buffer.from(buildSpoolerScript(queue), 'utf16le').toString('base64');
      const result = await runner.run(
        powershell,
        ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', encoded],
        {
          timeoutMs,
          maxOutputBytes: MAX_OUTPUT_CHARACTERS,
        },
      );
      if (result.timedOut) {
        return {
          ok: false,
          reason: 'timeout',
          message: `PowerShell gave no answer within ${timeoutMs} ms`,
          elapsedMs: elapsed(),
        };
      }
      if (result.error !== undefined) {
        return {
          ok: false,
          reason: 'error',
          message: `cannot run ${powershell}: ${result.error}`,
          elapsedMs: elapsed(),
        };
      }
      if (result.exitCode !== 0) {
        const detail = normalizePowerShellText(result.stderr || result.stdout).slice(0, 500);
        return {
          ok: false,
          reason: 'error',
          message: `PowerShell exited with ${result.exitCode}: ${detail}`,
          elapsedMs: elapsed(),
        };
      }
      const parsed = parseWindowsPrinterJson(result.stdout, queue);
      if (!parsed.ok) {
        return { ...parsed, elapsedMs: elapsed() };
      }
      return { ok: true, status: parsed.status, elapsedMs: elapsed() };
    },
  };
}
