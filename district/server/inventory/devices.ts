// Every device by serial number: where it is (a station, or the district's shelf as a spare),
// whether it works (no active fault names it), kept in sync with the stations' inventory events.
// A device is its district's: the same vendor and serial number in two districts (cloned serials
// like "0000" are common on cheap scanners) are two devices, each seen and moved by its own
// district only (deviceIdOf, migration 731).
import type { InventoryItem, InventoryPayload, InventoryReportedPayload } from '../../../protocol/events';
import type { DeviceIdentity } from '../../../protocol/verdict';
import type { DeviceStatus, DeviceView, Page } from '../../dash-api';
import type { Db, SqlValue } from '../db/types';
import { pageClause } from '../db/types';
import type { Scope } from '../tenancy/scope';
import { DEFAULT_DISTRICT, scopeCondition } from '../tenancy/scope';
import { ConflictError } from '../errors';
import { ACTIVE_STATES_SQL } from '../faults/repository';

export type { DeviceStatus, DeviceView } from '../../dash-api';

/**
 * One id per physical device of a district: by serial number when the device reports one, else by
 * its key on the station. The default district's ids are `sn:<vendor>:<serial>` / `key:<station>:<key>`
 * as they always were; another district's are the same prefixed with `d:<district>:` (district codes
 * hold no colon, and unprefixed ids never start with `d:`, so no two districts' ids can meet).
 */
export function deviceIdOf(device: DeviceIdentity, stationId: string, district: string): string {
  const id =
    device.serialNumber !== undefined && device.serialNumber !== ''
      ? `sn:${(device.vendor ?? '').toLowerCase()}:${device.serialNumber}`
      : `key:${stationId}:${device.key}`;
  return district === DEFAULT_DISTRICT ? id : `d:${district}:${id}`;
}

/** The district of an enrolled station (whose inventory is being applied). */
async function stationDistrict(db: Db, stationId: string): Promise<string> {
  const [station] = await db.query<{ district_code: string }>('SELECT district_code FROM stations WHERE id = $1', [
    stationId,
  ]);
  if (station === undefined) {
    throw new Error(`no station ${stationId}`);
  }
  return station.district_code;
}

/**
 * The device is installed at the station in that role (a newer record of it is never overwritten).
 * Its district never changes: the id holds it, so a row of another district is never touched.
 */
async function installDevice(
  db: Db,
  station: { id: string; district: string },
  item: InventoryItem,
  atIso: string,
): Promise<string> {
  const stationId = station.id;
  const id = deviceIdOf(item.device, stationId, station.district);
  await db.run(
    `INSERT INTO devices (id, serial_number, device_key, vendor, model, role, station_id, status, first_seen_at, updated_at, district_code)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'installed', $8, $8, $9)
     ON CONFLICT (id) DO UPDATE SET device_key = excluded.device_key, vendor = COALESCE(excluded.vendor, devices.vendor),
       model = COALESCE(excluded.model, devices.model), role = COALESCE(excluded.role, devices.role),
       station_id = excluded.station_id, status = 'installed', updated_at = excluded.updated_at
     WHERE devices.updated_at <= excluded.updated_at AND devices.district_code = excluded.district_code`,
    [
      id,
      item.device.serialNumber ?? null,
      item.device.key,
      item.device.vendor ?? null,
      item.device.model ?? null,
      item.role,
      stationId,
      atIso,
      station.district,
    ],
  );
  return id;
}

export async function applyInventoryChange(
  db: Db,
  stationId: string,
  change: InventoryPayload,
  atIso: string,
): Promise<void> {
  const station = { id: stationId, district: await stationDistrict(db, stationId) };
  for (const item of change.added) {
    await installDevice(db, station, item, atIso);
  }
  for (const item of change.removed) {
    // Only where the device still is at this station: it may be installed elsewhere already.
    await db.run(
      `UPDATE devices SET status = 'removed', updated_at = $1 WHERE id = $2 AND station_id = $3 AND updated_at <= $1`,
      [atIso, deviceIdOf(item.device, stationId, station.district), stationId],
    );
  }
}

