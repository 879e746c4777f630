// Contract of the printer adapter: the spooler's view of one queue. Implemented over IPP
// (Get-Printer-Attributes to CUPS or the printer itself) and from the Windows spooler (PowerShell/CIM).

export interface PrinterMarker {
  name: string;
  /** e.g. ink-ribbon, toner, ink-cartridge. */
  type: string;
  /** 0..100 percent; -1 unknown, -2 unknown but not empty, -3 some remaining (IPP conventions). */
  level: number;
  lowLevel?: number;
}

export interface PrinterStatus {
  queue: string;
  state: 'idle' | 'processing' | 'stopped' | 'unknown';
  /** printer-state-reasons without their -report/-warning/-error suffix, 'none' removed. */
  reasons: string[];
  /** The suffix each reason carried, for severity. */
  reasonSeverity: Record<string, 'report' | 'warning' | 'error'>;
  markers: PrinterMarker[];
  acceptingJobs?: boolean;
  stateMessage?: string;
  makeAndModel?: string;
  /** Raw attributes for technicians. */
  raw: Record<string, unknown>;
}

export type PrinterStatusResult =
  | { ok: true; status: PrinterStatus; elapsedMs: number }
  | { ok: false; reason: 'unreachable' | 'not-found' | 'timeout' | 'bad-response' | 'error'; message: string; elapsedMs: number };

export interface PrinterStatusSource {
  getStatus(queue: string, options: { timeoutMs: number }): Promise<PrinterStatusResult>;
}
