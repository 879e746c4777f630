// The system adapter contracts (native/system/types.ts: SystemProbe, NetworkProbe, CommandRunner),
// written once and run against the real adapters on this machine's processes, sockets and disk, and
// against the simulator (tests/integration/native/system-contract.test.ts): the snapshot's shape
// and units, and the same result kind for each way an endpoint fails.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type {
  CommandRunner,
  NetworkProbe,
  ReachabilityResult,
  SystemProbe,
} from '../../../native/system/types';

/** reachable: answers HTTP; refused: nothing listens; silent: accepts and never answers; unknown-host: no DNS name. */
export type EndpointState = 'reachable' | 'refused' | 'silent' | 'unknown-host';

export interface SystemContractSubject {
  system: SystemProbe;
  network: NetworkProbe;
  commands: CommandRunner;
  /** Where the station keeps its data (the disk the snapshot measures). */
  dataPath: string;
  /** An endpoint in `state` (the peer may change to make it so); returns its URL. */
  endpoint(state: EndpointState): Promise<string>;
  /** A command that exists and succeeds. */
  command: { program: string; args: string[] };
  dispose(): Promise<void>;
}

const TIMING_MARGIN_MS = 400;

function failure(result: ReachabilityResult, reason: string): Extract<ReachabilityResult, { ok: false }> {
  assert.ok(!result.ok, `expected ${reason}, got ${JSON.stringify(result)}`);
  assert.equal(result.reason, reason, result.message);
  assert.ok(result.message.length > 0);
  assert.ok(Number.isFinite(result.latencyMs) && result.latencyMs >= 0);
  return result;
}

export function systemContract(name: string, factory: () => Promise<SystemContractSubject>): void {
  describe(`system adapters contract: ${name}`, () => {
    let subject: SystemContractSubject;
    before(async () => {
      subject = await factory();
    });
    after(async () => {
      await subject?.dispose();
    });

    test('snapshot: bytes and seconds as non-negative numbers, free within total, the clock of now', async () => {
      const snapshot = await subject.system.snapshot(subject.dataPath);
      for (const field of [
        'diskFreeBytes',
        'diskTotalBytes',
        'memoryFreeBytes',
        'memoryTotalBytes',
        'uptimeSeconds',
      ] as const) {
        assert.ok(Number.isFinite(snapshot[field]) && snapshot[field] >= 0, `${field} ${snapshot[field]}`);
      }
      assert.ok(snapshot.diskTotalBytes > 0 && snapshot.diskFreeBytes <= snapshot.diskTotalBytes);
      assert.ok(snapshot.memoryTotalBytes > 0 && snapshot.memoryFreeBytes <= snapshot.memoryTotalBytes);
      assert.ok(Math.abs(snapshot.clockMs - Date.now()) < 5000, 'clockMs is ms since the epoch, now');
      assert.ok(snapshot.hostname.length > 0 && snapshot.platform.length > 0);
    });

    test('reachable endpoint: ok, latency within the timeout, an HTTP status and the server date', async () => {
      const result = await subject.network.reach(await subject.endpoint('reachable'), { timeoutMs: 3000 });
      assert.ok(result.ok, JSON.stringify(result));
      assert.ok(result.latencyMs >= 0 && result.latencyMs < 3000, `latency ${result.latencyMs}`);
      assert.ok(Number.isInteger(result.httpStatus) && result.httpStatus! >= 100 && result.httpStatus! < 600);
      const serverDate = Date.parse(result.serverDate ?? '');
      assert.ok(Math.abs(serverDate - Date.now()) < 60_000, `server date ${result.serverDate}`);
    });

    test('nothing listening: refused, promptly', async () => {
      const result = failure(
        await subject.network.reach(await subject.endpoint('refused'), { timeoutMs: 3000 }),
        'refused',
      );
      assert.ok(result.latencyMs < 1000, `latency ${result.latencyMs}`);
    });

    test('a peer that never answers: timeout at the timeout, reported as the timeout', async () => {
      const url = await subject.endpoint('silent');
      const timeoutMs = 400;
      const started = performance.now();
      const result = failure(await subject.network.reach(url, { timeoutMs }), 'timeout');
      const wallMs = performance.now() - started;
      assert.ok(wallMs >= timeoutMs - 5 && wallMs <= timeoutMs + TIMING_MARGIN_MS, `took ${wallMs} ms`);
      assert.equal(result.latencyMs, timeoutMs);
    });

    test('an unknown host name: dns', async () => {
      failure(
        await subject.network.reach(await subject.endpoint('unknown-host'), { timeoutMs: 3000 }),
        'dns',
      );
    });

    test('a command that succeeds: exit 0, its output as text, not timed out', async () => {
      const result = await subject.commands.run(subject.command.program, subject.command.args, {
        timeoutMs: 5000,
      });
      assert.equal(result.exitCode, 0);
      assert.equal(result.timedOut, false);
      assert.equal(result.error, undefined);
      assert.equal(typeof result.stdout, 'string');
      assert.ok(result.stdout.length > 0);
      assert.equal(typeof result.stderr, 'string');
      assert.ok(Number.isFinite(result.elapsedMs) && result.elapsedMs >= 0);
    });
  });
}
