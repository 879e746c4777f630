// The PrinterStatusSource contract (native/printer/types.ts), written once and run against the real
// IPP adapter on ippeveprinter and against the simulator's printers
// (tests/integration/native/printer-contract.test.ts): the shape of a status, reasons without
// their severity suffix, and the same result kind for each way a queue fails.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { PrinterStatus, PrinterStatusResult, PrinterStatusSource } from '../../../native/printer/types';

export type PrinterPeerState = 'idle' | 'cover-open' | 'media-empty';

export interface PrinterContractSubject {
  source: PrinterStatusSource;
  /** Puts the printer in `state` and returns its queue. */
  printer(state: PrinterPeerState): Promise<string>;
  /** A queue the printer (or spooler) does not have. */
  missingQueue(): Promise<string>;
  /** A queue whose spooler refuses connections. */
  unreachableQueue(): Promise<string>;
  /** A queue whose spooler accepts and never answers. */
  silentQueue(): Promise<string>;
  dispose(): Promise<void>;
}

const TIMING_MARGIN_MS = 400;

/** Every promise PrinterStatus makes, as messages; [] for a well-formed status. */
export function printerStatusProblems(status: PrinterStatus, queue: string): string[] {
  const problems: string[] = [];
  if (status.queue !== queue) {
    problems.push(`queue ${status.queue}, asked ${queue}`);
  }
  if (!['idle', 'processing', 'stopped', 'unknown'].includes(status.state)) {
    problems.push(`state ${status.state}`);
  }
  for (const reason of status.reasons) {
    if (reason === 'none' || /-(report|warning|error)$/.test(reason) || !/^[a-z0-9-]+$/.test(reason)) {
      problems.push(`reason ${JSON.stringify(reason)}`);
    }
    if (!['report', 'warning', 'error'].includes(status.reasonSeverity[reason] ?? '')) {
      problems.push(`severity of ${reason}: ${status.reasonSeverity[reason]}`);
    }
  }
  if (new Set(status.reasons).size !== status.reasons.length) {
    problems.push('a reason listed twice');
  }
  for (const reason of Object.keys(status.reasonSeverity)) {
    if (!status.reasons.includes(reason)) {
      problems.push(`severity for ${reason}, which is not a reason`);
    }
  }
  for (const marker of status.markers) {
    if (marker.name === '' || marker.type === '') {
      problems.push(`marker ${JSON.stringify(marker)} without name or type`);
    }
    if (!Number.isInteger(marker.level) || marker.level < -3 || marker.level > 100) {
      problems.push(`marker ${marker.name} level ${marker.level}`);
    }
    if (
      marker.lowLevel !== undefined &&
      (!Number.isInteger(marker.lowLevel) || marker.lowLevel < 0 || marker.lowLevel > 100)
    ) {
      problems.push(`marker ${marker.name} lowLevel ${marker.lowLevel}`);
    }
  }
  if (typeof status.raw !== 'object' || status.raw === null) {
    problems.push('raw is not an object');
  }
  return problems;
}

function statusOf(result: PrinterStatusResult, queue: string): PrinterStatus {
  assert.ok(result.ok, `expected a status, got ${JSON.stringify(result)}`);
  assert.ok(Number.isFinite(result.elapsedMs) && result.elapsedMs >= 0);
  assert.deepEqual(printerStatusProblems(result.status, queue), []);
  return result.status;
}

function failure(result: PrinterStatusResult, reason: string): Extract<PrinterStatusResult, { ok: false }> {
  assert.ok(!result.ok, `expected ${reason}, got a status`);
  assert.equal(result.reason, reason, result.message);
  assert.ok(result.message.length > 0);
  assert.ok(Number.isFinite(result.elapsedMs) && result.elapsedMs >= 0);
  return result;
}

export function printerContract(name: string, factory: () => Promise<PrinterContractSubject>): void {
  describe(`PrinterStatusSource contract: ${name}`, () => {
    let subject: PrinterContractSubject;
    before(async () => {
      subject = await factory();
    });
    after(async () => {
      await subject?.dispose();
    });

    test('an idle printer: idle, accepting jobs, no reasons, markers in range', async () => {
      const queue = await subject.printer('idle');
      const status = statusOf(await subject.source.getStatus(queue, { timeoutMs: 5000 }), queue);
      assert.equal(status.state, 'idle');
      assert.deepEqual(status.reasons, []);
      assert.equal(status.acceptingJobs, true);
      assert.ok(status.markers.length > 0, 'supplies are reported');
    });

    test('cover open: the reason, with its severity', async () => {
      const queue = await subject.printer('cover-open');
      const status = statusOf(await subject.source.getStatus(queue, { timeoutMs: 5000 }), queue);
      assert.ok(status.reasons.includes('cover-open'), status.reasons.join(', '));
    });

    test('out of media: media-empty', async () => {
      const queue = await subject.printer('media-empty');
      const status = statusOf(await subject.source.getStatus(queue, { timeoutMs: 5000 }), queue);
      assert.ok(status.reasons.includes('media-empty'), status.reasons.join(', '));
    });

    test('a queue that does not exist: not-found', async () => {
      failure(await subject.source.getStatus(await subject.missingQueue(), { timeoutMs: 5000 }), 'not-found');
    });

    test('a spooler that refuses: unreachable, promptly', async () => {
      const result = failure(
        await subject.source.getStatus(await subject.unreachableQueue(), { timeoutMs: 5000 }),
        'unreachable',
      );
      assert.ok(result.elapsedMs < 1000, `took ${result.elapsedMs} ms`);
    });

    test('a spooler that never answers: timeout at the timeout', async () => {
      const queue = await subject.silentQueue();
      const timeoutMs = 400;
      const started = performance.now();
      const result = failure(await subject.source.getStatus(queue, { timeoutMs }), 'timeout');
      const wallMs = performance.now() - started;
      assert.ok(wallMs >= timeoutMs - 5 && wallMs <= timeoutMs + TIMING_MARGIN_MS, `took ${wallMs} ms`);
      assert.ok(result.elapsedMs >= timeoutMs - 10, `reported ${result.elapsedMs} ms`);
    });
  });
}
