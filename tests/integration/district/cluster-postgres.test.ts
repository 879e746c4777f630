// Several district server processes on one PostgreSQL behind a real haproxy (docs/cluster.md):
// three `siaga-district serve` processes started at once on a fresh database, haproxy with health
// checks in front, simulated stations (TestStation signs like the agent) delivering through it, and
// one process killed with SIGKILL in the middle. Checked across processes: nothing acknowledged is
// lost or stored twice, a captured request is refused at another process, an enrollment code works
// once, a station's pacing is one bucket, a dashboard session outlives the process that made it,
// login throttling counts every process's failures, and two processes running the escalation timer
// (plus people pressing "run now" at both) send each escalation email once.
// One PostgreSQL, one SMTP peer and one haproxy for the whole file.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { admit, THROTTLE } from '../../../district/server/auth/throttle';
import { addUser } from '../../../district/server/auth/users';
import { openDatabase } from '../../../district/server/db/open';
import type { Db } from '../../../district/server/db/types';
import { addStation } from '../../../district/server/stations/stations';
import type { Event } from '../../../protocol/events';
import { PATHS } from '../../../protocol/requests';
import { HEADER_SIGNATURE } from '../../../protocol/signing';
import type { DistrictProcess, Haproxy } from '../../helpers/cluster';
import { startDistrictProcess, startHaproxy } from '../../helpers/cluster';
import { respellSignature, TestStation } from '../../helpers/district';
import type { TestPostgres } from '../../helpers/postgres';
import { startPostgres } from '../../helpers/postgres';
import type { TestSmtp } from '../../helpers/smtp';
import { startSmtp } from '../../helpers/smtp';

const PASSWORD = 'rahasia-kabupaten-1';
/** Batches per second per station (burst of the same size), low so pacing can be seen. */
const BATCHES_PER_SECOND = 2;
const DASHBOARD_URL = 'http://siaga.test';

const dir = mkdtempSync(join(tmpdir(), 'siaga-cluster-'));
let postgres: TestPostgres;
let smtp: TestSmtp;
let db: Db;
let servers: DistrictProcess[] = [];
let haproxy: Haproxy;
/** A session made at servers[2], the process killed later. */
let session: { cookie: string; csrfToken: string };

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Answer {
  status: number;
  json: Record<string, unknown>;
  headers: Headers;
}

async function call(
  url: string,
  options: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const response = await fetch(url, { method: options.method ?? 'GET', body: options.body, headers: options.headers });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = { text };
  }
  return { status: response.status, json, headers: response.headers };
}

function signedPost(station: TestStation, events: readonly Event[]): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify({ events });
  return { body, headers: station.headers('POST', PATHS.events, body, Date.now()) };
}

