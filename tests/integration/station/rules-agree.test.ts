// One rule, one answer: for the same station state the kiosk (the real StationService), the
// `siaga check` table and the district board (a real district over HTTP, fed by the agent's own
// heartbeat) say the same about recording and printing; a station without a card printer says
// printing is "not checked" everywhere. And the daily check says "sent" only once the district
// acknowledged it: queued while the district is down, sent when it is back.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { StationService } from '../../../electron/station/service';
import { formatTable } from '../../../electron/commands/check';
import { createSimulatedStation } from '../../../electron/agent/simulate';
import type { Profile } from '../../../electron/agent/profile';
import type { Agent } from '../../../electron/agent/agent';
import type { HeartbeatPayload } from '../../../protocol/events';
import { translator } from '../../../protocol/i18n';
import { board } from '../../../district/server/stations/board';
import { createSimulatedAgent, waitFor } from '../../helpers/agent';
import { enrollStation, startHttpDistrict } from '../../helpers/station-district';
import type { HttpDistrict } from '../../helpers/station-district';

const FAST = {
  schedule: {
    passiveIntervalMs: 60 * 60_000,
    heartbeatIntervalMs: 150,
    confirmDelayMs: 50,
    hotplugSettleMs: 10,
    enrollmentPollMs: 50,
  },
  deliveryPolicy: { baseBackoffMs: 50, maxBackoffMs: 200 },
};
const WINDOW_MS = 10 * 60_000;

/** The answers of the CLI table's first line, e.g. { record: 'YA', print: 'TIDAK DIPERIKSA' }. */
function cliAnswers(agent: Agent): { record: string; print: string } {
  const t = translator('cli', 'id');
  const line = formatTable(agent.status().lastReport!, 'id', true).split('\n')[0]!;
  const match = new RegExp(`^${t('record')}: (.+?)\\s{2,}${t('print')}: (.+)$`).exec(line);
  assert.ok(match, line);
  return { record: match[1]!, print: match[2]! };
}

/** The station on the board once a heartbeat carrying the agent's latest role statuses arrived. */
async function boardStation(district: HttpDistrict, stationId: string, agent: Agent) {
  const expected = JSON.stringify(agent.status().lastReport!.roleStatus);
  await waitFor('a heartbeat with the current state', async () => {
    const heartbeats = (await district.events(stationId)).filter((event) => event.type === 'heartbeat');
    const last = heartbeats.at(-1);
    return last && JSON.stringify((JSON.parse(last.payload) as HeartbeatPayload).roleStatus) === expected
      ? true
      : undefined;
  });
  const now = Date.now();
  const current = await board(district.db, now, WINDOW_MS);
  return current.kecamatan.flatMap((kecamatan) => kecamatan.stations).find((s) => s.stationId === stationId)!;
}

const WORD = { yes: 'YA', no: 'TIDAK', 'not-checked': 'TIDAK DIPERIKSA' } as const;

