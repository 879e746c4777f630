// Forecasts end to end in the agent: the real Agent with its real SQLite store and check runner on
// the simulated kit, its UPS answering Megatec Q1 lines with a battery voltage that falls day by
// day and its fingerprint scanner reconnecting more each day, its clock injected. After two weeks
// and more the outbox holds a `forecast.reported` event with the expected codes and series; with
// too little data every forecast event is empty; no forecast ever opens a fault.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, test } from 'node:test';
import type { ForecastReportedPayload } from '../../../protocol/forecast';
import { ForecastReportedPayloadSchema } from '../../../protocol/forecast';
import { UPS_SIMULATION_STATUSES, formatQ1 } from '../../../native/serial/megatec';
import type { Agent } from '../../../electron/agent/agent';
import { readForecasts } from '../../../electron/agent/forecast/runner';
import { createSimulatedAgent } from '../../helpers/agent';

const DAY_MS = 24 * 60 * 60_000;
const START = Date.parse('2026-10-01T01:00:00.000Z');
/** Checks a day, hours apart (the forecasts recompute at most hourly). */
const CHECK_HOURS = [1, 4, 7];
const QUIET = {
  passiveIntervalMs: 1e9,
  heartbeatIntervalMs: 1e9,
  pruneIntervalMs: 1e9,
  integrityCheckMs: 1e9,
};

let folders: string[] = [];
let agents: Agent[] = [];
afterEach(async () => {
  for (const agent of agents) {
    await agent.stop();
  }
  for (const folder of folders) {
    rmSync(folder, { recursive: true, force: true });
  }
  agents = [];
  folders = [];
});

/** Volts per cell on day `day`: 2.27 V falling 0.01 V a day (1.75 V on day 52). */
const cellVolts = (day: number) => 2.27 - 0.01 * day;
/** Reconnects of the fingerprint scanner on day `day`: 0, 1, 1, 2, 2, 3, ... (12 a day on day 23). */
const reconnectsOn = (day: number) => Math.floor(day / 2);

async function runDays(days: number): Promise<{ agent: Agent; forecastPayloads: ForecastReportedPayload[] }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'siaga-forecast-'));
  folders.push(dataDir);
  let clock = START;
  const { agent, station } = createSimulatedAgent(dataDir, 'healthy', { now: () => clock, schedule: QUIET });
  agents.push(agent);
  let day = 0;
  let reconnectTotal = 0;
  station.adapters.serial = {
    async query() {
      const status = { ...UPS_SIMULATION_STATUSES.healthy, batteryVoltage: cellVolts(day) };
      return { ok: true, reply: Buffer.from(formatQ1(status), 'latin1'), elapsedMs: 3 };
    },
    async list() {
      return { ports: [] };
    },
  };
  station.adapters.usbHistory = (key) =>
    key.includes('080b')
      ? { key, reconnects: reconnectTotal, recentTransitions: [], present: true, lastSeen: 0 }
      : undefined;

  await agent.start();
  for (day = 0; day < days; day++) {
    for (const [index, hour] of CHECK_HOURS.entries()) {
      clock = START + day * DAY_MS + (hour - 1) * 3600_000;
      // The day's reconnects happen over the day: a third before each check.
      reconnectTotal +=
        Math.floor(reconnectsOn(day) / CHECK_HOURS.length) + (index === 0 ? reconnectsOn(day) % 3 : 0);
      await agent.requestCheck('passive');
    }
  }
  const store = agent.currentStore!;
  const forecastPayloads = store
    .pending(100_000)
    .filter((event) => event.type === 'forecast.reported')
    .map((event) => ForecastReportedPayloadSchema.parse(JSON.parse(event.payload)));
  return { agent, forecastPayloads };
}

test('two weeks and more of a fading UPS battery and a loosening cable: forecasts in the outbox', async () => {
  const days = 17;
  const { agent, forecastPayloads } = await runDays(days);
  assert.ok(forecastPayloads.length >= 2, `forecast events: ${forecastPayloads.length}`);
  const latest = forecastPayloads.at(-1)!.forecasts;

  const battery = latest.find((forecast) => forecast.code === 'FORECAST_UPS_BATTERY_FADING');
  assert.ok(battery, JSON.stringify(latest.map((forecast) => forecast.code)));
  assert.equal(battery.role, 'ups');
  // On day 16 (7 h) the battery is at ~2.11 V per cell, falling 0.01 V a day: 1.75 V in ~36 days.
  assert.ok(Math.abs(battery.likelyInDays! - 36) <= 3, `battery likely in ${battery.likelyInDays}`);
  const volts = battery.series[0]!;
  assert.equal(volts.metric, 'battery-volts');
  assert.equal(volts.limit, 1.75);
  assert.equal(volts.points.length, days);
  assert.ok(
    Math.abs(volts.points[0]!.value - 2.27) < 0.005 &&
      Math.abs(volts.points.at(-1)!.value - cellVolts(days - 1)) < 0.005,
  );

  const cable = latest.find((forecast) => forecast.code === 'FORECAST_USB_RECONNECTS_RISING');
  assert.ok(cable, JSON.stringify(latest.map((forecast) => forecast.code)));
  assert.equal(cable.role, 'fingerprint');
  assert.equal(cable.deviceKey, 'G1502339');
  const counts = cable.series[0]!;
  assert.equal(counts.metric, 'usb-reconnects');
  // Whole days only (today is not over): days - 1 points, each the day's reconnects.
  assert.deepEqual(
    counts.points.map((point) => point.value),
    Array.from({ length: days - 1 }, (_unused, index) => reconnectsOn(index)),
  );
  assert.ok(cable.likelyInDays! >= 3 && cable.likelyInDays! <= 12, `cable likely in ${cable.likelyInDays}`);
  assert.match(cable.message.id, /kemungkinan/);

  // The kiosk reads the same set; nothing of it is a fault.
  assert.deepEqual(
    readForecasts(agent.currentStore!)
      .map((forecast) => forecast.code)
      .sort(),
    latest.map((forecast) => forecast.code).sort(),
  );
  assert.equal(agent.currentStore!.listFaults({ includeResolved: true }).length, 0);
  // Only changes (or a day) send the set again: fewer events than recomputations.
  assert.ok(forecastPayloads.length < days * CHECK_HOURS.length);
});

test('too little data: forecast events carry no forecast', async () => {
  const { forecastPayloads } = await runDays(4);
  assert.ok(forecastPayloads.length >= 1, 'the empty set is still reported');
  for (const payload of forecastPayloads) {
    assert.deepEqual(payload.forecasts, []);
  }
});
