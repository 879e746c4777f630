// The real serialport library on socat pty pairs against simulated UPS and card printer devices.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, afterEach, describe, test } from 'node:test';
import { createSerialTransport, listSerialPorts } from '../../../native/serial/serial-query';
import { megatecQ1Query, parseQ1 } from '../../../native/serial/megatec';
import { EVOLIS_SIMULATION_WORDS, readEvolisStatus, type EvolisState } from '../../../native/serial/evolis';
import type { SerialQueryOptions, SerialQueryResult } from '../../../native/serial/types';
import { startPtyPair, type PtyPair } from '../../helpers/pty';
import {
  FLOOD_BYTES,
  holdSerialPort,
  PARTIAL_REPLY,
  startEvolisSimulator,
  startUpsSimulator,
  type RunningSimulator,
  type UpsSimulatorMode,
} from '../../helpers/serial-simulators';

const repositoryRoot = fileURLToPath(new URL('../../..', import.meta.url));
const transport = createSerialTransport();
/** Scheduling slack on a shared 2-core machine; the contract is "at the timeout, not later". */
const TIMING_MARGIN_MS = 150;

let running: { pty: PtyPair; simulator?: RunningSimulator }[] = [];

afterEach(async () => {
  for (const { pty, simulator } of running) {
    await simulator?.stop();
    await pty.stop();
  }
  running = [];
});

async function upsOnPty(mode: UpsSimulatorMode) {
  const pty = await startPtyPair();
  const entry: { pty: PtyPair; simulator?: RunningSimulator } = { pty };
  running.push(entry);
  const simulator = await startUpsSimulator(pty.devicePath, mode);
  entry.simulator = simulator;
  return { pty, simulator };
}

function q1Query(path: string, overrides: Partial<SerialQueryOptions> = {}): SerialQueryOptions {
  return { ...megatecQ1Query(path, 1000), ...overrides };
}

async function timed(options: SerialQueryOptions): Promise<{ result: SerialQueryResult; wallMs: number }> {
  const startedAt = performance.now();
  const result = await transport.query(options);
  return { result, wallMs: performance.now() - startedAt };
}

function okReply(result: SerialQueryResult): Buffer {
  assert.ok(result.ok, `expected a reply, got ${JSON.stringify(result)}`);
  return result.reply;
}

/** Opening the app side proves the query released its lock. */
async function assertPortReleased(path: string) {
  const again = await transport.query(q1Query(path, { timeoutMs: 300 }));
  assert.notEqual(!again.ok && again.reason, 'busy', 'the previous query left the port locked');
}

