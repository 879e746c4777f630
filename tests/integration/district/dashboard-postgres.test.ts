// The dashboard on a real PostgreSQL (started by the test): the same code and SQL as on SQLite —
// login, board, fault lifecycle and re-check command, inventory and a loan, consumables, figures
// (the one dialect-specific expression) and escalation.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Board } from '../../../district/server/stations/board';
import type { FaultDetail } from '../../../district/server/faults/lifecycle';
import type { StationStock } from '../../../district/server/consumables/stock';
import { EscalationConfigSchema } from '../../../district/server/escalation/config';
import { runEscalation } from '../../../district/server/escalation/run';
import type { EscalationResult } from '../../../district/server/escalation/run';
import { runEscalationExclusive } from '../../../district/server/escalation/scheduler';
import { ADVISORY_LOCKS } from '../../../district/server/db/locks';
import type { Figures } from '../../../district/server/figures/report';
import type { DeviceView } from '../../../district/server/inventory/devices';
import type { LoanView } from '../../../district/server/inventory/loans';
import type { EmailMessage, Notifier } from '../../../district/server/notify/types';
import {
  addStaff,
  HEALTHY,
  heartbeat,
  login,
  openAllWeek,
  postEvents,
  STAFF,
  staffHeaders,
} from '../../helpers/dashboard';
import type { Login } from '../../helpers/dashboard';
import { startTestDistrict, TestStation } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';
import { startPostgres } from '../../helpers/postgres';
import type { TestPostgres } from '../../helpers/postgres';

const HOUR = 3_600_000;
let clock = Date.now();
let postgres: TestPostgres;
let district: TestDistrict;
let technician: Login;
const station = new TestStation();

before(async () => {
  postgres = await startPostgres();
  district = await startTestDistrict({ url: postgres.url, now: () => clock });
  await addStaff(district.db);
  await openAllWeek(district.db);
  technician = await login(district.app, STAFF.technician);
  await station.enroll(district, 'Loket 1', 'Sukodono');
});
after(async () => {
  await district?.close();
  await postgres?.stop();
});

