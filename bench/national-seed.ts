// The country of bench/national.ts written straight into the database: 38 provinces, 514 districts
// (WIB, WITA, WIT), 7,300 kecamatan, 20,000 stations heard 30 s ago (every 33rd silent for 3 h, every
// 20th unable to record since up to 2 days), an open fault on every 10th, a consumables report each.
import type { Db } from '../district/server/db/types';
import { addDistrict, addProvince } from '../district/server/tenancy/districts';

export const PROVINCES = 38;
export const DISTRICTS = 514;
export const KECAMATAN = 7300;
export const STATIONS = 20_000;
const ZONES = ['WIB', 'WITA', 'WIT'] as const;

export const provinceCode = (index: number): string => `P${String(index).padStart(2, '0')}`;
const districtCode = (index: number): string => `${provinceCode(index % PROVINCES)}.${String(index).padStart(3, '0')}`;

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
  await db.transaction(async (transaction) => {
    for (let index = 0; index < STATIONS; index++) {
      const kecamatan = index % KECAMATAN;
      const district = districtCode(kecamatan % DISTRICTS);
      const id = `st-${index}`;
      const silent = index % 33 === 0;
      const canRecord = index % 20 !== 0;
      const heartbeat = JSON.stringify({
        roleStatus: { camera: 'ok', fingerprint: canRecord ? 'ok' : 'fault', iris: 'ok', signature: 'ok', network: 'ok' },
        canRecord,
        canPrint: true,
        appVersion: '0.1.0',
        queueDepth: 0,
        lastCheckAt: now,
      });
      await transaction.run(
        `INSERT INTO stations (id, name, kecamatan, created_at, public_key, enrolled_at, district_code, heard_at,
           last_heartbeat, last_heartbeat_at, last_seen_at)
         VALUES ($1, $2, $3, $4, 'bench', $4, $5, $6, $7, $6, $6)`,
        [id, `Loket ${Math.floor(index / KECAMATAN) + 1}`, `Kecamatan ${kecamatan}`, monthAgo, district, silent ? longAgo : heard, heartbeat],
      );
      await transaction.run(
        'INSERT INTO station_availability (station_id, can_record, last_heartbeat_at) VALUES ($1, $2, $3)',
        [id, canRecord ? 1 : 0, silent ? longAgo : heard],
      );
      if (!canRecord) {
        await transaction.run(
          `INSERT INTO availability_spans (id, station_id, kind, started_at) VALUES ($1, $2, 'cannot-record', $3)`,
          [`span-${index}`, id, new Date(nowMs - (index % 48) * 3_600_000).toISOString()],
        );
      }
      if (index % 10 === 0) {
        const firstSeen = new Date(nowMs - (index % 500) * 3_600_000).toISOString();
        await transaction.run(
          `INSERT INTO faults (station_id, fault_id, role, code, severity, status, state, message, first_seen, last_seen,
             occurrences, flapping, recurring, opened_at, last_event_id, last_seq, updated_at)
           VALUES ($1, 'fp-1', 'fingerprint', 'FINGERPRINT_MISSING', 'critical', 'fault', 'open',
             '{"id":"Pemindai sidik jari tidak terdeteksi","en":"Fingerprint scanner not detected"}', $2, $3, 1, 0, 0, $2, 'e', 1, $3)`,
          [id, firstSeen, now],
        );
      }
      await transaction.run(
        `INSERT INTO consumable_reports (event_id, station_id, at, blank_cards, ribbons) VALUES ($1, $2, $3, $4, '[]')`,
        [`c-${index}`, id, now, (index * 37) % 500],
      );
    }
  });
}