describe('Megatec Q1 over a real pty', () => {
  test('healthy UPS: reply parses with utility ok, and the round trip is measured', async () => {
    const { pty, simulator } = await upsOnPty('healthy');
    const rounds: number[] = [];
    for (let round = 0; round < 20; round += 1) {
      const { result, wallMs } = await timed(q1Query(pty.appPath));
      const parsed = parseQ1(okReply(result));
      assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
      assert.equal(parsed.status.utilityFail, false);
      assert.equal(parsed.status.batteryLow, false);
      assert.equal(parsed.status.upsFailed, false);
      assert.equal(parsed.status.inputVoltage, 228.5);
      assert.equal(parsed.status.loadPercent, 18);
      assert.equal(parsed.status.batteryVoltage, 2.27);
      rounds.push(wallMs);
    }
    assert.equal(simulator.requests.length, 20);
    assert.ok(simulator.requests.every((request) => request === 'Q1\r'));
    rounds.sort((a, b) => a - b);
    const median = rounds[Math.floor(rounds.length / 2)] ?? 0;
    console.log(
      `Q1 round trip incl. open+flush+close over pty: median ${median.toFixed(1)} ms, ` +
        `min ${(rounds[0] ?? 0).toFixed(1)} ms, max ${(rounds.at(-1) ?? 0).toFixed(1)} ms (20 queries)`,
    );
    assert.ok(median < 250, `median round trip ${median} ms`);
  });

  const decoded: [UpsSimulatorMode, { utilityFail: boolean; batteryLow: boolean; upsFailed: boolean }][] = [
    ['on-battery', { utilityFail: true, batteryLow: false, upsFailed: false }],
    ['battery-low', { utilityFail: true, batteryLow: true, upsFailed: false }],
    ['ups-failed', { utilityFail: false, batteryLow: false, upsFailed: true }],
  ];
  for (const [mode, flags] of decoded) {
    test(`${mode}: status bits decode`, async () => {
      const { pty } = await upsOnPty(mode);
      const parsed = parseQ1(okReply(await transport.query(q1Query(pty.appPath))));
      assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
      assert.equal(parsed.status.utilityFail, flags.utilityFail);
      assert.equal(parsed.status.batteryLow, flags.batteryLow);
      assert.equal(parsed.status.upsFailed, flags.upsFailed);
    });
  }

  test('silent UPS: timeout at timeoutMs, not later, and the port is released', async () => {
    const { pty, simulator } = await upsOnPty('silent');
    const timeoutMs = 400;
    const { result, wallMs } = await timed(q1Query(pty.appPath, { timeoutMs }));
    assert.equal(result.ok, false);
    assert.ok(!result.ok);
    assert.equal(result.reason, 'timeout');
    assert.equal(result.partial, undefined);
    assert.ok(wallMs >= timeoutMs - 5, `resolved early: ${wallMs} ms`);
    assert.ok(wallMs <= timeoutMs + TIMING_MARGIN_MS, `resolved late: ${wallMs} ms for timeout ${timeoutMs}`);
    assert.equal(simulator.requests[0], 'Q1\r', 'the request reached the device');
    console.log(`silent UPS: timeout after ${wallMs.toFixed(1)} ms for timeoutMs ${timeoutMs}`);
    await assertPortReleased(pty.appPath);
  });

  test('garbage reply: transport delivers it, the parser rejects it without throwing', async () => {
    const { pty } = await upsOnPty('garbage');
    const parsed = parseQ1(okReply(await transport.query(q1Query(pty.appPath))));
    assert.equal(parsed.ok, false);
    assert.ok(!parsed.ok && parsed.error.length > 0);
  });

  test('partial line: timeout, with the partial bytes', async () => {
    const { pty } = await upsOnPty('partial');
    const timeoutMs = 300;
    const { result, wallMs } = await timed(q1Query(pty.appPath, { timeoutMs }));
    assert.ok(!result.ok);
    assert.equal(result.reason, 'timeout');
    assert.equal(result.partial?.toString('ascii'), PARTIAL_REPLY);
    assert.ok(wallMs <= timeoutMs + TIMING_MARGIN_MS, `resolved late: ${wallMs} ms`);
  });

  test('1 MB flood: overflow promptly, reading stops, the port is closed', async () => {
    const { pty } = await upsOnPty('flood');
    const timeoutMs = 5000;
    const { result, wallMs } = await timed(q1Query(pty.appPath, { timeoutMs, maxReplyBytes: 4096 }));
    assert.ok(!result.ok);
    assert.equal(result.reason, 'overflow');
    assert.ok(result.partial !== undefined && result.partial.length <= 4096);
    assert.ok(result.partial.every((byte) => byte === 0x41));
    console.log(`1 MB flood: overflow after ${wallMs.toFixed(1)} ms (${result.partial.length} bytes kept)`);
    assert.ok(
      wallMs < 500,
      `overflow took ${wallMs} ms of a ${timeoutMs} ms timeout (${FLOOD_BYTES} bytes sent)`,
    );
    await assertPortReleased(pty.appPath);
  });

  test('port held by another process: busy (in use), not a fault', async () => {
    const { pty } = await upsOnPty('healthy');
    const holder = await holdSerialPort(pty.appPath);
    try {
      const result = await transport.query(q1Query(pty.appPath));
      assert.ok(!result.ok);
      assert.equal(result.reason, 'busy', result.message);
    } finally {
      await holder.release();
    }
    // Once the other program lets go, the same port answers again.
    assert.ok(parseQ1(okReply(await transport.query(q1Query(pty.appPath)))).ok);
  });

  test('nonexistent path: not-found', async () => {
    const result = await transport.query(q1Query('/dev/siaga-no-such-port'));
    assert.ok(!result.ok);
    assert.equal(result.reason, 'not-found', result.message);
  });

  test('a UPS changing state between two queries is read afresh each time', async () => {
    const { pty, simulator } = await upsOnPty('healthy');
    const first = parseQ1(okReply(await transport.query(q1Query(pty.appPath))));
    simulator.setMode('on-battery');
    const second = parseQ1(okReply(await transport.query(q1Query(pty.appPath))));
    assert.ok(first.ok && second.ok);
    assert.equal(first.status.utilityFail, false);
    assert.equal(second.status.utilityFail, true);
  });
});

