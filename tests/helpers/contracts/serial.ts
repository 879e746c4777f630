// The SerialTransport contract (native/serial/types.ts), written once and run against the real
// serialport adapter on socat ptys with a simulated Megatec UPS, and against the simulator's UPS
// (tests/integration/native/serial-contract.test.ts). What the UPS check reads from a result is
// what must agree: the result kind for each way a device fails, and a reply the parser accepts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MEGATEC_TERMINATOR, megatecQ1Query, parseQ1 } from '../../../native/serial/megatec';
import type { SerialQueryOptions, SerialQueryResult, SerialTransport } from '../../../native/serial/types';

/** The UPS states the suite asks a peer for. busy: another program holds the port. */
export type UpsPeerState = 'healthy' | 'on-battery' | 'silent' | 'garbage' | 'busy';

export interface SerialContractSubject {
  transport: SerialTransport;
  /** Puts the UPS in `state` (ending any earlier one) and returns the path to query. */
  ups(state: UpsPeerState): Promise<string>;
  /** A path where no port exists. */
  missingPath: string;
  dispose(): Promise<void>;
}

/** Scheduling slack on a shared 2-core machine; the contract is "at the timeout, not later". */
const TIMING_MARGIN_MS = 250;

const q1 = (path: string, timeoutMs = 1000): SerialQueryOptions => megatecQ1Query(path, timeoutMs);

function failure(result: SerialQueryResult, reason: string): Extract<SerialQueryResult, { ok: false }> {
  assert.ok(!result.ok, `expected ${reason}, got a reply`);
  assert.equal(result.reason, reason, result.message);
  assert.ok(result.message.length > 0, 'a message says what happened');
  assert.ok(Number.isFinite(result.elapsedMs) && result.elapsedMs >= 0, `elapsedMs ${result.elapsedMs}`);
  return result;
}

function reply(result: SerialQueryResult): Buffer {
  assert.ok(result.ok, `expected a reply, got ${JSON.stringify(result)}`);
  assert.ok(Buffer.isBuffer(result.reply));
  assert.equal(result.reply.at(-1), MEGATEC_TERMINATOR, 'the reply ends at the terminator');
  assert.equal(result.reply.indexOf(MEGATEC_TERMINATOR), result.reply.length - 1, 'and holds one line');
  assert.ok(Number.isFinite(result.elapsedMs) && result.elapsedMs >= 0, `elapsedMs ${result.elapsedMs}`);
  return result.reply;
}

export function serialContract(name: string, factory: () => Promise<SerialContractSubject>): void {
  describe(`SerialTransport contract: ${name}`, () => {
    let subject: SerialContractSubject;
    before(async () => {
      subject = await factory();
    });
    after(async () => {
      await subject?.dispose();
    });

    test('healthy UPS: one Q1 line that parses, mains present', async () => {
      const parsed = parseQ1(reply(await subject.transport.query(q1(await subject.ups('healthy')))));
      assert.ok(parsed.ok, !parsed.ok ? parsed.error : '');
      assert.equal(parsed.status.utilityFail, false);
      assert.equal(parsed.status.upsFailed, false);
    });

    test('UPS on battery: the status bit reaches the parser', async () => {
      const parsed = parseQ1(reply(await subject.transport.query(q1(await subject.ups('on-battery')))));
      assert.ok(parsed.ok && parsed.status.utilityFail);
    });

    test('garbage: delivered as a reply, which the parser rejects', async () => {
      const parsed = parseQ1(reply(await subject.transport.query(q1(await subject.ups('garbage')))));
      assert.equal(parsed.ok, false);
    });

    test('silent UPS: timeout at the timeout, not earlier, not much later', async () => {
      const path = await subject.ups('silent');
      const timeoutMs = 400;
      const started = performance.now();
      const result = failure(await subject.transport.query(q1(path, timeoutMs)), 'timeout');
      const wallMs = performance.now() - started;
      assert.ok(wallMs >= timeoutMs - 5 && wallMs <= timeoutMs + TIMING_MARGIN_MS, `took ${wallMs} ms`);
      assert.ok(result.elapsedMs >= timeoutMs - 5, `reported ${result.elapsedMs} ms`);
      assert.equal(result.partial, undefined, 'nothing was received');
    });

    test('port held by another program: busy, promptly', async () => {
      const path = await subject.ups('busy');
      const started = performance.now();
      failure(await subject.transport.query(q1(path, 2000)), 'busy');
      assert.ok(performance.now() - started < 1000, 'no waiting for a reply that cannot come');
    });

    test('no such port: not-found, promptly', async () => {
      const started = performance.now();
      failure(await subject.transport.query(q1(subject.missingPath, 2000)), 'not-found');
      assert.ok(performance.now() - started < 1000);
    });

    test('list: ports with a path each, or an empty list with the reason', async () => {
      const listed = await subject.transport.list();
      assert.ok(Array.isArray(listed.ports));
      for (const port of listed.ports) {
        assert.equal(typeof port.path, 'string');
        assert.ok(port.path.length > 0);
        for (const field of ['manufacturer', 'vendorId', 'productId'] as const) {
          assert.ok(port[field] === undefined || typeof port[field] === 'string', `${field} is text`);
        }
      }
      if (listed.error !== undefined) {
        assert.deepEqual(listed.ports, []);
        assert.ok(listed.error.length > 0);
      }
    });
  });
}