async function enrollThrough(base: string, name: string, kecamatan = 'Sragen Kota'): Promise<TestStation> {
  const station = new TestStation();
  const added = await addStation(db, { name, kecamatan });
  const answer = await call(base + PATHS.enroll, {
    method: 'POST',
    body: JSON.stringify({ code: added.code, publicKey: station.publicKeyBase64, appVersion: '0.1.0' }),
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(answer.status, 200, JSON.stringify(answer.json));
  station.stationId = String(answer.json.stationId);
  return station;
}

interface Delivery {
  accepted: string[];
  duplicates: string[];
  /** Attempts that got no answer or a 5xx (the killed process, haproxy's 502/503). */
  failedAttempts: number;
}

/** As the agent delivers: the same events, signed anew for every attempt, until the district answers 200. */
async function deliver(base: string, station: TestStation, events: readonly Event[]): Promise<Delivery> {
  let failedAttempts = 0;
  for (let attempt = 0; attempt < 100; attempt++) {
    const request = signedPost(station, events);
    const answer = await call(base + PATHS.events, { method: 'POST', ...request }).catch(() => null);
    if (answer?.status === 200) {
      return {
        accepted: answer.json.accepted as string[],
        duplicates: answer.json.duplicates as string[],
        failedAttempts,
      };
    }
    if (answer?.status === 429) {
      await sleep(Number(answer.json.retryAfterMs ?? 500));
      continue;
    }
    if (answer === null || answer.status >= 500) {
      failedAttempts++;
      await sleep(100);
      continue;
    }
    throw new Error(`refused: ${answer.status} ${JSON.stringify(answer.json)}`);
  }
  throw new Error(`station ${station.stationId}: no delivery after 100 attempts`);
}

async function login(base: string, username: string, password: string): Promise<Answer> {
  return call(`${base}/api/dash/login`, {
    method: 'POST',
    body: JSON.stringify({ username, password }),
    headers: { 'content-type': 'application/json' },
  });
}

const asStaff = (extra: Record<string, string> = {}): Record<string, string> => ({
  cookie: session.cookie,
  'x-csrf-token': session.csrfToken,
  ...extra,
});

before(async () => {
  postgres = await startPostgres();
  smtp = await startSmtp();
  const escalationFile = join(dir, 'escalation.json');
  writeFileSync(
    escalationFile,
    JSON.stringify({
      // Critical faults unacknowledged for 1.8 s; the load's faults are minor and never match.
      rules: [{ id: 'critical-fast', condition: 'unacknowledged', afterHours: 0.0005, minSeverity: 'critical', notify: 'head' }],
      contacts: { head: { emails: ['kepala.teknisi@kabupaten.test'] } },
      maxSinglePerDay: 1000,
      intervalMinutes: 0.005,
      dashboardUrl: DASHBOARD_URL,
    }),
  );
  const serveArgs = [
    '--db',
    postgres.url,
    '--trust-proxy',
    '127.0.0.1',
    '--max-batches-per-second',
    String(BATCHES_PER_SECOND),
    '--escalation',
    escalationFile,
    '--smtp',
    smtp.url,
  ];
  // At once on an empty database: the migrations must run once, whoever starts first.
  servers = await Promise.all([0, 1, 2].map(() => startDistrictProcess(serveArgs)));
  haproxy = await startHaproxy(servers.map((server, index) => ({ name: `d${index + 1}`, port: server.port })));
  db = await openDatabase({ url: postgres.url, dataDir: dir });
  await addUser(db, { username: 'admin', name: 'Admin Kabupaten', role: 'admin', password: PASSWORD });
  const made = await login(servers[2].url, 'admin', PASSWORD);
  assert.equal(made.status, 200, JSON.stringify(made.json));
  session = {
    cookie: (made.headers.get('set-cookie') ?? '').split(';')[0],
    csrfToken: String(made.json.csrfToken),
  };
});

after(async () => {
  await haproxy?.stop();
  await Promise.all(servers.map((server) => server.stop()));
  await db?.close();
  await smtp?.stop();
  await postgres?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('three processes started at once on an empty database applied each migration once', async () => {
  const rows = await db.query<{ id: number | string; count: number | string }>(
    'SELECT id, COUNT(*) AS count FROM schema_migrations GROUP BY id HAVING COUNT(*) > 1',
  );
  assert.deepEqual(rows, []);
  const [guards] = await db.query<{ count: number | string }>(
    `SELECT COUNT(*) AS count FROM pg_class WHERE relname IN ('request_signatures', 'rate_buckets') AND relpersistence = 'u'`,
  );
  assert.equal(Number(guards.count), 2, 'the shared guard tables are unlogged');
});

test('stations deliver through haproxy while one process is killed: nothing acknowledged lost, nothing stored twice', async () => {
  const stations = await Promise.all(
    Array.from({ length: 10 }, (_, index) => enrollThrough(haproxy.url, `Loket beban ${index + 1}`)),
  );
  const sent: Event[] = [];
  const acceptedIds: string[] = [];
  let duplicates = 0;
  let failedAttempts = 0;
  let stop = false;
  const loops = stations.map(async (station, index) => {
    for (let round = 0; !stop; round++) {
      const events: Event[] = [station.heartbeat()];
      if ((round + index) % 3 === 0) {
        events.push(station.fault('fault.opened', `F-${station.stationId}-${round}`, { severity: 'minor' }));
      }
      sent.push(...events);
      const delivery = await deliver(haproxy.url, station, events);
      acceptedIds.push(...delivery.accepted);
      duplicates += delivery.duplicates.length;
      failedAttempts += delivery.failedAttempts;
      // Under the station's allowance of BATCHES_PER_SECOND.
      await sleep(1000 / BATCHES_PER_SECOND + 50);
    }
  });
  await sleep(3000);
  const servedBeforeKill = servers.map((server) => (server.output().match(/POST \/api\/v1\/events 200/g) ?? []).length);
  await servers[2].kill9();
  assert.equal(servers[2].child.signalCode, 'SIGKILL');
  await sleep(3000);
  stop = true;
  await Promise.all(loops);

  assert.ok(
    servedBeforeKill.every((count) => count > 0),
    `haproxy spread the load over all three: ${servedBeforeKill.join(', ')}`,
  );
  const stored = await db.query<{ station_id: string; id: string }>(
    `SELECT station_id, id FROM events WHERE station_id IN (${stations.map((_, index) => `$${index + 1}`).join(', ')})`,
    stations.map((station) => station.stationId),
  );
  const storedIds = new Set(stored.map((row) => `${row.station_id} ${row.id}`));
  const sentIds = sent.map((event) => `${event.stationId} ${event.id}`);
  // Every event a reply acknowledged is stored ...
  const missing = sent.filter((event) => acceptedIds.includes(event.id) && !storedIds.has(`${event.stationId} ${event.id}`));
  assert.deepEqual(missing, []);
  // ... every event sent was acknowledged in the end (the station resent what got no answer) ...
  assert.equal(stored.length, sentIds.length);
  assert.deepEqual([...storedIds].sort(), [...sentIds].sort());
  // ... and no event was accepted twice: a resend after a lost answer is a duplicate, not a second row.
  assert.equal(new Set(acceptedIds).size, acceptedIds.length, 'an event id accepted in two replies');
  assert.equal(acceptedIds.length + duplicates, sent.length);
  assert.ok(sent.length >= 30, `enough load to mean something: ${sent.length} events`);
  // After the kill haproxy skips the dead process: every request is answered.
  for (let index = 0; index < 12; index++) {
    assert.equal((await call(haproxy.url + PATHS.time)).status, 200);
  }
  console.log(
    `cluster: ${sent.length} events in ${acceptedIds.length + duplicates} acknowledgements (${duplicates} duplicates of resends), ${failedAttempts} attempts failed around the kill; served before the kill: ${servedBeforeKill.join('/')}`,
  );
});

test('a captured request replayed to another process is refused, and its events stay stored once', async () => {
  const station = await enrollThrough(haproxy.url, 'Loket replay');
  const event = station.heartbeat();
  const request = signedPost(station, [event]);
  const first = await call(servers[0].url + PATHS.events, { method: 'POST', ...request });
  assert.equal(first.status, 200);
  assert.deepEqual(first.json.accepted, [event.id]);
  const atOther = await call(servers[1].url + PATHS.events, { method: 'POST', ...request });
  assert.equal(atOther.status, 409);
  assert.equal(atOther.json.error, 'replayed');
  const throughProxy = await call(haproxy.url + PATHS.events, { method: 'POST', ...request });
  assert.equal(throughProxy.status, 409);
  // The same signature spelled otherwise (the unused low bits of its last base64 letter) still verifies: refused too.
  const signature = request.headers[HEADER_SIGNATURE];
  const respelled = respellSignature(signature);
  assert.notEqual(respelled, signature);
  assert.deepEqual(Buffer.from(respelled, 'base64'), Buffer.from(signature, 'base64'));
  const respelledAnswer = await call(servers[1].url + PATHS.events, {
    method: 'POST',
    body: request.body,
    headers: { ...request.headers, [HEADER_SIGNATURE]: respelled },
  });
  assert.equal(respelledAnswer.status, 409, JSON.stringify(respelledAnswer.json));
  const [count] = await db.query<{ count: number | string }>(
    'SELECT COUNT(*) AS count FROM events WHERE station_id = $1',
    [station.stationId],
  );
  assert.equal(Number(count.count), 1);
  // The same events signed anew are an honest resend: accepted as duplicates, not refused.
  const resend = await call(servers[1].url + PATHS.events, { method: 'POST', ...signedPost(station, [event]) });
  assert.equal(resend.status, 200);
  assert.deepEqual(resend.json.duplicates, [event.id]);
});

test('one enrollment code redeemed at two processes at once enrolls one key', async () => {
  const added = await addStation(db, { name: 'Loket kode', kecamatan: 'Tangen' });
  const keys = [new TestStation(), new TestStation()];
  const answers = await Promise.all(
    keys.map((key, index) =>
      call(servers[index].url + PATHS.enroll, {
        method: 'POST',
        body: JSON.stringify({ code: added.code, publicKey: key.publicKeyBase64, appVersion: '0.1.0' }),
        headers: { 'content-type': 'application/json' },
      }),
    ),
  );
  const statuses = answers.map((answer) => answer.status).sort();
  assert.equal(statuses[0], 200);
  assert.notEqual(statuses[1], 200);
  const winner = keys[answers.findIndex((answer) => answer.status === 200)];
  const [row] = await db.query<{ public_key: string }>('SELECT public_key FROM stations WHERE id = $1', [
    added.stationId,
  ]);
  assert.equal(row.public_key, winner.publicKeyBase64);
});

test("a station's pacing is one bucket whichever process its batches reach", async () => {
  const station = await enrollThrough(haproxy.url, 'Loket banjir');
  const started = Date.now();
  const statuses: number[] = [];
  // One after another (a station's seq must rise), alternating between two processes.
  for (let index = 0; index < 12; index++) {
    const answer = await call(servers[index % 2].url + PATHS.events, {
      method: 'POST',
      ...signedPost(station, [station.heartbeat()]),
    });
    statuses.push(answer.status);
  }
  const elapsedSeconds = (Date.now() - started) / 1000;
  const accepted = statuses.filter((status) => status === 200).length;
  assert.equal(statuses.filter((status) => status === 429).length, 12 - accepted, statuses.join(' '));
  // One bucket: its burst plus what refilled meanwhile. Two buckets would admit twice the burst.
  assert.ok(
    accepted <= BATCHES_PER_SECOND + Math.floor(elapsedSeconds * BATCHES_PER_SECOND),
    `${accepted} accepted in ${elapsedSeconds} s: ${statuses.join(' ')}`,
  );
  assert.ok(accepted >= BATCHES_PER_SECOND);
});

test('a dashboard session made at the killed process keeps working through the others, and logging out ends it everywhere', async () => {
  assert.notEqual(servers[2].child.signalCode, null, 'the process that made the session is gone');
  for (let index = 0; index < 6; index++) {
    const answer = await call(`${haproxy.url}/api/dash/session`, { headers: asStaff() });
    assert.equal(answer.status, 200);
    assert.equal((answer.json.user as { username: string }).username, 'admin');
    assert.equal(answer.json.csrfToken, session.csrfToken);
  }
  for (const server of servers.slice(0, 2)) {
    assert.equal((await call(`${server.url}/api/dash/session`, { headers: asStaff() })).status, 200);
  }
  // A state-changing request with the session's CSRF token, at a process that did not make it.
  const [fault] = await db.query<{ station_id: string; fault_id: string }>(
    `SELECT station_id, fault_id FROM faults WHERE severity = 'minor' ORDER BY fault_id LIMIT 1`,
  );
  const acknowledged = await call(
    `${servers[1].url}/api/dash/faults/${fault.station_id}/${encodeURIComponent(fault.fault_id)}/actions`,
    { method: 'POST', body: JSON.stringify({ type: 'acknowledge' }), headers: asStaff({ 'content-type': 'application/json' }) },
  );
  assert.equal(acknowledged.status, 200, JSON.stringify(acknowledged.json));
  // A second session, logged out at one process, is refused at the other.
  const other = await login(haproxy.url, 'admin', PASSWORD);
  const otherCookie = (other.headers.get('set-cookie') ?? '').split(';')[0];
  const loggedOut = await call(`${servers[0].url}/api/dash/logout`, {
    method: 'POST',
    body: '{}',
    headers: { cookie: otherCookie, 'x-csrf-token': String(other.json.csrfToken), 'content-type': 'application/json' },
  });
  assert.equal(loggedOut.status, 200);
  assert.equal((await call(`${servers[1].url}/api/dash/session`, { headers: { cookie: otherCookie } })).status, 401);
});

test('login throttling counts failures at every process', async () => {
  // Twelve wrong passwords at once, six at each of two processes. One shared count admits the
  // account's free five to the password check and refuses the rest while the growing delay runs
  // (1 s, 2 s, ...: a slow machine may let one or two more through); a process counting only its
  // own would admit five at each, ten in all.
  const answers = await Promise.all(
    Array.from({ length: 12 }, (_, index) => login(servers[index % 2].url, 'admin', 'salah-sekali-1')),
  );
  const wrong = answers.filter((answer) => answer.status === 401).length;
  const refused = answers.filter((answer) => answer.status === 429).length;
  assert.equal(wrong + refused, 12, JSON.stringify(answers.map((answer) => answer.json)));
  assert.ok(wrong >= 5 && wrong <= 7, `${wrong} wrong passwords checked, ${refused} refused`);
  const [row] = await db.query<{ failures: number | string }>('SELECT failures FROM login_throttle WHERE key = $1', [
    'admin 127.0.0.1',
  ]);
  assert.equal(Number(row.failures), 12);
  // Another account from the same address is not delayed by admin's failures.
  await addUser(db, { username: 'teknisi', name: 'Teknisi', role: 'technician', password: PASSWORD });
  assert.equal((await login(haproxy.url, 'teknisi', PASSWORD)).status, 200);
});

test('an attempt stamped a little earlier than the last (another process\'s clock) is not blocked by a zero delay', async () => {
  const nowMs = Date.now();
  const key = `skew-${nowMs}`;
  assert.equal((await admit(db, key, THROTTLE.freePerAccount, nowMs)).admitted, true);
  const earlier = await admit(db, key, THROTTLE.freePerAccount, nowMs - 40);
  assert.deepEqual([earlier.admitted, earlier.failures], [true, 2]);
});

test('two processes running the escalation timer, and run-now at both, send each escalation email once', async () => {
  const stations = await Promise.all(
    Array.from({ length: 4 }, (_, index) => enrollThrough(haproxy.url, `Loket eskalasi ${index + 1}`)),
  );
  const faultIds = stations.map((station) => `CRIT-${station.stationId}`);
  await Promise.all(
    stations.map((station, index) => deliver(haproxy.url, station, [station.fault('fault.opened', faultIds[index])])),
  );
  const before = smtp.mails.length;
  // People press "run now" at both live processes while their timers run every 0.3 s.
  const runs = await Promise.all(
    [0, 1, 0, 1].map(async (server, index) => {
      await sleep(600 * index);
      return call(`${servers[server].url}/api/dash/escalation/run`, {
        method: 'POST',
        body: '{}',
        headers: asStaff({ 'content-type': 'application/json' }),
      });
    }),
  );
  assert.ok(runs.every((run) => run.status === 200), JSON.stringify(runs.map((run) => run.json)));
  await smtp.waitFor(before + faultIds.length, 20_000);
  // Many more passes at both processes: nothing more goes out.
  await sleep(2500);
  const mails = smtp.mails.slice(before);
  assert.equal(mails.length, faultIds.length);
  for (const [index, station] of stations.entries()) {
    const link = `${DASHBOARD_URL}/#/gangguan/${station.stationId}/${encodeURIComponent(faultIds[index])}`;
    assert.equal(mails.filter((mail) => mail.text.includes(link)).length, 1, `one mail for ${faultIds[index]}`);
  }
  const [notices] = await db.query<{ count: number | string }>(
    `SELECT COUNT(*) AS count FROM notifications WHERE sent_at IS NOT NULL AND fault_id LIKE 'CRIT-%'`,
  );
  assert.equal(Number(notices.count), faultIds.length);
});
