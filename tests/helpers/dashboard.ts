// Helpers for dashboard tests: staff accounts (cheap scrypt parameters: the default costs 0.4 s
// per hash), logging in through the API, and stations posting signed events at a given time.
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { addUser } from '../../district/server/auth/users';
import { setServiceWeek } from '../../district/server/calendar/store';
import type { ServiceWeek } from '../../district/dash-api';
import type { Db } from '../../district/server/db/types';
import type { Event, HeartbeatPayload } from '../../protocol/events';
import { PATHS } from '../../protocol/requests';
import type { EventsResponse } from '../../protocol/requests';
import type { TestDistrict, TestStation } from './district';

export const TEST_SCRYPT = { cost: 2 ** 10, blockSize: 8, parallelization: 1 };
export const PASSWORD = 'kata-sandi-uji-123';
export const STAFF = { admin: 'admin', technician: 'teknisi', viewer: 'pemantau' } as const;
const NAMES: Record<string, string> = {
  admin: 'Ibu Ratna',
  technician: 'Budi Santoso',
  viewer: 'Sekretariat',
};

export async function addStaff(db: Db): Promise<void> {
  for (const [role, username] of Object.entries(STAFF)) {
    await addUser(
      db,
      { username, name: NAMES[role], email: `${username}@example.go.id`, role, password: PASSWORD },
      TEST_SCRYPT,
    );
  }
}

export interface Login {
  cookie: string;
  csrf: string;
}

export async function login(app: FastifyInstance, username: string, password = PASSWORD): Promise<Login> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/dash/login',
    payload: { username, password },
  });
  if (response.statusCode !== 200) {
    throw new Error(`login ${username}: ${response.statusCode} ${response.body}`);
  }
  const setCookie = String(response.headers['set-cookie']);
  return { cookie: setCookie.split(';')[0], csrf: (response.json() as { csrfToken: string }).csrfToken };
}

/** Headers of a staff request: the cookie, and the CSRF token (and JSON type) for a POST. */
export function staffHeaders(session: Login, method = 'GET'): Record<string, string> {
  return method === 'GET'
    ? { cookie: session.cookie }
    : { cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': 'application/json' };
}

/** A staff POST of `body` as JSON: asserts the status (200 unless told) and returns the parsed reply. */
export async function staffPost<T>(
  app: FastifyInstance,
  url: string,
  body: unknown,
  session: Login,
  status = 200,
): Promise<T> {
  const response = await app.inject({
    method: 'POST',
    url,
    payload: JSON.stringify(body),
    headers: staffHeaders(session, 'POST'),
  });
  assert.equal(response.statusCode, status, `${url}: ${response.body}`);
  return response.json() as T;
}

/** POST /api/v1/events signed by `station` at `nowMs`, whatever the events are: the raw answer. */
export function injectEvents(district: TestDistrict, station: TestStation, events: unknown[], nowMs: number) {
  const body = JSON.stringify({ events });
  return district.app.inject({
    method: 'POST',
    url: PATHS.events,
    payload: body,
    headers: station.headers('POST', PATHS.events, body, nowMs),
  });
}

export async function postEvents(
  district: TestDistrict,
  station: TestStation,
  events: Event[],
  nowMs: number,
): Promise<EventsResponse> {
  const response = await injectEvents(district, station, events, nowMs);
  if (response.statusCode !== 200) {
    throw new Error(`events: ${response.statusCode} ${response.body}`);
  }
  return response.json() as EventsResponse;
}

export function heartbeat(
  station: TestStation,
  atMs: number,
  roleStatus: HeartbeatPayload['roleStatus'],
  canPrint = true,
): Event {
  const recording = ['camera', 'fingerprint', 'iris', 'signature', 'network'] as const;
  return station.event(
    'heartbeat',
    {
      roleStatus,
      canRecord: recording.every((role) => ['ok', 'in-use', 'warning'].includes(roleStatus[role] ?? 'ok')),
      canPrint,
      appVersion: '0.1.0',
      queueDepth: 0,
      lastCheckAt: new Date(atMs).toISOString(),
    },
    atMs,
  );
}

export const HEALTHY = {
  camera: 'ok',
  fingerprint: 'ok',
  iris: 'ok',
  signature: 'ok',
  network: 'ok',
  'card-printer': 'ok',
} as const;

/** Open every day, all day: for tests whose clock is the real one (any day, any hour). */
export const ALL_WEEK: ServiceWeek = {
  mon: ['00:00-24:00'],
  tue: ['00:00-24:00'],
  wed: ['00:00-24:00'],
  thu: ['00:00-24:00'],
  fri: ['00:00-24:00'],
  sat: ['00:00-24:00'],
  sun: ['00:00-24:00'],
};

/** Sets the district's service hours to ALL_WEEK, so that silence always counts against recording. */
export async function openAllWeek(db: Db): Promise<void> {
  await setServiceWeek(db, { kecamatan: null, week: ALL_WEEK, nowMs: Date.now() });
}