describe('Evolis status over a real pty', () => {
  const cases: [EvolisState, number | undefined, EvolisState][] = [
    ['ready', 180, 'ready'],
    ['ready', 12, 'ribbon-low'],
    ['ribbon-out', undefined, 'ribbon-out'],
    ['cover-open', 180, 'cover-open'],
    ['card-out', 180, 'card-out'],
    ['jam', 180, 'jam'],
    ['busy', 180, 'busy'],
    ['error', 180, 'error'],
  ];
  for (const [simulated, ribbonRemaining, expected] of cases) {
    test(`printer ${simulated} (ribbon ${ribbonRemaining ?? 'none'}) reads as ${expected}`, async () => {
      const pty = await startPtyPair();
      const entry: { pty: PtyPair; simulator?: RunningSimulator } = { pty };
      running.push(entry);
      entry.simulator = await startEvolisSimulator(pty.devicePath, {
        statusWord: EVOLIS_SIMULATION_WORDS[simulated],
        ...(ribbonRemaining === undefined ? {} : { ribbonRemaining }),
      });
      const result = await readEvolisStatus(transport, { path: pty.appPath, timeoutMs: 1000 });
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(result.status.state, expected);
      assert.equal(result.status.code, EVOLIS_SIMULATION_WORDS[simulated]);
      assert.equal(result.status.ribbonRemaining, ribbonRemaining ?? 0);
      assert.deepEqual(entry.simulator.requests, ['\x1bRst\r', '\x1bRrt;count\r']);
    });
  }

  test('printer that never answers: timeout, not a parse error', async () => {
    const pty = await startPtyPair();
    running.push({ pty });
    const result = await readEvolisStatus(transport, { path: pty.appPath, timeoutMs: 200 });
    assert.ok(!result.ok);
    assert.equal(result.reason, 'timeout');
  });
});

describe('listing serial ports', () => {
  test('without udevadm on PATH, list() resolves {ports: [], error} instead of rejecting', async () => {
    const script = `
      const { listSerialPorts } = await import(${JSON.stringify(new URL('../../../native/serial/serial-query.ts', import.meta.url).href)});
      process.stdout.write(JSON.stringify(await listSerialPorts()));
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: repositoryRoot,
      env: { ...process.env, PATH: '/siaga-no-such-dir' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let errorText = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (errorText += chunk.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(code, 0, errorText);
    const listed = JSON.parse(output) as { ports: unknown[]; error?: string };
    assert.deepEqual(listed.ports, []);
    assert.match(listed.error ?? '', /ENOENT|udevadm/);
  });

  test('with udevadm, list() resolves and never lists the pty pair', async () => {
    const pty = await startPtyPair();
    running.push({ pty });
    const listed = await listSerialPorts();
    assert.ok(Array.isArray(listed.ports));
    assert.ok(!listed.ports.some((port) => port.path === pty.appPath || port.path === pty.devicePath));
  });
});

after(() => {
  assert.equal(running.length, 0);
});
