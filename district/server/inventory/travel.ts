// How far apart two offices are for a loan: the district's own table (road km and/or minutes)
// wins; without an entry, the great-circle distance between the offices' coordinates times a road
// factor (shown as "perkiraan"); without coordinates, unknown. Pure.
import type { Travel } from '../../dash-api';

/** Roads between kecamatan offices wind: the road is about this many times the straight line. */
export const ROAD_FACTOR = 1.4;
/** Average speed on district roads, km/h, to turn km into minutes for the ranking. */
export const SPEED_KMH = 40;
const EARTH_RADIUS_KM = 6371;

export interface Coordinates {
  latitude: number;
  longitude: number;
}

/** One entry of the table; `null` office is the district office. */
export interface DistanceEntry {
  from: string | null;
  to: string | null;
  roadKm: number | null;
  minutes: number | null;
}

/** Great-circle (haversine) distance in km. */
export function greatCircleKm(from: Coordinates, to: Coordinates): number {
  const radians = (degrees: number): number => (degrees * Math.PI) / 180;
  const dLatitude = radians(to.latitude - from.latitude);
  const dLongitude = radians(to.longitude - from.longitude);
  const a =
    Math.sin(dLatitude / 2) ** 2 +
    Math.cos(radians(from.latitude)) * Math.cos(radians(to.latitude)) * Math.sin(dLongitude / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** The key of an office in maps: '' for the district office, as in the database. */
export const officeKey = (kecamatan: string | null): string => kecamatan ?? '';

/** The two offices of a table entry in one order (code units, the same on every engine). */
export function pairOf(left: string | null, right: string | null): [string, string] {
  const [a, b] = [officeKey(left), officeKey(right)];
  return a < b ? [a, b] : [b, a];
}

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

export function travelBetween(
  from: string | null,
  to: string | null,
  coordinates: ReadonlyMap<string, Coordinates>,
  table: readonly DistanceEntry[],
): Travel {
  if (officeKey(from) === officeKey(to)) {
    return { source: 'same-kecamatan', km: 0, minutes: 0, minutesFromTable: false, straightKm: 0 };
  }
  const start = coordinates.get(officeKey(from));
  const end = coordinates.get(officeKey(to));
  const straightKm = start && end ? round(greatCircleKm(start, end), 1) : null;
  const [a, b] = pairOf(from, to);
  const entry = table.find((candidate) => {
    const [x, y] = pairOf(candidate.from, candidate.to);
    return x === a && y === b;
  });
  if (entry !== undefined) {
    return {
      source: 'table',
      km: entry.roadKm,
      minutes: entry.minutes ?? (entry.roadKm === null ? null : Math.round((entry.roadKm / SPEED_KMH) * 60)),
      minutesFromTable: entry.minutes !== null,
      straightKm,
    };
  }
  if (straightKm === null) {
    return { source: 'unknown', km: null, minutes: null, minutesFromTable: false, straightKm: null };
  }
  const km = round(straightKm * ROAD_FACTOR, 1);
  return {
    source: 'estimate',
    km,
    minutes: Math.round((km / SPEED_KMH) * 60),
    minutesFromTable: false,
    straightKm,
  };
}
