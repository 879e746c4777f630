// The country of bench/national.ts written straight into the database: 38 provinces, 514 districts
// (WIB, WITA, WIT), 7,300 kecamatan, 20,000 stations heard 30 s ago (every 33rd silent for 3 h, every
// 20th unable to record since up to 2 days), an open fault on every 10th, a consumables report each.
import type { Db, SqlValue } from '../district/server/db/types';
import { addDistrict, addProvince } from '../district/server/tenancy/districts';
import { heartbeatPayload, insertRows } from './district-seed';

export const PROVINCES = 38;
export const DISTRICTS = 514;
export const KECAMATAN = 7300;
export const STATIONS = 20_000;
const ZONES = ['WIB', 'WITA', 'WIT'] as const;

export const provinceCode = (index: number): string => `P${String(index).padStart(2, '0')}`;
const districtCode = (index: number): string =>
  `${provinceCode(index % PROVINCES)}.${String(index).padStart(3, '0')}`;

export async function seedCountry(db: Db, nowMs: number): Promise<void> {
  for (let index = 0; index < PROVINCES; index++) {
    await addProvince(db, { code: provinceCode(index), name: `Provinsi ${index + 1}` });
  }
  for (let index = 0; index < DISTRICTS; index++) {
    await addDistrict(db, {
      code: districtCode(index),
      name: `Kabupaten ${index + 1}`,
      province: provinceCode(index % PROVINCES),
      timeZone: ZONES[index % PROVINCES < 30 ? 0 : index % PROVINCES < 35 ? 1 : 2],
    });
  }
  const now = new Date(nowMs).toISOString();
  const heard = new Date(nowMs - 30_000).toISOString();
  const longAgo = new Date(nowMs - 3 * 3_600_000).toISOString();
  const monthAgo = new Date(nowMs - 20 * 86_400_000).toISOString();
  const stations: SqlValue[][] = [];
  const availability: SqlValue[][] = [];
  const spans: SqlValue[][] = [];
  const faults: SqlValue[][] = [];
  const consumables: SqlValue[][] = [];
  for (let index = 0; index < STATIONS; index++) {
    const kecamatan = index % KECAMATAN;
    const id = `st-${index}`;
    const silent = index % 33 === 0;
    const canRecord = index % 20 !== 0;
    const heardAt = silent ? longAgo : heard;
    stations.push([
      id,
      `Loket ${Math.floor(index / KECAMATAN) + 1}`,
      `Kecamatan ${kecamatan}`,
      monthAgo,
      'bench',
      monthAgo,
      districtCode(kecamatan % DISTRICTS),
      heardAt,
      JSON.stringify(heartbeatPayload(nowMs, canRecord)),
      heardAt,
      heardAt,
    ]);
    availability.push([id, canRecord ? 1 : 0, heardAt]);
    if (!canRecord) {
      spans.push([
        `span-${index}`,
        id,
        'cannot-record',
        new Date(nowMs - (index % 48) * 3_600_000).toISOString(),
      ]);
    }
    if (index % 10 === 0) {
      const firstSeen = new Date(nowMs - (index % 500) * 3_600_000).toISOString();
      faults.push([id, firstSeen, now]);
    }
    consumables.push([`c-${index}`, id, now, (index * 37) % 500, '[]']);
  }
  await db.transaction(async (transaction) => {
    await insertRows(
      transaction,
      'stations',
      [
        'id',
        'name',
        'kecamatan',
        'created_at',
        'public_key',
        'enrolled_at',
        'district_code',
        'heard_at',
        'last_heartbeat',
        'last_heartbeat_at',
        'last_seen_at',
      ],
      stations,
    );
    await insertRows(
      transaction,
      'station_availability',
      ['station_id', 'can_record', 'last_heartbeat_at'],
      availability,
    );
    await insertRows(transaction, 'availability_spans', ['id', 'station_id', 'kind', 'started_at'], spans);
    await insertRows(
      transaction,
      'faults',
      [
        'station_id',
        'fault_id',
        'role',
        'code',
        'severity',
        'status',
        'state',
        'message',
        'first_seen',
        'last_seen',
        'occurrences',
        'flapping',
        'recurring',
        'opened_at',
        'last_event_id',
        'last_seq',
        'updated_at',
      ],
      faults.map(([id, firstSeen, updated]) => [
        id,
        'fp-1',
        'fingerprint',
        'FINGERPRINT_MISSING',
        'critical',
        'fault',
        'open',
        '{"id":"Pemindai sidik jari tidak terdeteksi","en":"Fingerprint scanner not detected"}',
        firstSeen,
        updated,
        1,
        0,
        0,
        firstSeen,
        'e',
        1,
        updated,
      ]),
    );
    await insertRows(
      transaction,
      'consumable_reports',
      ['event_id', 'station_id', 'at', 'blank_cards', 'ribbons'],
      consumables,
    );
  });
}