async function withStation(
  scenario: string,
  profile: Profile | undefined,
  run: (context: {
    agent: Agent;
    service: StationService;
    district: HttpDistrict;
    stationId: string;
  }) => Promise<void>,
  districtUp = true,
): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'siaga-rules-'));
  const district = await startHttpDistrict();
  const { agent } = createSimulatedAgent(dataDir, scenario, { ...FAST, ...(profile ? { profile } : {}) });
  const service = new StationService({ agent });
  try {
    const stationId = await enrollStation(district, dataDir);
    if (!districtUp) {
      await district.server.close();
    }
    await agent.start();
    await service.runCheck({ mode: 'active' });
    await run({ agent, service, district, stationId });
  } finally {
    service.stop();
    await agent.stop();
    await district.close().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

for (const scenario of ['healthy', 'fingerprint-missing', 'loose-cable', 'ribbon-out', 'ups-busy']) {
  test(`${scenario}: the kiosk, the CLI and the district board give the same answers`, async () => {
    await withStation(scenario, undefined, async ({ agent, service, district, stationId }) => {
      const kiosk = await service.getStatus();
      const cli = cliAnswers(agent);
      const station = await boardStation(district, stationId, agent);
      assert.equal(cli.record, WORD[kiosk.recording], 'CLI = kiosk (recording)');
      assert.equal(cli.print, WORD[kiosk.printing], 'CLI = kiosk (printing)');
      assert.equal(station.recording, kiosk.recording, 'board = kiosk (recording)');
      assert.equal(station.printing, kiosk.printing, 'board = kiosk (printing)');
      assert.equal(station.state, kiosk.recording === 'yes' ? 'can-record' : 'cannot-record');
      assert.equal(station.canPrint, kiosk.canPrint);
      const expectedRecording = scenario === 'fingerprint-missing' ? 'no' : 'yes';
      assert.equal(kiosk.recording, expectedRecording, 'and the answer is right');
      assert.equal(kiosk.printing, scenario === 'ribbon-out' ? 'no' : 'yes');
      // The board lists what stops recording as blocking it, and a usable device as no problem.
      const fingerprintProblem = station.problems.find((problem) => problem.role === 'fingerprint');
      assert.equal(fingerprintProblem?.blocks, scenario === 'fingerprint-missing' ? 'recording' : undefined);
    });
  });
}

test('a station without a card printer: printing is "not checked" on the kiosk, the CLI and the board', async () => {
  const { profile } = createSimulatedStation('healthy');
  const { 'card-printer': _printer, ...roles } = profile.roles;
  await withStation('healthy', { ...profile, roles }, async ({ agent, service, district, stationId }) => {
    const kiosk = await service.getStatus();
    assert.equal(kiosk.printing, 'not-checked');
    assert.equal(kiosk.recording, 'yes');
    assert.equal(cliAnswers(agent).print, 'TIDAK DIPERIKSA');
    const station = await boardStation(district, stationId, agent);
    assert.equal(station.printing, 'not-checked');
    assert.equal(station.state, 'can-record');
  });
});

const SIGN_OFF = {
  manual: [],
  consumables: { blankCards: 120, ribbonPrints: 300 },
  operator: { name: 'Siti Rahmawati', nip: '198503122010012003' },
};

test('daily check, district up: the sign-off says sent once the district acknowledged it', async () => {
  await withStation('healthy', undefined, async ({ service, district, stationId }) => {
    const run = await service.startDailyCheck();
    const record = await service.submitDailyCheck({ ...SIGN_OFF, runId: run.runId });
    assert.equal(record.delivery, 'sent');
    const stored = (await district.events(stationId)).filter(
      (event) => event.type === 'daily-check.completed',
    );
    assert.equal(stored.length, 1, 'the district holds it');
    assert.equal((await service.getStatus()).dailyCheck.delivery, 'sent');
  });
});

test('daily check, district down: queued ("akan dikirim"), then sent when the district is back', async () => {
  await withStation(
    'healthy',
    undefined,
    async ({ service, district, stationId }) => {
      const run = await service.startDailyCheck();
      const record = await service.submitDailyCheck({ ...SIGN_OFF, runId: run.runId });
      assert.equal(record.delivery, 'queued', 'never "sent" while the district is down');
      assert.match(translator('kiosk', 'id')('dailyQueued'), /tersimpan, akan dikirim ke kabupaten/);
      assert.equal((await service.getStatus()).dailyCheck.delivery, 'queued');

      const back = await startHttpDistrict({ dir: district.dir, port: Number(new URL(district.url).port) });
      try {
        await waitFor('sent once the district is back', async () =>
          (await service.getStatus()).dailyCheck.delivery === 'sent' ? true : undefined,
        );
        const stored = (await back.events(stationId)).filter(
          (event) => event.type === 'daily-check.completed',
        );
        assert.equal(stored.length, 1);
      } finally {
        await back.server.close();
      }
    },
    false,
  );
});
