// The escalation letter attacked as a hostile user would, through the dashboard API of a real
// district on SQLite and on PostgreSQL: letterhead settings that are empty, oversized, not an
// image or an image of absurd pixel size; station clocks that run slow or fast around the
// threshold; a fault that recovered for weeks and was reopened; letters pressed at once, across
// the new year of WIB, WITA and WIT; users without the role and ids of other faults. Every PDF is
// read back with pdftotext.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type {
  EscalationLetterStatus,
  EscalationLetterView,
  FieldErrors,
  LetterSettingsRequest,
  LetterSettingsView,
  TimeZoneName,
} from '../../../district/dash-api';
import { setTimeZone } from '../../../district/server/calendar/store';
import type { Event } from '../../../protocol/events';
import { addStaff, HEALTHY, login, PASSWORD, postEvents, STAFF, staffHeaders } from '../../helpers/dashboard';
import type { Login } from '../../helpers/dashboard';
import { startTestDistrict, TestStation } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';
import { blankPng } from '../../helpers/png';
import { startPostgres } from '../../helpers/postgres';
import type { TestPostgres } from '../../helpers/postgres';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** The default threshold: the longest `open` escalation rule, 30 days. */
const THRESHOLD = 30 * DAY;

const SETTINGS: LetterSettingsRequest = {
  authority: 'Pemerintah Kabupaten Sragen',
  agency: 'Dinas Kependudukan dan Pencatatan Sipil',
  address: 'Jl. Raya Sukowati 255, Sragen',
  phone: '0271 891234',
  email: 'dukcapil@sragenkab.go.id',
  logo: '',
  place: 'Sragen',
  numberPattern: '470/{n}/Disdukcapil/{year}',
  provinceRecipient: 'Kepala Dinas Kependudukan dan Pencatatan Sipil Provinsi Jawa Tengah',
  provincePlace: 'Semarang',
  directorateRecipient: 'Direktur Jenderal Kependudukan dan Pencatatan Sipil',
  directoratePlace: 'Jakarta',
  signerTitle: 'Kepala Dinas Kependudukan dan Pencatatan Sipil',
  signerName: 'Drs. Budi Hartono',
  signerRank: 'Pembina Utama Muda (IV/c)',
  signerNip: '197001011990031001',
  copies: ['Bupati Sragen'],
};

/** The start of a baseline JPEG claiming `width` x `height` pixels (SOI, SOF0), then garbage. */
function jpegClaiming(width: number, height: number): Buffer {
  const frame = Buffer.from([
    0xff, 0xc0, 0x00, 0x11, 0x08, 0, 0, 0, 0, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1,
  ]);
  frame.writeUInt16BE(height, 5);
  frame.writeUInt16BE(width, 7);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), frame, Buffer.alloc(64, 0x55)]);
}

