// The district on a real PostgreSQL: the same migrations, enrollment, intake, dedup and refusals as on SQLite.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { listFaults } from '../../../district/server/faults/repository';
import { migrate } from '../../../district/server/db/migrations';
import { PATHS } from '../../../protocol/requests';
import type { EventsResponse } from '../../../protocol/requests';
import { startTestDistrict, TestStation } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';
import { startPostgres } from '../../helpers/postgres';
import type { TestPostgres } from '../../helpers/postgres';

let postgres: TestPostgres;
let district: TestDistrict;

before(async () => {
  postgres = await startPostgres();
  district = await startTestDistrict({ url: postgres.url });
});
after(async () => {
  await district?.close();
  await postgres?.stop();
});

test('migrations ran on PostgreSQL and are idempotent', async () => {
  assert.equal(district.db.dialect, 'postgres');
  assert.deepEqual(await migrate(district.db), []);
  const tables = await district.db.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
  );
  assert.deepEqual(
    tables.map((row) => row.table_name),
    [
      'audit_log',
      'availability_spans',
      'closed_days',
      'consumable_reports',
      'devices',
      'district_key',
      'district_settings',
      'districts',
      'enrollment_codes',
      'escalation_letter_counters',
      'escalation_letter_settings',
      'escalation_letters',
      'escalation_notices',
      'escalation_settings',
      'events',
      'fault_history',
      'faults',
      'figures_generation',
      'figures_late',
      'figures_unable_days',
      'figures_unable_months',
      'forecast_sets',
      'forecasts',
      'forward_outbox',
      'kecamatan_distances',
      'kecamatan_offices',
      'kecamatan_service_weeks',
      'loans',
      'login_throttle',
      'notifications',
      'peer_codes',
      'peers',
      'provinces',
      'rate_buckets',
      'rejected_requests',
      'request_signatures',
      'schema_migrations',
      'sessions',
      'station_availability',
      'station_commands',
      'stations',
      'upstream_link',
      'users',
    ],
  );
});

test('enroll, a signed batch stored once, a fault tracked, a forged batch refused and logged', async () => {
  const station = new TestStation();
  await station.enroll(district);
  const events = [station.heartbeat(), station.fault('fault.opened', 'f-pg')];
  const body = JSON.stringify({ events });
  const first = await district.app.inject({
    method: 'POST',
    url: PATHS.events,
    payload: body,
    headers: station.headers('POST', PATHS.events, body, Date.now()),
  });
  assert.equal(first.statusCode, 200, first.body);
  assert.equal((first.json() as EventsResponse).accepted.length, 2);
  const again = await district.app.inject({
    method: 'POST',
    url: PATHS.events,
    payload: body,
    headers: station.headers('POST', PATHS.events, body, Date.now() + 1),
  });
  assert.deepEqual(
    (again.json() as EventsResponse).duplicates,
    events.map((event) => event.id),
  );
  const faults = await listFaults(district.db);
  assert.deepEqual(
    faults.map((fault) => [fault.faultId, fault.state, fault.deviceSerial]),
    [['f-pg', 'open', 'CM123']],
  );

  const before = await district.counts();
  const forger = new TestStation();
  forger.stationId = station.stationId;
  const forgedBody = JSON.stringify({ events: [station.heartbeat()] });
  const forged = await district.app.inject({
    method: 'POST',
    url: PATHS.events,
    payload: forgedBody,
    headers: forger.headers('POST', PATHS.events, forgedBody, Date.now()),
  });
  assert.equal(forged.statusCode, 401);
  const now = await district.counts();
  assert.equal(now.events, before.events);
  assert.equal(now.rejected, before.rejected + 1);
});
