// Loans of devices between stations ("pinjam pakai"): a formal, dated record of which device went
// from where to where, why, under which letter, and when it came back.
import type { LoanView, Page } from '../../dash-api';
import type { Db, SqlValue } from '../db/types';
import { pageClause } from '../db/types';
import type { Scope } from '../tenancy/scope';
import { scopeCondition } from '../tenancy/scope';
import { newId } from '../db/ids';
import { ConflictError } from '../errors';

export type { LoanView } from '../../dash-api';

/** A loan that cannot be made or returned as asked (409). */
export class LoanError extends ConflictError {}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export async function createLoan(
  db: Db,
  input: {
    deviceId: string;
    toStationId: string;
    startsOn: string;
    dueOn: string;
    reference: string;
    purpose: string;
    createdBy: string;
    nowMs: number;
  },
): Promise<string> {
  if (!DATE.test(input.startsOn) || !DATE.test(input.dueOn) || input.dueOn < input.startsOn) {
    throw new LoanError('a loan needs a start date and a due date (YYYY-MM-DD) not before it');
  }
  const id = `pp-${newId(input.nowMs).toLowerCase()}`;
  await db.transaction(async (transaction) => {
    // The device's row is locked until commit, so two loans of one device at once cannot both see
    // it free (PostgreSQL reads committed rows; SQLite runs one transaction at a time anyway).
    const [device] = await transaction.query<{ station_id: string | null; district_code: string }>(
      `SELECT station_id, district_code FROM devices WHERE id = $1${transaction.dialect === 'postgres' ? ' FOR UPDATE' : ''}`,
      [input.deviceId],
    );
    if (device === undefined) {
      throw new LoanError('no such device');
    }
    if (device.station_id === input.toStationId) {
      throw new LoanError('the device is at that station already');
    }
    const open = await transaction.query(
      'SELECT id FROM loans WHERE device_id = $1 AND returned_on IS NULL',
      [input.deviceId],
    );
    if (open.length > 0) {
      throw new LoanError('the device is on loan already; record its return first');
    }
    const [station] = await transaction.query<{ district_code: string }>(
      'SELECT district_code FROM stations WHERE id = $1',
      [input.toStationId],
    );
    if (station === undefined) {
      throw new LoanError('no such station');
    }
    // A loan stays within one district (pinjam pakai is the district's own record).
    if (station.district_code !== device.district_code) {
      throw new LoanError('the device and the station belong to different districts');
    }
    await transaction.run(
      `INSERT INTO loans (id, device_id, from_station_id, to_station_id, starts_on, due_on, reference, purpose, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        id,
        input.deviceId,
        device.station_id,
        input.toStationId,
        input.startsOn,
        input.dueOn,
        input.reference,
        input.purpose,
        input.createdBy,
        new Date(input.nowMs).toISOString(),
      ],
    );
    await transaction.run(
      `UPDATE devices SET station_id = $1, status = 'installed', updated_at = $2 WHERE id = $3`,
      [input.toStationId, new Date(input.nowMs).toISOString(), input.deviceId],
    );
  });
  return id;
}

/** The device goes back where it came from (a station, or the shelf). */
export async function returnLoan(
  db: Db,
  input: { loanId: string; returnedOn: string; nowMs: number },
): Promise<void> {
  if (!DATE.test(input.returnedOn)) {
    throw new LoanError('a return date is YYYY-MM-DD');
  }
  await db.transaction(async (transaction) => {
    const [loan] = await transaction.query<{
      device_id: string;
      from_station_id: string | null;
      starts_on: string;
    }>('SELECT device_id, from_station_id, starts_on FROM loans WHERE id = $1 AND returned_on IS NULL', [
      input.loanId,
    ]);
    if (loan === undefined) {
      throw new LoanError('no open loan with this id');
    }
    if (input.returnedOn < loan.starts_on) {
      throw new LoanError('a loan cannot be returned before it started');
    }
    await transaction.run('UPDATE loans SET returned_on = $1 WHERE id = $2', [
      input.returnedOn,
      input.loanId,
    ]);
    await transaction.run('UPDATE devices SET station_id = $1, status = $2, updated_at = $3 WHERE id = $4', [
      loan.from_station_id,
      loan.from_station_id === null ? 'spare' : 'installed',
      new Date(input.nowMs).toISOString(),
      loan.device_id,
    ]);
  });
}

/** The district a loan belongs to (its device's): code and name, or null when there is no such loan. */
export async function loanDistrict(db: Db, loanId: string): Promise<{ code: string; name: string } | null> {
  const [row] = await db.query<{ code: string; name: string }>(
    `SELECT di.code, di.name FROM loans l JOIN devices d ON d.id = l.device_id JOIN districts di ON di.code = d.district_code
     WHERE l.id = $1`,
    [loanId],
  );
  return row ?? null;
}

export async function listLoans(
  db: Db,
  filter: { id?: string; scope?: Scope } = {},
  page?: Page,
): Promise<LoanView[]> {
  const params: SqlValue[] = [filter.id ?? ''];
  const inScope = scopeCondition(filter.scope, 'd.district_code', params);
  const paged = pageClause(page, params);
  const rows = await db.query<Record<string, string | null>>(
    `SELECT l.*, d.serial_number, d.vendor, d.model, d.role,
       fs.name AS from_name, fs.kecamatan AS from_kecamatan, ts.name AS to_name, ts.kecamatan AS to_kecamatan
     FROM loans l JOIN devices d ON d.id = l.device_id
     LEFT JOIN stations fs ON fs.id = l.from_station_id JOIN stations ts ON ts.id = l.to_station_id
     WHERE ($1 = '' OR l.id = $1)${inScope}
     ORDER BY CASE WHEN l.returned_on IS NULL THEN 0 ELSE 1 END, l.starts_on DESC, l.id DESC${paged.sql}`,
    paged.params,
  );
  return rows.map((row) => ({
    id: String(row.id),
    deviceId: String(row.device_id),
    serialNumber: row.serial_number,
    vendor: row.vendor,
    model: row.model,
    role: row.role,
    fromStationId: row.from_station_id,
    fromStationName: row.from_name,
    fromKecamatan: row.from_kecamatan,
    toStationId: String(row.to_station_id),
    toStationName: String(row.to_name),
    toKecamatan: String(row.to_kecamatan),
    startsOn: String(row.starts_on),
    dueOn: String(row.due_on),
    returnedOn: row.returned_on,
    reference: String(row.reference),
    purpose: String(row.purpose),
    createdBy: String(row.created_by),
    createdAt: String(row.created_at),
  }));
}
