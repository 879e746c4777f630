// The map the loan suggestions rank by: each office's coordinates and technicians' emails
// (kecamatan_offices; '' is the district office), and the district's own table of travel between
// two offices (kecamatan_distances), changed by an admin through the dashboard.
import type { DistanceView, OfficeMap, OfficeRequest, OfficeView } from '../../dash-api';
import { OfficeRequestSchema } from '../../dash-api';
import { checkKecamatan } from '../calendar/store';
import type { Db, SqlValue } from '../db/types';
import { InvalidInputError, NotFoundError } from '../errors';
import type { Scope } from '../tenancy/scope';
import { DEFAULT_DISTRICT, scopeCondition } from '../tenancy/scope';
import type { Coordinates, DistanceEntry } from './travel';
import { officeKey, pairOf, ROAD_FACTOR, SPEED_KMH } from './travel';

export interface Offices {
  /** By office key ('' the district office): only offices with coordinates. */
  coordinates: Map<string, Coordinates>;
  /** By office key: the technicians' addresses (possibly none). */
  emails: Map<string, string[]>;
  distances: DistanceEntry[];
}

interface OfficeRow {
  kecamatan: string;
  latitude: number | string | null;
  longitude: number | string | null;
  technician_emails: string;
  updated_at: string;
}

interface DistanceRow {
  kecamatan_a: string;
  kecamatan_b: string;
  road_km: number | string | null;
  travel_minutes: number | string | null;
  updated_at: string;
}

const numberOrNull = (value: number | string | null): number | null =>
  value === null ? null : Number(value);
const officeName = (key: string): string | null => (key === '' ? null : key);

function emailsOf(row: OfficeRow): string[] {
  const parsed = OfficeRequestSchema.shape.technicianEmails.safeParse(JSON.parse(row.technician_emails));
  return parsed.success ? parsed.data : [];
}

export async function loadOffices(db: Db): Promise<Offices> {
  const offices = await db.query<OfficeRow>('SELECT * FROM kecamatan_offices');
  const distances = await db.query<DistanceRow>('SELECT * FROM kecamatan_distances');
  const coordinates = new Map<string, Coordinates>();
  const emails = new Map<string, string[]>();
  for (const row of offices) {
    if (row.latitude !== null && row.longitude !== null) {
      coordinates.set(row.kecamatan, { latitude: Number(row.latitude), longitude: Number(row.longitude) });
    }
    emails.set(row.kecamatan, emailsOf(row));
  }
  return {
    coordinates,
    emails,
    distances: distances.map((row) => ({
      from: officeName(row.kecamatan_a),
      to: officeName(row.kecamatan_b),
      roadKm: numberOrNull(row.road_km),
      minutes: numberOrNull(row.travel_minutes),
    })),
  };
}

/** GET /api/dash/offices: the district office first, then every kecamatan with a station or an office row. */
export async function officeMap(db: Db, scope?: Scope): Promise<OfficeMap> {
  // Offices are keyed by kecamatan name alone (not yet per district): a scoped caller sees the
  // district office and the kecamatan its own stations name, never another district's names.
  const stationParams: SqlValue[] = [];
  const stationNames = (
    await db.query<{ kecamatan: string }>(
      `SELECT DISTINCT kecamatan FROM stations WHERE 1 = 1${scopeCondition(scope, 'district_code', stationParams)}`,
      stationParams,
    )
  ).map((row) => row.kecamatan);
  const visible = (key: string): boolean => key === '' || scope === undefined || stationNames.includes(key);
  const rows = new Map(
    (await db.query<OfficeRow>('SELECT * FROM kecamatan_offices'))
      .filter((row) => visible(row.kecamatan))
      .map((row) => [row.kecamatan, row]),
  );
  const names = new Set<string>([...stationNames, ...rows.keys()]);
  names.delete('');
  const offices: OfficeView[] = [
    '',
    ...[...names].sort((left, right) => left.localeCompare(right, 'id')),
  ].map((key) => {
    const row = rows.get(key);
    return {
      kecamatan: officeName(key),
      latitude: row === undefined ? null : numberOrNull(row.latitude),
      longitude: row === undefined ? null : numberOrNull(row.longitude),
      technicianEmails: row === undefined ? [] : emailsOf(row),
      updatedAt: row?.updated_at ?? null,
    };
  });
  const distances = (
    await db.query<DistanceRow>('SELECT * FROM kecamatan_distances ORDER BY kecamatan_a, kecamatan_b')
  ).filter((row) => visible(row.kecamatan_a) && visible(row.kecamatan_b));
  return {
    offices,
    distances: distances.map((row): DistanceView => ({
      from: officeName(row.kecamatan_a),
      to: officeName(row.kecamatan_b),
      roadKm: numberOrNull(row.road_km),
      minutes: numberOrNull(row.travel_minutes),
      updatedAt: row.updated_at,
    })),
    roadFactor: ROAD_FACTOR,
    speedKmh: SPEED_KMH,
  };
}

