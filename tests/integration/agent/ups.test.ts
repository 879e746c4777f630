// UPS verdicts end to end on the real transport: the serialport library on a socat pty pair with
// the simulated Megatec UPS (tests/helpers/serial-simulators.ts) playing healthy and broken units.
// Each case asserts status, code and the operator's next step, both ways a verdict can lie.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { createSerialTransport } from '../../../native/serial/serial-query';
import { readMegatec } from '../../../native/serial/megatec-read';
import type { UpsRating } from '../../../native/serial/types';
import { checkUpsReading } from '../../../electron/agent/checks/ups';
import { toVerdict } from '../../../electron/agent/check';
import type { Verdict } from '../../../protocol/verdict';
import { startPtyPair, type PtyPair } from '../../helpers/pty';
import {
  startUpsSimulator,
  type UpsReplyTiming,
  type UpsSimulatorMode,
} from '../../helpers/serial-simulators';

let running: { pty: PtyPair; stop(): Promise<void> }[] = [];

afterEach(async () => {
  for (const entry of running) {
    await entry.stop();
    await entry.pty.stop();
  }
  running = [];
});

async function ups(
  mode: UpsSimulatorMode,
  options: { timing?: UpsReplyTiming; rating?: UpsRating | null } = {},
) {
  const pty = await startPtyPair();
  const simulator = await startUpsSimulator(pty.devicePath, mode, options);
  running.push({ pty, stop: simulator.stop });
  return { pty, simulator };
}

/** One UPS check as the runner does it, on a fresh transport (no cached rating). */
async function checkUps(
  path: string,
  timeoutMs = 1000,
  transport = createSerialTransport(),
): Promise<Verdict> {
  const reading = await readMegatec(transport, { path, baudRate: 2400, timeoutMs });
  return toVerdict('ups', checkUpsReading(path, reading), new Date().toISOString(), 0);
}

