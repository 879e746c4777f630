// The setup shared by the tests of the figures' summary (figures-summary-hostile, figures-ahead,
// figures-ahead-hostile): a test district on SQLite or on its own PostgreSQL database with a clock
// the test moves, stations enrolled at a given time, and heartbeats every 5 minutes through the real
// intake (storeEvents).
import { openDatabase } from '../../district/server/db/open';
import type { Db } from '../../district/server/db/types';
import { storeEvents } from '../../district/server/intake/intake';
import type { Event, HeartbeatPayload } from '../../protocol/events';
import { HEALTHY, heartbeat } from './dashboard';
import { startTestDistrict, TestStation } from './district';
import type { TestDistrict } from './district';
import type { TestPostgres } from './postgres';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** The heartbeat window of the figures under test. */
export const WINDOW = 10 * MINUTE;
/** A station's roles while it cannot record. */
export const BROKEN = { ...HEALTHY, fingerprint: 'fault' } as const;
/** Local time of a date in WIB (+07:00). */
export const wib = (date: string, time = '00:00'): number => Date.parse(`${date}T${time}:00+07:00`);

export interface FiguresDistrict {
  district: TestDistrict;
  clock: { now: number };
  /** The PostgreSQL database's address; undefined on SQLite. */
  url: string | undefined;
}

let databases = 0;

/**
 * The database's address for `engine`: undefined for SQLite (the test district's own file), a new
 * PostgreSQL database named `prefix` and a number otherwise.
 */
export async function databaseUrl(
  engine: 'sqlite' | 'postgres',
  postgres: TestPostgres,
  prefix: string,
): Promise<string | undefined> {
  if (engine === 'sqlite') {
    return undefined;
  }
  const name = `${prefix}${++databases}`;
  const admin = await openDatabase({ url: postgres.url, dataDir: '/nonexistent' });
  await admin.run(`CREATE DATABASE ${name}`);
  await admin.close();
  return postgres.url.replace(/\/postgres$/, `/${name}`);
}

/** A test district on `engine`, its clock at `nowMs`, the views' heartbeat window WINDOW. */
export async function startFiguresDistrict(
  engine: 'sqlite' | 'postgres',
  postgres: TestPostgres,
  prefix: string,
  nowMs: number,
): Promise<FiguresDistrict> {
  const url = await databaseUrl(engine, postgres, prefix);
  const clock = { now: nowMs };
  const district = await startTestDistrict({ url, now: () => clock.now, dashboard: { heartbeatWindowMs: WINDOW } });
  return { district, clock, url };
}

/** A station enrolled as `name` in `kecamatan` with the clock at `atMs`. */
export async function enrolledAt(setup: Pick<FiguresDistrict, 'district' | 'clock'>, name: string, kecamatan: string, atMs: number): Promise<TestStation> {
  setup.clock.now = atMs;
  const station = new TestStation();
  await station.enroll(setup.district, name, kecamatan);
  return station;
}

/**
 * Heartbeats every 5 minutes in [fromMs, toMs) stored through the intake at `storedAt` (default
 * toMs, the clock set to it), in calls of at most `perCall` events (default: one call).
 */
export async function heartbeatsEvery5Minutes(
  setup: { clock: { now: number }; db: Db },
  station: TestStation,
  fromMs: number,
  toMs: number,
  options: {
    roles?: HeartbeatPayload['roleStatus'];
    source?: 'http' | 'bundle';
    storedAt?: number;
    perCall?: number;
  } = {},
): Promise<void> {
  const events: Event[] = [];
  for (let at = fromMs; at < toMs; at += 5 * MINUTE) {
    events.push(heartbeat(station, at, options.roles ?? HEALTHY));
  }
  const storedAt = options.storedAt ?? toMs;
  setup.clock.now = storedAt;
  const store = (slice: Event[]): Promise<unknown> =>
    storeEvents(setup.db, station.stationId, slice, { nowMs: storedAt, source: options.source ?? 'http', heartbeatWindowMs: WINDOW });
  if (options.perCall === undefined) {
    await store(events);
    return;
  }
  for (let first = 0; first < events.length; first += options.perCall) {
    await store(events.slice(first, first + options.perCall));
  }
}