/**
 * A station's whole inventory (`inventory.reported`): every device in it is installed there; a
 * device recorded as installed at the station and missing from it was removed. A unit standing in
 * for the profile's one (`replacesSerialNumber`) is recorded with its own serial number in the role,
 * and the replaced unit, when the district knew it at this station, is marked removed.
 */
export async function applyInventoryReport(
  db: Db,
  stationId: string,
  report: InventoryReportedPayload,
  atIso: string,
): Promise<void> {
  const station = { id: stationId, district: await stationDistrict(db, stationId) };
  const present: string[] = [];
  for (const item of report.devices) {
    present.push(await installDevice(db, station, item, atIso));
  }
  const keep = present.map((_, index) => `$${index + 3}`).join(', ');
  await db.run(
    `UPDATE devices SET status = 'removed', updated_at = $1
     WHERE station_id = $2 AND status = 'installed' AND updated_at <= $1${keep === '' ? '' : ` AND id NOT IN (${keep})`}`,
    [atIso, stationId, ...present],
  );
}

/** A spare on the district's shelf, entered by staff. Returns its id (another district's same serial is another device). */
export async function addSpare(
  db: Db,
  input: {
    serialNumber: string;
    vendor: string;
    model: string;
    role: string | null;
    note: string;
    nowMs: number;
    district?: string;
  },
): Promise<string> {
  const district = input.district ?? DEFAULT_DISTRICT;
  const id = deviceIdOf(
    { key: `spare:${input.serialNumber}`, serialNumber: input.serialNumber, vendor: input.vendor },
    '',
    district,
  );
  const now = new Date(input.nowMs).toISOString();
  const changed = await db.run(
    `INSERT INTO devices (id, serial_number, device_key, vendor, model, role, station_id, status, first_seen_at, updated_at, note, district_code)
     VALUES ($1, $2, NULL, $3, $4, $5, NULL, 'spare', $6, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
    [id, input.serialNumber, input.vendor, input.model, input.role, now, input.note, district],
  );
  if (changed === 0) {
    throw new ConflictError(`a device with serial number ${input.serialNumber} is already in the inventory`);
  }
  return id;
}

export async function listDevices(
  db: Db,
  filter: { stationId?: string; scope?: Scope } = {},
  page?: Page,
): Promise<DeviceView[]> {
  const params: SqlValue[] = [filter.stationId ?? ''];
  const inScope = scopeCondition(filter.scope, 'd.district_code', params);
  const paged = pageClause(page, params);
  const rows = await db.query<Record<string, string | number | null>>(
    `SELECT d.*, s.name AS station_name, s.kecamatan,
       (SELECT COUNT(*) FROM faults f WHERE f.station_id = d.station_id AND f.device_key = d.device_key
          AND f.state IN ${ACTIVE_STATES_SQL}) AS active_faults,
       (SELECT l.id FROM loans l WHERE l.device_id = d.id AND l.returned_on IS NULL) AS loan_id
     FROM devices d LEFT JOIN stations s ON s.id = d.station_id
     WHERE ($1 = '' OR d.station_id = $1)${inScope}
     ORDER BY s.kecamatan, s.name, d.role, d.serial_number, d.id${paged.sql}`,
    paged.params,
  );
  return rows.map((row) => ({
    id: String(row.id),
    serialNumber: row.serial_number === null ? null : String(row.serial_number),
    vendor: row.vendor === null ? null : String(row.vendor),
    model: row.model === null ? null : String(row.model),
    role: row.role === null ? null : String(row.role),
    deviceKey: row.device_key === null ? null : String(row.device_key),
    status: String(row.status) as DeviceStatus,
    stationId: row.station_id === null ? null : String(row.station_id),
    stationName: row.station_name === null ? null : String(row.station_name),
    kecamatan: row.kecamatan === null ? null : String(row.kecamatan),
    working: Number(row.active_faults) === 0,
    loanId: row.loan_id === null ? null : String(row.loan_id),
    updatedAt: String(row.updated_at),
    note: row.note === null ? null : String(row.note),
  }));
}
