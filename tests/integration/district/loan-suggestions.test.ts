// "Cari pinjaman" through the HTTP API on SQLite and on a real PostgreSQL: an admin sets the
// offices' coordinates, technicians and one distance (bad input refused naming the field, nothing
// lost); a fingerprint fault at Tangen gets its suggestions (the closed Gemolong station's scanner
// by the table, the district's spare by estimate; never Sukodono's only scanner nor a spare camera);
// accepting creates the loan, both offices' technicians get an email at a real SMTP peer, and the
// same device is never lent twice, even by two accepts at once.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type {
  AcceptedLoan,
  AuditEntry,
  DeviceView,
  FaultDetail,
  LoanSuggestions,
  LoanView,
  OfficeMap,
} from '../../../district/dash-api';
import { localDay } from '../../../district/server/calendar/service-hours';
import { addClosedDay } from '../../../district/server/calendar/store';
import { acceptLoanSuggestion } from '../../../district/server/inventory/loan-suggestions';
import { createLoan, LoanError } from '../../../district/server/inventory/loans';
import { createNotifier } from '../../../district/server/notify/notifier';
import type { Notifier } from '../../../district/server/notify/types';
import {
  addStaff,
  HEALTHY,
  heartbeat,
  login,
  openAllWeek,
  postEvents,
  STAFF,
  staffHeaders,
  staffPost,
} from '../../helpers/dashboard';
import type { Login } from '../../helpers/dashboard';
import { startTestDistrict, TestStation } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';
import { startPostgres } from '../../helpers/postgres';
import type { TestPostgres } from '../../helpers/postgres';
import { startSmtp } from '../../helpers/smtp';
import type { TestSmtp } from '../../helpers/smtp';

const MINUTE = 60_000;