async function call<T>(method: 'GET' | 'POST', url: string, body?: unknown): Promise<T> {
  const response = await district.app.inject({
    method,
    url,
    headers: staffHeaders(technician, method),
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
  assert.equal(response.statusCode, 200, `${url}: ${response.body}`);
  return response.json() as T;
}

test('board, fault lifecycle and re-check command on PostgreSQL', async () => {
  assert.equal(district.db.dialect, 'postgres');
  const firstSeen = new Date(clock - 3 * HOUR).toISOString();
  await postEvents(
    district,
    station,
    [
      station.fault('fault.opened', 'f1', { firstSeen }, clock),
      heartbeat(station, clock, { ...HEALTHY, fingerprint: 'fault' }),
    ],
    clock,
  );
  const board = await call<Board>('GET', '/api/dash/board');
  assert.deepEqual(
    [
      board.kecamatan[0].name,
      board.kecamatan[0].canRecord,
      board.kecamatan[0].stations[0].problems[0].fault?.device?.serialNumber,
    ],
    ['Sukodono', false, 'CM123'],
  );
  const path = `/api/dash/faults/${station.stationId}/f1`;
  await call('POST', `${path}/actions`, { type: 'acknowledge' });
  await call('POST', `${path}/actions`, { type: 'repair', assignee: 'Bu Rina', note: 'bersihkan kaca' });
  await call('POST', `${path}/actions`, { type: 'verify' });
  clock += 60_000;
  const reply = await postEvents(
    district,
    station,
    [heartbeat(station, clock, { ...HEALTHY, fingerprint: 'fault' })],
    clock,
  );
  assert.equal(reply.commands?.[0]?.type, 'rerun-checks');
  await postEvents(
    district,
    station,
    [
      station.fault('fault.resolved', 'f1', { firstSeen }, clock + 1000),
      heartbeat(station, clock + 1000, HEALTHY),
    ],
    clock + 1000,
  );
  clock += 2000;
  const closed = await call<FaultDetail>('POST', `${path}/actions`, { type: 'close', note: 'ok' });
  assert.equal(closed.state, 'closed');
  assert.deepEqual(
    closed.history.map((entry) => entry.kind),
    ['opened', 'acknowledged', 'in-repair', 'verification-requested', 'resolved', 'closed'],
  );
});

test('inventory, a loan, consumables and figures on PostgreSQL', async () => {
  await postEvents(
    district,
    station,
    [
      station.event(
        'inventory.changed',
        {
          added: [
            {
              role: 'fingerprint',
              device: { key: 'usb:1', vendor: 'Cross Match', model: 'Guardian', serialNumber: 'CM123' },
            },
          ],
          removed: [],
        },
        clock,
      ),
    ],
    clock,
  );
  const spare = await call<{ id: string }>('POST', '/api/dash/inventory/spares', {
    serialNumber: 'SP-1',
    vendor: 'Suprema',
    model: 'RealScan',
  });
  const loan = await call<LoanView>('POST', '/api/dash/inventory/loans', {
    deviceId: spare.id,
    toStationId: station.stationId,
    startsOn: '2026-01-05',
    dueOn: '2026-02-05',
    reference: 'PP/1',
    purpose: 'uji',
  });
  const devices = await call<DeviceView[]>('GET', '/api/dash/inventory/devices');
  assert.deepEqual(
    devices
      .map((device) => [
        device.serialNumber,
        device.stationId === station.stationId,
        device.working,
        device.loanId,
      ])
      .sort(),
    [
      ['CM123', true, true, null],
      ['SP-1', true, true, loan.id],
    ],
  );
  const day = 24 * HOUR;
  await postEvents(
    district,
    station,
    [
      station.event('consumables.reported', { blankCards: 90, ribbons: [] }, clock - 3 * day),
      station.event('consumables.reported', { blankCards: 60, ribbons: [] }, clock),
    ],
    clock,
  );
  const stock = await call<StationStock[]>('GET', '/api/dash/consumables');
  assert.deepEqual([stock[0].blankCards?.perDay, stock[0].blankCards?.daysLeft], [10, 6]);
  // Silent for two hours: unable to record from the end of its 10-minute window.
  clock += 2 * HOUR;
  // Two months, summed, so the test holds across a month boundary too.
  const figures = await call<Figures>('GET', '/api/dash/figures?months=2');
  const month = figures.months.find((candidate) => candidate.faultsOpened > 0)!;
  assert.equal(month.faultsOpened, 1);
  assert.equal(month.meanHoursToAcknowledge, 3);
  const hours = figures.months.reduce((sum, candidate) => sum + candidate.hoursUnable.Sukodono, 0);
  assert.ok(hours >= 1.8 && hours <= 2, `Sukodono ${hours} h`);
});

test('escalation notices deduplicate on PostgreSQL', async () => {
  const firstSeen = new Date(clock - 30 * HOUR).toISOString();
  await postEvents(district, station, [station.fault('fault.opened', 'f2', { firstSeen }, clock)], clock);
  const emails: EmailMessage[] = [];
  const notifier: Notifier = {
    sendEmail: async (message) => {
      emails.push(message);
    },
    postWebhook: async () => undefined,
    close: () => undefined,
  };
  const config = EscalationConfigSchema.parse({
    rules: [{ id: 'unacknowledged-1d', condition: 'unacknowledged', afterHours: 24, notify: 'tech' }],
    contacts: { tech: { emails: ['t@example.go.id'] } },
  });
  assert.equal((await runEscalation({ db: district.db, notifier, config }, clock)).escalated, 1);
  assert.equal((await runEscalation({ db: district.db, notifier, config }, clock + HOUR)).escalated, 0);
  assert.equal(emails.length, 1);
  assert.match(emails[0].text, /Kec\. Sukodono/);
});

test('escalation: a pass that loses its lock stops before its next message; the pass that took over sends the rest, each once', async () => {
  const firstSeen = new Date(clock - 30 * HOUR).toISOString();
  const locked = new TestStation();
  await locked.enroll(district, 'Loket Kunci', 'Sukodono');
  await postEvents(district, locked, [locked.fault('fault.opened', 'f-lock', { firstSeen }, clock)], clock);
  const config = EscalationConfigSchema.parse({
    rules: [{ id: 'lock-lost-1d', condition: 'unacknowledged', afterHours: 24, notify: 'three' }],
    contacts: { three: { emails: ['a@example.go.id', 'b@example.go.id', 'c@example.go.id'] } },
  });
  const sent: EmailMessage[] = [];
  let takeover: Promise<EscalationResult | null> | undefined;
  const notifier: Notifier = {
    sendEmail: async (message) => {
      sent.push(message);
      if (takeover === undefined) {
        // The first message of the first pass: its lock's connection ends (a network cut, an
        // administrator), and another process's pass takes the lock and runs to its end meanwhile.
        const [holder] = await district.db.query<{ pid: number }>(
          "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND granted",
          [ADVISORY_LOCKS.escalation],
        );
        await district.db.query('SELECT pg_terminate_backend($1)', [holder.pid]);
        takeover = runEscalationExclusive({ db: district.db, notifier, config }, () => clock, { wait: true });
        await takeover;
      }
    },
    postWebhook: async () => undefined,
    close: () => undefined,
  };
  await assert.rejects(runEscalationExclusive({ db: district.db, notifier, config }, () => clock, { wait: false }));
  const other = await takeover;
  assert.ok(other !== null && other !== undefined && other.sent > 0, 'the other pass ran');
  const counts = new Map<string, number>();
  for (const message of sent) {
    const key = `${message.to} ${message.subject}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const twice = [...counts.entries()].filter(([, times]) => times > 1);
  // Only the message in flight when the lock was lost went out twice (once by each pass).
  assert.deepEqual(twice.map(([key]) => key), [`${sent[0].to} ${sent[0].subject}`], JSON.stringify([...counts]));
  assert.equal(twice[0][1], 2);
  assert.ok(counts.size >= 3, `every recipient had its message (${counts.size})`);
});