/** An office named in a setting: the district office, or a kecamatan that has a station (`field` names it). */
async function checkOffice(db: Db, kecamatan: string | null, field: string): Promise<void> {
  if (kecamatan === null) {
    return;
  }
  try {
    // TODO(tenancy): offices are not yet per district; the default district's stations name them.
    await checkKecamatan(db, kecamatan, DEFAULT_DISTRICT);
  } catch (error) {
    throw error instanceof NotFoundError
      ? new InvalidInputError(`${field}: tidak ada stasiun di kecamatan ${kecamatan} / ${error.message}`)
      : error;
  }
}

/** Sets an office's coordinates (both or neither) and technicians' emails. */
export async function setOffice(db: Db, input: OfficeRequest, nowMs: number): Promise<void> {
  const office = OfficeRequestSchema.parse(input);
  if ((office.latitude === null) !== (office.longitude === null)) {
    throw new InvalidInputError(
      `${office.latitude === null ? 'latitude' : 'longitude'}: isi lintang dan bujur bersama-sama / give latitude and longitude together`,
    );
  }
  const emails = [...new Set(office.technicianEmails.map((email) => email.trim().toLowerCase()))];
  await db.transaction(async (transaction) => {
    await checkOffice(transaction, office.kecamatan, 'kecamatan');
    const key = officeKey(office.kecamatan);
    await transaction.run('DELETE FROM kecamatan_offices WHERE kecamatan = $1', [key]);
    await transaction.run(
      `INSERT INTO kecamatan_offices (kecamatan, latitude, longitude, technician_emails, updated_at)
       VALUES ($1, $2, $3, $4, $5)`,
      [key, office.latitude, office.longitude, JSON.stringify(emails), new Date(nowMs).toISOString()],
    );
  });
}

/** Sets (or removes) the table's entry between two offices. */
export async function setDistance(
  db: Db,
  input: {
    from: string | null;
    to: string | null;
    roadKm: number | null;
    minutes: number | null;
    remove: boolean;
    nowMs: number;
  },
): Promise<void> {
  const [a, b] = pairOf(input.from, input.to);
  if (a === b) {
    throw new InvalidInputError('to: pilih kantor lain dari "dari" / choose another office than "from"');
  }
  if (!input.remove && input.roadKm === null && input.minutes === null) {
    throw new InvalidInputError(
      'roadKm: isi km jalan atau menit perjalanan / give road km or travel minutes',
    );
  }
  await db.transaction(async (transaction) => {
    if (input.remove) {
      const removed = await transaction.run(
        'DELETE FROM kecamatan_distances WHERE kecamatan_a = $1 AND kecamatan_b = $2',
        [a, b],
      );
      if (removed === 0) {
        throw new NotFoundError('the table has no entry between these offices');
      }
      return;
    }
    await checkOffice(transaction, input.from, 'from');
    await checkOffice(transaction, input.to, 'to');
    await transaction.run('DELETE FROM kecamatan_distances WHERE kecamatan_a = $1 AND kecamatan_b = $2', [
      a,
      b,
    ]);
    await transaction.run(
      `INSERT INTO kecamatan_distances (kecamatan_a, kecamatan_b, road_km, travel_minutes, updated_at)
       VALUES ($1, $2, $3, $4, $5)`,
      [a, b, input.roadKm, input.minutes, new Date(input.nowMs).toISOString()],
    );
  });
}
