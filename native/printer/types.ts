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
  | {
      ok: false;
      /** unreachable: nothing answers at the address (refused, no route); dropped: the connection
       *  was closed in the middle of the request or its response; timeout: no full answer in time;
       *  failed: the peer answered that it failed (HTTP 5xx but 503 busy, an IPP server-error
       *  status but busy); bad-response: an answer that does not decode. */
      reason: 'unreachable' | 'dropped' | 'not-found' | 'timeout' | 'failed' | 'bad-response' | 'error';
      message: string;
      elapsedMs: number;
    };

/**
 * Who answers for the queue: a spooler (CUPS or the Windows spooler, which keeps the queue and
 * talks to the printer itself) or the printer reached directly over IPP. The advice differs:
 * a spooler that does not answer is the PC's print service; a printer that does not answer is
 * the printer, its power or its network cable.
 */
export type PrinterPath = 'spooler' | 'printer';

export interface PrinterStatusSource {
  getStatus(queue: string, options: { timeoutMs: number }): Promise<PrinterStatusResult>;
}