function pdfText(pdf: Buffer): string {
  const folder = mkdtempSync(join(tmpdir(), 'siaga-letter-attack-'));
  try {
    writeFileSync(join(folder, 'letter.pdf'), pdf);
    return execFileSync('pdftotext', ['-layout', join(folder, 'letter.pdf'), '-'], { encoding: 'utf8' });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** `N hari kerja tanpa perekaman` of the "Lama gangguan" row. */
function workingDaysOf(text: string): number {
  const match = /(\d+) hari kerja tanpa perekaman/.exec(text);
  assert.ok(match, text);
  return Number(match[1]);
}

function suite(backend: 'SQLite' | 'PostgreSQL'): void {
  describe(`escalation letter attacks on ${backend}`, () => {
    let postgres: TestPostgres | undefined;
    let district: TestDistrict;
    let clock = Date.parse('2026-12-01T03:00:00Z'); // Tuesday 10.00 WIB
    const stations: Record<string, TestStation> = {};
    const sessions: Record<keyof typeof STAFF, Login> = {} as never;

    const relogin = async () => {
      for (const role of Object.keys(STAFF) as (keyof typeof STAFF)[]) {
        sessions[role] = await login(district.app, STAFF[role]);
      }
    };
    const post = async (session: Login, url: string, body: unknown) => {
      const response = await district.app.inject({
        method: 'POST',
        url,
        payload: JSON.stringify(body),
        headers: staffHeaders(session, 'POST'),
      });
      return { status: response.statusCode, json: () => response.json() as unknown };
    };
    const saveSettings = (body: unknown, session = sessions.admin) =>
      post(session, '/api/dash/escalation-letters/settings', body);
    const issue = (station: TestStation, faultId: string, session = sessions.technician) =>
      post(session, '/api/dash/escalation-letters', {
        stationId: station.stationId,
        faultId,
        recipient: 'province',
      });
    const status = async (station: TestStation, faultId: string): Promise<EscalationLetterStatus> => {
      const response = await district.app.inject({
        method: 'GET',
        url: `/api/dash/escalation-letters?station=${station.stationId}&fault=${faultId}`,
        headers: staffHeaders(sessions.viewer),
      });
      assert.equal(response.statusCode, 200, response.body);
      return response.json() as EscalationLetterStatus;
    };
    const pdfOf = async (letter: EscalationLetterView): Promise<string> => {
      const response = await district.app.inject({
        method: 'GET',
        url: letter.pdfUrl,
        headers: staffHeaders(sessions.viewer),
      });
      assert.equal(response.statusCode, 200, response.body);
      return pdfText(response.rawPayload);
    };
    /** A fault seen by the station since `firstSeenMs` (the station's clock), delivered now. */
    const openFault = async (
      station: TestStation,
      faultId: string,
      firstSeenMs: number,
      stationNowMs = clock,
    ): Promise<void> => {
      await postEvents(
        district,
        station,
        [
          station.fault(
            'fault.opened',
            faultId,
            {
              firstSeen: new Date(firstSeenMs).toISOString(),
              lastSeen: new Date(stationNowMs).toISOString(),
            },
            stationNowMs,
          ),
        ],
        clock,
      );
    };
    /** A heartbeat of a station whose clock is `offsetMs` behind the district's (negative: ahead). */
    const heartbeatWithOffset = (station: TestStation, offsetMs: number): Event =>
      station.event(
        'heartbeat',
        {
          roleStatus: { ...HEALTHY, fingerprint: 'fault' },
          canRecord: false,
          canPrint: true,
          appVersion: '0.1.0',
          queueDepth: 0,
          lastCheckAt: new Date(clock - offsetMs).toISOString(),
          clockOffsetMs: offsetMs,
        },
        clock - offsetMs,
      );

    before(async () => {
      if (backend === 'PostgreSQL') {
        postgres = await startPostgres();
      }
      district = await startTestDistrict({ url: postgres?.url, now: () => clock });
      await addStaff(district.db);
      for (const name of ['true', 'slow', 'fast', 'reopened', 'flapped', 'resolved', 'other']) {
        stations[name] = new TestStation();
        await stations[name].enroll(district, `Loket ${name}`, 'Sambungmacan');
      }
      await relogin();
    });
    after(async () => {
      await district?.close();
      await postgres?.stop();
    });

    test('hostile letterhead settings are refused field by field and change nothing', async () => {
      const refusals: [string, unknown, string][] = [
        ['agency', { ...SETTINGS, agency: '   ', address: '', place: '' }, 'Wajib diisi'],
        ['numberPattern', { ...SETTINGS, numberPattern: '470/Disdukcapil/{year}' }, '{n}'],
        ['numberPattern', { ...SETTINGS, numberPattern: '470/{n}/{n}/{year}' }, '{n}'],
        ['numberPattern', { ...SETTINGS, numberPattern: '470/{n}/{tahun}/{year}' }, '{roman}'],
        ['numberPattern', { ...SETTINGS, numberPattern: '470/{n}/Disdukcapil' }, '{year}'],
        ['signerNip', { ...SETTINGS, signerNip: '1970' }, '18'],
        ['copies.1', { ...SETTINGS, copies: ['Bupati', '  '] }, 'Wajib diisi'],
        [
          'logo',
          { ...SETTINGS, logo: Buffer.from('<svg onload=alert(1)>').toString('base64') },
          'PNG atau JPEG',
        ],
        ['logo', { ...SETTINGS, logo: '!!! bukan base64 !!!' }, 'PNG atau JPEG'],
        ['logo', { ...SETTINGS, logo: Buffer.alloc(300 * 1024, 1).toString('base64') }, '256 KB'],
        [
          'logo',
          {
            ...SETTINGS,
            logo: Buffer.concat([blankPng(4, 4).subarray(0, 33), Buffer.alloc(80, 7)]).toString('base64'),
          },
          'rusak',
        ],
      ];
      for (const [field, body, words] of refusals) {
        const response = await saveSettings(body);
        assert.equal(response.status, 400, field);
        const refusal = response.json() as FieldErrors;
        assert.ok(refusal.fields[field]?.includes(words), `${field}: ${JSON.stringify(refusal)}`);
      }
      // One refusal names every bad field, the logo among them, so the admin fixes all at once.
      const together = await saveSettings({
        ...SETTINGS,
        agency: '',
        logo: Buffer.from('GIF89a').toString('base64'),
      });
      assert.deepEqual(Object.keys((together.json() as FieldErrors).fields).sort(), ['agency', 'logo']);
      // Not an admin: refused whatever the body.
      assert.equal((await saveSettings(SETTINGS, sessions.technician)).status, 403);
      assert.equal((await saveSettings(SETTINGS, sessions.viewer)).status, 403);
      const response = await district.app.inject({
        method: 'GET',
        url: '/api/dash/escalation-letters/settings',
        headers: staffHeaders(sessions.viewer),
      });
      assert.equal((response.json() as LetterSettingsView).configured, false);
    });

    test('a logo of absurd pixel size is refused at once, however small its file', async () => {
      // 8000 x 8000 RGBA: 249 KB of PNG, 256 MB once decoded: it took 35 s and 1.1 GB to check.
      const bomb = blankPng(8000, 8000);
      assert.ok(bomb.length < 256 * 1024);
      const started = Date.now();
      const response = await saveSettings({ ...SETTINGS, logo: bomb.toString('base64') });
      assert.equal(response.status, 400);
      assert.match((response.json() as FieldErrors).fields.logo, /piksel/);
      assert.ok(Date.now() - started < 5_000, `${Date.now() - started} ms`);
      const jpeg = await saveSettings({ ...SETTINGS, logo: jpegClaiming(20_000, 20_000).toString('base64') });
      assert.equal(jpeg.status, 400);
      assert.match((jpeg.json() as FieldErrors).fields.logo, /piksel/);
      // A logo of a sensible size is kept.
      const good = await saveSettings({ ...SETTINGS, logo: blankPng(600, 600).toString('base64') });
      assert.equal(good.status, 200);
    });

    test('markup in the number pattern is printed as text and kept out of the file name', async () => {
      const saved = await saveSettings({ ...SETTINGS, numberPattern: '<b>470</b>/{n}/"Dukcapil"/{year}' });
      assert.equal(saved.status, 200);
      await openFault(stations.true, 'f-true', clock - THRESHOLD - HOUR);
      const response = await issue(stations.true, 'f-true');
      assert.equal(response.status, 200);
      const letter = response.json() as EscalationLetterView;
      assert.equal(letter.number, '<b>470</b>/1/"Dukcapil"/2026');
      const pdf = await district.app.inject({
        method: 'GET',
        url: letter.pdfUrl,
        headers: staffHeaders(sessions.viewer),
      });
      assert.match(String(pdf.headers['content-disposition']), /^inline; filename="[A-Za-z0-9-]+\.pdf"$/);
      assert.match(pdfText(pdf.rawPayload), /Nomor\s+: <b>470<\/b>\/1\/"Dukcapil"\/2026/);
      assert.equal((await saveSettings(SETTINGS)).status, 200);
    });

    test('a fault just under the threshold is refused without using a number, just over it is written', async () => {
      await openFault(stations.other, 'f-under', clock - THRESHOLD + MINUTE);
      const refused = await issue(stations.other, 'f-under');
      assert.equal(refused.status, 409);
      assert.match((refused.json() as { message: string }).message, /baru berlangsung 29 hari/);
      clock += 2 * MINUTE;
      await relogin();
      const written = await issue(stations.other, 'f-under');
      assert.equal(written.status, 200);
      // The refusal used no number: the second letter of the year follows the first.
      assert.equal((written.json() as EscalationLetterView).number, '470/2/Disdukcapil/2026');
    });

    test('a station clock 40 days slow does not make a fault heard of today 40 days old', async () => {
      const slow = stations.slow;
      const offset = 40 * DAY;
      // The station first saw the fault an hour ago on the district's clock, 40 days and an hour ago on its own.
      await postEvents(
        district,
        slow,
        [
          heartbeatWithOffset(slow, offset),
          slow.fault(
            'fault.opened',
            'f-slow',
            {
              firstSeen: new Date(clock - offset - HOUR).toISOString(),
              lastSeen: new Date(clock - offset).toISOString(),
            },
            clock - offset,
          ),
        ],
        clock,
      );
      const refused = await issue(slow, 'f-slow');
      assert.equal(refused.status, 409, JSON.stringify(refused.json()));
      const seen = await status(slow, 'f-slow');
      assert.equal(seen.eligible, false);
      assert.match(seen.reason ?? '', /baru berlangsung 0 hari/);
    });

    test('a station clock 40 days fast still lets a 31-day-old fault be written, dated on the district clock', async () => {
      const fast = stations.fast;
      const offset = -40 * DAY;
      await postEvents(
        district,
        fast,
        [
          heartbeatWithOffset(fast, offset),
          fast.fault(
            'fault.opened',
            'f-fast',
            {
              firstSeen: new Date(clock - 31 * DAY - offset).toISOString(),
              lastSeen: new Date(clock - offset).toISOString(),
            },
            clock - offset,
          ),
        ],
        clock,
      );
      const written = await issue(fast, 'f-fast');
      assert.equal(written.status, 200, JSON.stringify(written.json()));
      const text = await pdfOf(written.json() as EscalationLetterView);
      // 31 days before 1 Desember 2026 10.02 WIB, not a date in the future.
      assert.match(text, /Gangguan sejak\s+: 31 Oktober 2026 pukul 10\.02 WIB/);
      assert.match(text, /32 hari kalender/);
    });

    test('a resolved fault is refused, and says why rather than "wait 30 days"', async () => {
      await openFault(stations.resolved, 'f-resolved', clock - 60 * DAY);
      await postEvents(
        district,
        stations.resolved,
        [
          stations.resolved.fault(
            'fault.resolved',
            'f-resolved',
            { firstSeen: new Date(clock - 60 * DAY).toISOString() },
            clock - HOUR,
          ),
        ],
        clock,
      );
      const refused = await issue(stations.resolved, 'f-resolved');
      assert.equal(refused.status, 409);
      const seen = await status(stations.resolved, 'f-resolved');
      assert.equal(seen.eligible, false);
      assert.match(seen.reason ?? '', /sudah pulih/);
    });

    test('a fault that recovered for weeks and was reopened today is not 60 days old', async () => {
      const station = stations.reopened;
      await openFault(station, 'f-reopened', clock - 60 * DAY);
      await postEvents(
        district,
        station,
        [
          station.fault(
            'fault.resolved',
            'f-reopened',
            { firstSeen: new Date(clock - 60 * DAY).toISOString() },
            clock - 58 * DAY,
          ),
        ],
        clock,
      );
      const reopened = await post(
        sessions.technician,
        `/api/dash/faults/${station.stationId}/f-reopened/actions`,
        { type: 'reopen', note: 'masih rusak' },
      );
      assert.equal(reopened.status, 200);
      // Open two days, then recovered for 58: far from the 30 days the district waits for.
      const refused = await issue(station, 'f-reopened');
      assert.equal(refused.status, 409, JSON.stringify(refused.json()));
      assert.match((refused.json() as { message: string }).message, /baru berlangsung 2 hari/);
    });

    test('the days of a flapped fault count only while it was open', async () => {
      const station = stations.flapped;
      const events = (kind: 'fault.opened' | 'fault.resolved' | 'fault.updated', atMs: number) =>
        station.fault(kind, 'f-flapped', { firstSeen: new Date(clock - 70 * DAY).toISOString() }, atMs);
      // Open 70 days ago, recovered 40 days ago (Thursday 22 October, 10.02 WIB), back 35 days ago
      // (Tuesday 27 October, 10.02 WIB): both of those days count, Friday 23 to Monday 26 do not.
      await openFault(station, 'f-flapped', clock - 70 * DAY, clock - 70 * DAY);
      await postEvents(district, station, [events('fault.resolved', clock - 40 * DAY)], clock);
      await postEvents(district, station, [events('fault.updated', clock - 35 * DAY)], clock);
      const written = await issue(station, 'f-flapped');
      assert.equal(written.status, 200, JSON.stringify(written.json()));
      const flappedText = await pdfOf(written.json() as EscalationLetterView);
      await openFault(station, 'f-steady', clock - 70 * DAY, clock - 70 * DAY);
      const steadyText = await pdfOf((await issue(station, 'f-steady')).json() as EscalationLetterView);
      assert.match(steadyText, /71 hari kalender/);
      assert.match(flappedText, /67 hari kalender/);
      // Friday 23 and Monday 26 October were working days the station could record on.
      assert.equal(workingDaysOf(steadyText) - workingDaysOf(flappedText), 2);
      // The history says why: it recovered and came back.
      assert.match(flappedText, /22 Oktober 2026 pukul 10\.02 WIB — Stasiun melaporkan perangkat pulih/);
      assert.match(flappedText, /27 Oktober 2026 pukul 10\.02 WIB — Gangguan muncul kembali/);
    });

    test('users without the role and ids of other faults are refused, using no number', async () => {
      await openFault(stations.other, 'f-other', clock - THRESHOLD - DAY);
      assert.equal((await issue(stations.other, 'f-other', sessions.viewer)).status, 403);
      assert.equal((await issue(stations.other, 'no-such-fault')).status, 404);
      // The fault id of one station with another station's id.
      assert.equal((await issue(stations.slow, 'f-other')).status, 404);
      const anonymous = await district.app.inject({
        method: 'POST',
        url: '/api/dash/escalation-letters',
        payload: { stationId: stations.other.stationId, faultId: 'f-other', recipient: 'province' },
      });
      assert.equal(anonymous.statusCode, 401);
      for (const id of ['se-nope', '..%2F..%2Fetc%2Fpasswd', "x'%20OR%20'1'%3D'1"]) {
        const response = await district.app.inject({
          method: 'GET',
          url: `/api/dash/escalation-letters/${id}/pdf`,
          headers: staffHeaders(sessions.viewer),
        });
        assert.equal(response.statusCode, 404, id);
      }
      const written = await issue(stations.other, 'f-other');
      const numbers = (await status(stations.other, 'f-other')).letters.map((letter) => letter.number);
      assert.deepEqual(numbers, [(written.json() as EscalationLetterView).number]);
    });

    for (const zone of ['WIB', 'WITA', 'WIT'] as TimeZoneName[]) {
      test(`letters pressed at once never share a number, across the new year of ${zone}`, async () => {
        const offsetHours = { WIB: 7, WITA: 8, WIT: 9 }[zone];
        await setTimeZone(district.db, zone, clock);
        const yearOfTest = 2026 + { WIB: 1, WITA: 2, WIT: 3 }[zone];
        // One second before local midnight of 31 December.
        clock =
          Date.parse(`${yearOfTest - 1}-12-31T${String(24 - offsetHours).padStart(2, '0')}:00:00Z`) - 1_000;
        await relogin();
        await openFault(stations.other, `f-year-${zone}`, clock - THRESHOLD - DAY);
        const before = await Promise.all(
          Array.from({ length: 8 }, () => issue(stations.other, `f-year-${zone}`)),
        );
        clock += 2_000;
        const afterMidnight = await Promise.all(
          Array.from({ length: 8 }, () => issue(stations.other, `f-year-${zone}`)),
        );
        const letters = [...before, ...afterMidnight].map((response) => {
          assert.equal(response.status, 200);
          return response.json() as EscalationLetterView;
        });
        const numbers = letters.map((letter) => letter.number);
        assert.equal(new Set(numbers).size, numbers.length, numbers.join(' '));
        assert.deepEqual(
          letters.slice(0, 8).map((letter) => letter.year),
          Array(8).fill(yearOfTest - 1),
        );
        // The new year starts from 1 in the district's own zone.
        const fresh = afterMidnight
          .map((response) => (response.json() as EscalationLetterView).number)
          .sort((left, right) => left.localeCompare(right, 'en', { numeric: true }));
        assert.deepEqual(
          fresh,
          Array.from({ length: 8 }, (_, index) => `470/${index + 1}/Disdukcapil/${yearOfTest}`),
        );
      });
    }
  });
}

suite('SQLite');
suite('PostgreSQL');

/** `siaga-district serve` on `dataDir`; with `hideFonts`, in a mount namespace where DejaVu's folder is empty. */
async function serve(dataDir: string, hideFonts: boolean): Promise<{ url: string; stop(): Promise<void> }> {
  const command = [
    process.execPath,
    '--import',
    'tsx',
    'district/cli.ts',
    'serve',
    '--port',
    '0',
    '--host',
    '127.0.0.1',
  ];
  const child = hideFonts
    ? spawn(
        'unshare',
        ['-m', 'sh', '-c', `mount -t tmpfs none ${DEJAVU} && exec "$@"`, 'serve', ...command],
        { env: { ...process.env, SIAGA_DISTRICT_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] },
      )
    : spawn(command[0], command.slice(1), {
        env: { ...process.env, SIAGA_DISTRICT_DATA_DIR: dataDir },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[\d.:]+)/.exec(output);
      if (match) {
        resolve(match[1]);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${output}`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGINT');
      }),
  };
}

const DEJAVU = '/usr/share/fonts/truetype/dejavu';

test('without the font the letter is refused with a 503 naming the package, and uses no number', async () => {
  // Prepared in this process: staff, the letterhead and a fault 31 days old on the real clock.
  const district = await startTestDistrict();
  await addStaff(district.db);
  const station = new TestStation();
  await station.enroll(district, 'Loket 1', 'Sambungmacan');
  const now = Date.now();
  await postEvents(
    district,
    station,
    [station.fault('fault.opened', 'f-font', { firstSeen: new Date(now - 31 * DAY).toISOString() }, now)],
    now,
  );
  const admin = await login(district.app, STAFF.admin);
  const saved = await district.app.inject({
    method: 'POST',
    url: '/api/dash/escalation-letters/settings',
    payload: JSON.stringify(SETTINGS),
    headers: staffHeaders(admin, 'POST'),
  });
  assert.equal(saved.statusCode, 200, saved.body);
  await district.app.close();
  await district.db.close();
  const press = async (url: string) => {
    const session = await fetch(`${url}/api/dash/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: STAFF.technician, password: PASSWORD }),
    });
    assert.equal(session.status, 200);
    const cookie = String(session.headers.get('set-cookie')).split(';')[0];
    const { csrfToken } = (await session.json()) as { csrfToken: string };
    return fetch(`${url}/api/dash/escalation-letters`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify({ stationId: station.stationId, faultId: 'f-font', recipient: 'province' }),
    });
  };
  try {
    const fontless = await serve(district.dir, true);
    try {
      const refused = await press(fontless.url);
      assert.equal(refused.status, 503);
      const body = (await refused.json()) as { error: string; message: string };
      assert.equal(body.error, 'font-missing');
      assert.match(body.message, /fonts-dejavu-core/);
    } finally {
      await fontless.stop();
    }
    // Once the font is there, the first letter of the year is number 1: the refusal used none.
    const fonted = await serve(district.dir, false);
    try {
      const written = await press(fonted.url);
      assert.equal(written.status, 200);
      assert.match(((await written.json()) as EscalationLetterView).number, /^470\/1\/Disdukcapil\/\d{4}$/);
    } finally {
      await fonted.stop();
    }
  } finally {
    rmSync(district.dir, { recursive: true, force: true });
  }
});