/** The UPS powers the running PC: no UPS advice may tell the operator to switch it (or "the device") off. */
function assertKeepsUpsOn(verdict: Verdict) {
  // Sentences that warn against it ("Do not switch the UPS off", "Jangan matikan UPS") are fine.
  const orders = (text: string, warning: RegExp) =>
    text.split(/(?<=[.;:])\s+/).filter((sentence) => !warning.test(sentence));
  for (const sentence of orders(verdict.nextStep.en, /^(do not|don't)\b|\bdo not switch/i)) {
    assert.doesNotMatch(sentence, /switch (the|this) (device|UPS) off|turn (the|this) (device|UPS) off/i);
  }
  for (const sentence of orders(verdict.nextStep.id, /\bjangan\b/i)) {
    assert.doesNotMatch(sentence, /matikan (lalu nyalakan kembali )?(perangkat|UPS)\b/i);
  }
}

function expect(verdict: Verdict, status: Verdict['status'], code: string, nextStep: RegExp) {
  assert.equal(verdict.code, code, JSON.stringify(verdict.measurements));
  assert.equal(verdict.status, status);
  assert.match(verdict.nextStep.en, nextStep);
  assertKeepsUpsOn(verdict);
}

describe('UPS replies: slow, unterminated, in time', () => {
  test('a healthy per-cell UPS is OK, and the rating is not asked for a per-cell reading', async () => {
    const { pty, simulator } = await ups('healthy');
    const verdict = await checkUps(pty.appPath);
    expect(verdict, 'ok', 'UPS_OK', /Nothing to do/);
    assert.equal(verdict.measurements.batteryConvention, 'per-cell');
    assert.deepEqual(simulator.requests, ['Q1\r']);
  });

  test('a reply trickling in but complete within the timeout is OK (no false alarm)', async () => {
    // 47 bytes at 12 ms each: about 560 ms of a 1500 ms timeout.
    const { pty } = await ups('healthy', { timing: { byteIntervalMs: 12 } });
    const verdict = await checkUps(pty.appPath, 1500);
    expect(verdict, 'ok', 'UPS_OK', /Nothing to do/);
    assert.ok(Number(verdict.measurements.elapsedMs) >= 400, `elapsed ${verdict.measurements.elapsedMs} ms`);
  });

  test('a reply still trickling in at the timeout is a slow reply, with the bytes received', async () => {
    const { pty } = await ups('healthy', { timing: { byteIntervalMs: 40 } });
    const verdict = await checkUps(pty.appPath, 600);
    expect(verdict, 'warning', 'UPS_SLOW_REPLY', /call the district technician/);
    assert.doesNotMatch(verdict.message.en, /does not answer/);
    assert.match(String(verdict.measurements.partialReply), /^\(228\.5 /);
    assert.match(String(verdict.measurements.partialReplyHex), /^28 32 32 38/);
    assert.ok(Number(verdict.measurements.partialReplyBytes) > 5);
  });

  test('a reply that starts late and is still arriving at the timeout is a slow reply', async () => {
    const { pty } = await ups('healthy', { timing: { delayMs: 450, byteIntervalMs: 20 } });
    const verdict = await checkUps(pty.appPath, 700);
    expect(verdict, 'warning', 'UPS_SLOW_REPLY', /call the district technician/);
  });

  test('a whole line that never ends in CR is a bad reply with its bytes, not "does not answer"', async () => {
    const { pty } = await ups('no-cr');
    const verdict = await checkUps(pty.appPath, 500);
    expect(verdict, 'warning', 'UPS_BAD_REPLY', /data cable/);
    assert.equal(verdict.measurements.partialReply, '(228.5 228.5 229.0 018 50.0 2.27 27.5 00001000');
    assert.equal(verdict.measurements.partialReplyBytes, 46);
    assert.match(String(verdict.measurements.partialReplyHex), / 30 30 30 30 31 30 30 30$/);
  });

  test('garbage with control bytes is a bad reply, escaped for the technician', async () => {
    const { pty } = await ups('garbage');
    const verdict = await checkUps(pty.appPath);
    expect(verdict, 'warning', 'UPS_BAD_REPLY', /data cable/);
    assert.equal(verdict.measurements.reply, '(NAK \\x07\\xff\\x00garbage 12.3.4\\r');
    assert.match(String(verdict.measurements.replyHex), /^28 4e 41 4b 20 07 ff 00/);
  });

  test('a silent UPS does not answer: a fault, and the advice keeps the UPS on', async () => {
    const { pty } = await ups('silent');
    const verdict = await checkUps(pty.appPath, 300);
    expect(verdict, 'fault', 'UPS_NOT_RESPONDING', /Do not switch the UPS off/);
  });
});

describe('UPS battery', () => {
  test('0 V on mains: battery dead or disconnected (warning)', async () => {
    const { pty } = await ups('battery-disconnected');
    const verdict = await checkUps(pty.appPath);
    expect(verdict, 'warning', 'UPS_BATTERY_DEAD', /Do not switch the UPS off/);
    assert.match(verdict.message.id, /tegangan baterai 0 V/);
  });

  test('9.6 V from a unit rated for a 24 V bank: implausible, battery dead (rating from F)', async () => {
    const { pty, simulator } = await ups('dead-total-24v');
    const verdict = await checkUps(pty.appPath);
    expect(verdict, 'warning', 'UPS_BATTERY_DEAD', /replace the UPS battery/);
    assert.equal(verdict.measurements.batteryNominalVolts, 24);
    assert.equal(verdict.measurements.batteryNominalFrom, 'rating');
    assert.deepEqual(simulator.requests, ['Q1\r', 'F\r']);
  });

  test('27.4 V total from a 24 V bank is healthy; the rating is asked once, then remembered', async () => {
    const { pty, simulator } = await ups('healthy-total-24v');
    const transport = createSerialTransport();
    const first = await checkUps(pty.appPath, 1000, transport);
    const second = await checkUps(pty.appPath, 1000, transport);
    for (const verdict of [first, second]) {
      expect(verdict, 'ok', 'UPS_OK', /Nothing to do/);
      assert.equal(verdict.measurements.batteryNominalVolts, 24);
      assert.ok(Math.abs(Number(verdict.measurements.batteryVoltsPerCell) - 2.283) < 0.01);
    }
    assert.deepEqual(simulator.requests, ['Q1\r', 'F\r', 'Q1\r']);
  });

  test('27.4 V from a unit that does not know F: nominal inferred (24 V), healthy', async () => {
    const { pty } = await ups('healthy-total-24v', { rating: null });
    const verdict = await checkUps(pty.appPath);
    expect(verdict, 'ok', 'UPS_OK', /Nothing to do/);
    assert.equal(verdict.measurements.batteryNominalFrom, 'inferred');
    assert.equal(verdict.measurements.batteryNominalVolts, 24);
    assert.match(String(verdict.measurements.ratingError), /timeout/);
  });

  test('battery-low bit on mains: replace the battery (warning), not a power cut', async () => {
    const { pty } = await ups('battery-worn');
    const verdict = await checkUps(pty.appPath);
    expect(verdict, 'warning', 'UPS_BATTERY_REPLACE', /battery needs replacing/);
  });

  test('battery-low bit on battery power is still the critical battery-low fault', async () => {
    const { pty } = await ups('battery-low');
    const verdict = await checkUps(pty.appPath);
    expect(verdict, 'fault', 'UPS_BATTERY_LOW', /shut the PC down properly/);
    assert.equal(verdict.severity, 'critical');
  });
});

describe('a UPS port that disappears mid-check', () => {
  for (const mode of ['silent', 'trickle'] as const) {
    test(`removed while ${mode === 'silent' ? 'waiting for' : 'receiving'} the reply: disconnected, a fault`, async () => {
      const { pty, simulator } = await ups(
        'healthy',
        mode === 'silent' ? { timing: { delayMs: 5000 } } : { timing: { byteIntervalMs: 50 } },
      );
      const pending = checkUps(pty.appPath, 3000);
      const deadline = Date.now() + 2000;
      while (simulator.requests.length === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      const started = performance.now();
      await pty.unplug();
      const verdict = await pending;
      expect(verdict, 'fault', 'UPS_DISCONNECTED', /reseat it firmly/);
      assert.ok(performance.now() - started < 1000, 'reported when the port went, not at the timeout');
      if (mode === 'trickle') {
        assert.match(String(verdict.measurements.partialReply), /^\(22/);
      }
    });
  }
});