function scanner(key: string, serialNumber: string) {
  return { key, vendor: 'Cross Match', model: 'Guardian', serialNumber, transport: 'usb' as const };
}

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`loan suggestions on ${engine}`, () => {
    let clock = Date.now();
    let postgres: TestPostgres | undefined;
    let smtp: TestSmtp;
    let district: TestDistrict;
    let admin: Login;
    let technician: Login;
    let viewer: Login;
    const tangen = new TestStation();
    const gemolong = new TestStation();
    const sukodono = new TestStation();
    let faultPath = '';

    const get = async <T>(url: string, session = technician, status = 200): Promise<T> => {
      const response = await district.app.inject({ method: 'GET', url, headers: staffHeaders(session) });
      assert.equal(response.statusCode, status, `${url}: ${response.body}`);
      return response.json() as T;
    };
    const inventory = (station: TestStation, key: string, serialNumber: string) =>
      station.event(
        'inventory.changed',
        { added: [{ role: 'fingerprint', device: scanner(key, serialNumber) }], removed: [] },
        clock,
      );

    before(async () => {
      smtp = await startSmtp();
      postgres = engine === 'postgres' ? await startPostgres() : undefined;
      district = await startTestDistrict({
        url: postgres?.url,
        now: () => clock,
        dashboard: {
          districtName: 'Disdukcapil Kabupaten Sragen',
          notifier: createNotifier({ smtpUrl: smtp.url, from: 'Siaga <siaga@sragen.example.go.id>' }),
        },
      });
      assert.equal(district.db.dialect, engine);
      await addStaff(district.db);
      await openAllWeek(district.db);
      admin = await login(district.app, STAFF.admin);
      technician = await login(district.app, STAFF.technician);
      viewer = await login(district.app, STAFF.viewer);
      await tangen.enroll(district, 'Loket 1', 'Tangen');
      await gemolong.enroll(district, 'Loket 1', 'Gemolong');
      await sukodono.enroll(district, 'Loket 1', 'Sukodono');
      // Gemolong's office is closed today (a local holiday); the others are open all week.
      await addClosedDay(district.db, {
        date: localDay(clock, 'WIB').date,
        kecamatan: 'Gemolong',
        note: 'Hari jadi kecamatan',
        nowMs: clock,
      });
      const oldFault = {
        device: scanner('usb:gem', 'CM-GEM'),
        firstSeen: new Date(clock - 30 * 86_400_000).toISOString(),
      };
      await postEvents(
        district,
        gemolong,
        [
          inventory(gemolong, 'usb:gem', 'CM-GEM'),
          gemolong.fault('fault.opened', 'g-old', oldFault, clock - 30 * 86_400_000),
          gemolong.fault('fault.resolved', 'g-old', oldFault, clock - 29 * 86_400_000),
          heartbeat(gemolong, clock, HEALTHY),
        ],
        clock,
      );
      await postEvents(
        district,
        sukodono,
        [inventory(sukodono, 'usb:suk', 'CM-SUK'), heartbeat(sukodono, clock, HEALTHY)],
        clock,
      );
      await postEvents(
        district,
        tangen,
        [
          inventory(tangen, 'usb:tan', 'CM-TAN'),
          tangen.fault('fault.opened', 'fp-1', { device: scanner('usb:tan', 'CM-TAN') }, clock),
          tangen.fault(
            'fault.opened',
            'w-1',
            {
              code: 'FINGERPRINT_UNIT_REPLACED',
              status: 'warning',
              severity: 'minor',
              device: scanner('usb:tan', 'CM-TAN'),
            },
            clock,
          ),
          heartbeat(tangen, clock, { ...HEALTHY, fingerprint: 'fault' }),
        ],
        clock,
      );
      await staffPost(
        district.app,
        '/api/dash/inventory/spares',
        {
          serialNumber: 'CM-SPARE',
          vendor: 'Cross Match',
          model: 'Guardian',
          role: 'fingerprint',
        },
        technician,
      );
      await staffPost(
        district.app,
        '/api/dash/inventory/spares',
        {
          serialNumber: 'EOS-SPARE',
          vendor: 'Canon',
          model: 'EOS 1300D',
          role: 'camera',
        },
        technician,
      );
      faultPath = `/api/dash/faults/${tangen.stationId}/fp-1`;
    });
    after(async () => {
      await district?.close();
      await postgres?.stop();
      await smtp?.stop();
    });

    test('an admin sets offices and a distance; bad input names the field and loses nothing', async () => {
      const offices: [string | null, number, number, string[]][] = [
        [null, -7.4265, 111.0219, ['gudang@sragen.example.go.id']],
        ['Tangen', -7.3703, 111.0905, ['teknisi.tangen@sragen.example.go.id']],
        ['Gemolong', -7.3944, 110.8325, ['teknisi.gemolong@sragen.example.go.id']],
        ['Sukodono', -7.3189, 111.0296, []],
      ];
      for (const [kecamatan, latitude, longitude, technicianEmails] of offices) {
        await staffPost(
          district.app,
          '/api/dash/offices',
          { kecamatan, latitude, longitude, technicianEmails },
          admin,
        );
      }
      const map = await staffPost<OfficeMap>(
        district.app,
        '/api/dash/offices/distances',
        { from: 'Gemolong', to: 'Tangen', minutes: 18, roadKm: 12 },
        admin,
      );
      assert.deepEqual(
        map.distances.map((row) => [row.from, row.to, row.roadKm, row.minutes]),
        [['Gemolong', 'Tangen', 12, 18]],
      );

      const refusals: [string, unknown, RegExp][] = [
        ['/api/dash/offices', { kecamatan: 'Tangen', latitude: 111.09, longitude: -7.37 }, /^latitude: /],
        ['/api/dash/offices', { kecamatan: 'Tangen', latitude: -7.37, longitude: 200 }, /^longitude: /],
        ['/api/dash/offices', { kecamatan: 'Tangen', latitude: -7.37, longitude: null }, /^longitude: /],
        ['/api/dash/offices', { kecamatan: 'Tangen', latitude: '-7,37', longitude: 111 }, /^latitude: /],
        [
          '/api/dash/offices',
          { kecamatan: 'Tangen', latitude: -7.37, longitude: 111, technicianEmails: ['bukan-email'] },
          /^technicianEmails\.0: /,
        ],
        [
          '/api/dash/offices',
          { kecamatan: 'Tanggen', latitude: -7.37, longitude: 111 },
          /^kecamatan: tidak ada stasiun/,
        ],
        ['/api/dash/offices/distances', { from: 'Tangen', to: 'Tangen', minutes: 5 }, /^to: /],
        ['/api/dash/offices/distances', { from: 'Tangen', to: 'Sukodono' }, /^roadKm: /],
        ['/api/dash/offices/distances', { from: 'Tangen', to: 'Sukodono', minutes: 2.5 }, /^minutes: /],
        ['/api/dash/offices/distances', { from: 'Tangen', to: 'Sukodono', roadKm: -3 }, /^roadKm: /],
        ['/api/dash/offices/distances', { from: 'Tangen', to: 'Mars', roadKm: 3 }, /^to: tidak ada stasiun/],
      ];
      for (const [url, body, message] of refusals) {
        const refused = await staffPost<{ error: string; message: string }>(
          district.app,
          url,
          body,
          admin,
          400,
        );
        assert.match(refused.message, message, JSON.stringify(body));
      }
      // Technicians may read the map but not change it.
      await staffPost(
        district.app,
        '/api/dash/offices',
        { kecamatan: 'Tangen', latitude: -7, longitude: 111 },
        technician,
        403,
      );
      const after = await get<OfficeMap>('/api/dash/offices');
      assert.deepEqual(after, map, 'nothing lost, nothing changed');
      assert.deepEqual(
        after.offices.map((office) => [office.kecamatan, office.latitude, office.technicianEmails.length]),
        [
          [null, -7.4265, 1],
          ['Gemolong', -7.3944, 1],
          ['Sukodono', -7.3189, 0],
          ['Tangen', -7.3703, 1],
        ],
      );
    });

    test('suggestions: the closed station by the table, then the spare; never the only station recording nor another role', async () => {
      const detail = await get<FaultDetail>(faultPath);
      assert.equal(detail.blocksRecording, true);
      const warning = await get<FaultDetail>(`/api/dash/faults/${tangen.stationId}/w-1`);
      assert.equal(warning.blocksRecording, false);
      await get(`/api/dash/faults/${tangen.stationId}/w-1/loan-suggestions`, technician, 409);
      await get(`/api/dash/faults/${tangen.stationId}/nope/loan-suggestions`, technician, 404);

      const suggestions = await get<LoanSuggestions>(`${faultPath}/loan-suggestions`);
      assert.deepEqual(
        suggestions.candidates.map((candidate) => [
          candidate.rank,
          candidate.device.serialNumber,
          candidate.kind,
          candidate.travel.source,
          candidate.travel.minutes,
        ]),
        [
          [1, 'CM-GEM', 'closed-today', 'table', 18],
          [2, 'CM-SPARE', 'spare', 'estimate', 21],
        ],
      );
      const [fromGemolong] = suggestions.candidates;
      assert.equal(fromGemolong.condition.lastVerdict?.status, 'ok');
      assert.equal(fromGemolong.history.earlierFaultCount, 1);
      assert.equal(fromGemolong.history.earlierFaults[0].kecamatan, 'Gemolong');
      assert.equal(fromGemolong.fromStation?.kecamatan, 'Gemolong');
      assert.deepEqual(suggestions.officesWithoutCoordinates, []);
    });

    test('accept: the loan exists, both technicians are emailed, the same device is refused a second time', async () => {
      const suggestions = await get<LoanSuggestions>(`${faultPath}/loan-suggestions`);
      const gemolongDevice = suggestions.candidates[0].device.id;
      const dueOn = localDay(clock + 14 * 86_400_000, 'WIB').date;
      await staffPost(
        district.app,
        `${faultPath}/loan-suggestions/accept`,
        { deviceId: gemolongDevice, dueOn, reference: 'PP/1' },
        viewer,
        403,
      );
      // Never a device the list does not offer: the broken station's own, Sukodono's only one, another role.
      const devices = await get<DeviceView[]>('/api/dash/inventory/devices');
      for (const serial of ['CM-TAN', 'CM-SUK', 'EOS-SPARE']) {
        const deviceId = devices.find((candidate) => candidate.serialNumber === serial)!.id;
        const answer = await staffPost<{ message: string }>(
          district.app,
          `${faultPath}/loan-suggestions/accept`,
          { deviceId, dueOn, reference: 'PP/X' },
          technician,
          409,
        );
        assert.match(answer.message, /tidak \(lagi\) termasuk saran/, serial);
      }
      await staffPost(
        district.app,
        `/api/dash/faults/${tangen.stationId}/w-1/loan-suggestions/accept`,
        { deviceId: gemolongDevice, dueOn, reference: 'PP/W' },
        technician,
        409,
      );
      const blank = await staffPost<{ message: string }>(
        district.app,
        `${faultPath}/loan-suggestions/accept`,
        { deviceId: gemolongDevice, dueOn, reference: '  ' },
        technician,
        400,
      );
      assert.match(blank.message, /^reference: /);
      const refused = await staffPost<{ message: string }>(
        district.app,
        `${faultPath}/loan-suggestions/accept`,
        { deviceId: gemolongDevice, dueOn: '2000-01-01', reference: 'PP/1' },
        technician,
        400,
      );
      assert.match(refused.message, /^dueOn: /);
      const accepted = await staffPost<AcceptedLoan>(
        district.app,
        `${faultPath}/loan-suggestions/accept`,
        { deviceId: gemolongDevice, dueOn, reference: '027/PP/XII/2026' },
        technician,
      );
      assert.deepEqual(accepted.notified.sort(), [
        'teknisi.gemolong@sragen.example.go.id',
        'teknisi.tangen@sragen.example.go.id',
      ]);
      assert.deepEqual([accepted.notDelivered, accepted.officesWithoutEmail], [[], []]);
      const mails = await smtp.waitFor(2);
      assert.deepEqual(mails.flatMap((mail) => mail.to).sort(), accepted.notified);
      for (const mail of mails) {
        assert.match(
          mail.subject,
          /Pinjam pakai Pemindai sidik jari: Kec\. Gemolong \/ Loket 1 → Kec\. Tangen \/ Loket 1 \(027\/PP\/XII\/2026\)/,
        );
        assert.match(mail.text, /nomor seri CM-GEM/);
        assert.match(mail.text, /18 menit \(tabel kabupaten\)/);
        assert.match(mail.text, /kantor asal tutup hari ini/);
      }
      const loans = await get<LoanView[]>('/api/dash/inventory/loans');
      const loan = loans.find((candidate) => candidate.id === accepted.loan.id);
      assert.deepEqual(
        [
          loan?.serialNumber,
          loan?.fromKecamatan,
          loan?.toKecamatan,
          loan?.startsOn,
          loan?.dueOn,
          loan?.createdBy,
        ],
        ['CM-GEM', 'Gemolong', 'Tangen', localDay(clock, 'WIB').date, dueOn, STAFF.technician],
      );
      const moved = await get<DeviceView[]>('/api/dash/inventory/devices');
      assert.equal(moved.find((device) => device.id === gemolongDevice)?.stationId, tangen.stationId);

      const again = await staffPost<{ error: string }>(
        district.app,
        `${faultPath}/loan-suggestions/accept`,
        { deviceId: gemolongDevice, dueOn, reference: '028/PP/XII/2026' },
        technician,
        409,
      );
      assert.equal(again.error, 'conflict');
      const audit = await get<AuditEntry[]>('/api/dash/audit', admin);
      const entry = audit.find((candidate) => candidate.target === accepted.loan.id);
      assert.equal(entry?.action, 'inventory.loan-created');
      assert.deepEqual(entry?.station, { name: 'Loket 1', kecamatan: 'Tangen' });
      assert.equal((entry?.detail as { suggested: boolean }).suggested, true);
    });

    test('two accepts of the same spare at once: one loan, one refusal', async () => {
      clock += MINUTE;
      const suggestions = await get<LoanSuggestions>(`${faultPath}/loan-suggestions`);
      assert.deepEqual(
        suggestions.candidates.map((candidate) => candidate.device.serialNumber),
        ['CM-SPARE'],
      );
      const spare = suggestions.candidates[0].device.id;
      const dueOn = localDay(clock + 7 * 86_400_000, 'WIB').date;
      const answers = await Promise.all(
        ['029/PP', '030/PP', '031/PP'].map((reference) =>
          district.app.inject({
            method: 'POST',
            url: `${faultPath}/loan-suggestions/accept`,
            payload: JSON.stringify({ deviceId: spare, dueOn, reference }),
            headers: staffHeaders(technician, 'POST'),
          }),
        ),
      );
      assert.deepEqual(answers.map((answer) => answer.statusCode).sort(), [200, 409, 409]);
      const open = await district.db.query<{ n: number | string }>(
        'SELECT COUNT(*) AS n FROM loans WHERE device_id = $1 AND returned_on IS NULL',
        [spare],
      );
      assert.equal(Number(open[0].n), 1);
      // The spare's side is the district office's technicians.
      const mails = await smtp.waitFor(4);
      assert.deepEqual(
        mails
          .slice(2)
          .flatMap((mail) => mail.to)
          .sort(),
        ['gudang@sragen.example.go.id', 'teknisi.tangen@sragen.example.go.id'],
      );
      const none = await get<LoanSuggestions>(`${faultPath}/loan-suggestions`);
      assert.deepEqual(none.candidates, []);
    });

    test('a mail server that refuses: the loan stands, and the answer names every address not reached', async () => {
      const spare = await staffPost<{ id: string }>(
        district.app,
        '/api/dash/inventory/spares',
        { serialNumber: 'CM-SPARE-2', vendor: 'Cross Match', model: 'Guardian', role: 'fingerprint' },
        technician,
      );
      const refusing: Notifier = {
        sendEmail: () => Promise.reject(new Error('550 mailbox unavailable')),
        postWebhook: () => Promise.resolve(),
        close: () => undefined,
      };
      const accepted = await acceptLoanSuggestion(district.db, refusing, {
        stationId: tangen.stationId,
        faultId: 'fp-1',
        request: {
          deviceId: spare.id,
          dueOn: localDay(clock + 86_400_000, 'WIB').date,
          reference: 'PP/SMTP',
          purpose: '',
        },
        createdBy: STAFF.technician,
        nowMs: clock,
        heartbeatWindowMs: 10 * MINUTE,
        districtName: 'Disdukcapil Kabupaten Sragen',
        dashboardUrl: '',
      });
      assert.deepEqual(accepted.notified, []);
      assert.deepEqual(accepted.notDelivered.map((failure) => [failure.email, failure.reason]).sort(), [
        ['gudang@sragen.example.go.id', '550 mailbox unavailable'],
        ['teknisi.tangen@sragen.example.go.id', '550 mailbox unavailable'],
      ]);
      assert.match(accepted.loan.purpose, /FINGERPRINT_MISSING di Kec\. Tangen/);
      const loans = await get<LoanView[]>('/api/dash/inventory/loans');
      assert.ok(loans.some((loan) => loan.id === accepted.loan.id && loan.returnedOn === null));
    });

    test('eight loans of one device at once, each in its own transaction: exactly one is made', async () => {
      const spare = await staffPost<{ id: string }>(
        district.app,
        '/api/dash/inventory/spares',
        { serialNumber: 'CM-RACE', vendor: 'Cross Match', model: 'Guardian', role: 'fingerprint' },
        technician,
      );
      const outcomes = await Promise.allSettled(
        Array.from({ length: 8 }, (_, index) =>
          createLoan(district.db, {
            deviceId: spare.id,
            toStationId: index % 2 === 0 ? tangen.stationId : sukodono.stationId,
            startsOn: '2026-12-01',
            dueOn: '2026-12-31',
            reference: `RACE/${index}`,
            purpose: 'uji',
            createdBy: STAFF.technician,
            nowMs: clock,
          }),
        ),
      );
      assert.equal(outcomes.filter((outcome) => outcome.status === 'fulfilled').length, 1);
      for (const outcome of outcomes.filter((candidate) => candidate.status === 'rejected')) {
        assert.ok(outcome.reason instanceof LoanError, String(outcome.reason));
      }
      const open = await district.db.query<{ n: number | string }>(
        'SELECT COUNT(*) AS n FROM loans WHERE device_id = $1 AND returned_on IS NULL',
        [spare.id],
      );
      assert.equal(Number(open[0].n), 1);
    });
  });
}
