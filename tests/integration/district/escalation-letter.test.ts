// The escalation letter through the dashboard API on SQLite and on PostgreSQL: settings with
// field errors, refusal of a young or resolved fault, numbers that never repeat (in a row and at
// once), the PDF's text (pdftotext) and first page (pdftoppm + ImageMagick: not blank), and hostile
// text (long, control characters, RTL, emoji) that wraps inside the page.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type {
  EscalationLetterStatus,
  EscalationLetterView,
  FieldErrors,
  LetterSettingsRequest,
  LetterSettingsView,
} from '../../../district/dash-api';
import { addStaff, login, postEvents, STAFF, staffHeaders, staffPost } from '../../helpers/dashboard';
import type { Login } from '../../helpers/dashboard';
import { startTestDistrict, TestStation } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';
import { startPostgres } from '../../helpers/postgres';
import type { TestPostgres } from '../../helpers/postgres';

const DAY = 86_400_000;
const temp = mkdtempSync(join(tmpdir(), 'siaga-letter-test-'));
after(() => rmSync(temp, { recursive: true, force: true }));

const SETTINGS: LetterSettingsRequest = {
  authority: 'Pemerintah Kabupaten Sukoharjo',
  agency: 'Dinas Kependudukan dan Pencatatan Sipil',
  address: 'Jl. Jenderal Sudirman No. 199, Sukoharjo',
  phone: '(0271) 593068',
  email: 'disdukcapil@sukoharjokab.go.id',
  place: 'Sukoharjo',
  numberPattern: '470/{n}/Disdukcapil/{year}',
  provinceRecipient: 'Kepala Dinas Kependudukan dan Pencatatan Sipil Provinsi Jawa Tengah',
  provincePlace: 'Semarang',
  directorateRecipient: 'Direktur Jenderal Kependudukan dan Pencatatan Sipil Kementerian Dalam Negeri',
  directoratePlace: 'Jakarta',
  signerTitle: 'Kepala Dinas Kependudukan dan Pencatatan Sipil Kabupaten Sukoharjo',
  signerName: 'Sri Rahayu Wulandari',
  signerRank: 'Pembina Utama Muda',
  signerNip: '197001011990032001',
  copies: ['Bupati Sukoharjo', 'Arsip'],
};

const HOSTILE_MESSAGE =
  `Pesan-awal ${'gangguan berulang pada sensor '.repeat(40)}` +
  `${'Z'.repeat(300)} \t kendali\r\u007f\u009b[2J\u0085 عربي עברית \u202Eterbalik\u202C 😀🔥 pesan-akhir`;

/** The text of a PDF (pdftotext, in its layout: a label and its value on one line), whitespace made single spaces. */
function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(
    /\s+/g,
    ' ',
  );
}

/** Every word's box (pdftotext -bbox) with its page's width. */
function wordBoxes(file: string): { xMin: number; xMax: number; pageWidth: number }[] {
  const html = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8' });
  const boxes: { xMin: number; xMax: number; pageWidth: number }[] = [];
  let pageWidth = 0;
  for (const match of html.matchAll(
    /<page width="([\d.]+)"|<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"/g,
  )) {
    if (match[1] !== undefined) {
      pageWidth = Number(match[1]);
    } else {
      boxes.push({ xMin: Number(match[2]), xMax: Number(match[3]), pageWidth });
    }
  }
  return boxes;
}

/** Mean brightness (0 black .. 1 white) of the first page rendered by pdftoppm, via ImageMagick. */
function firstPageMean(file: string, prefix: string): number {
  execFileSync('pdftoppm', ['-png', '-r', '40', '-f', '1', '-l', '1', '-singlefile', file, prefix]);
  assert.ok(existsSync(`${prefix}.png`), 'pdftoppm made no page image');
  return Number(
    execFileSync('convert', [`${prefix}.png`, '-colorspace', 'Gray', '-format', '%[fx:mean]', 'info:'], {
      encoding: 'utf8',
    }),
  );
}

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`escalation letter on ${engine}`, () => {
    let clock = Date.parse('2026-12-02T02:30:00Z');
    let postgres: TestPostgres | undefined;
    let district: TestDistrict;
    let admin: Login;
    let technician: Login;
    let viewer: Login;
    const station = new TestStation();

    before(async () => {
      postgres = engine === 'postgres' ? await startPostgres() : undefined;
      district = await startTestDistrict({ url: postgres?.url, now: () => clock });
      await addStaff(district.db);
      [admin, technician, viewer] = await Promise.all([
        login(district.app, STAFF.admin),
        login(district.app, STAFF.technician),
        login(district.app, STAFF.viewer),
      ]);
      await station.enroll(district, 'Loket 1', 'Bulu');
      const old = clock - 40 * DAY;
      await postEvents(
        district,
        station,
        [
          station.fault('fault.opened', 'old', { firstSeen: new Date(old).toISOString() }, old),
          station.fault(
            'fault.opened',
            'young',
            { firstSeen: new Date(clock - 2 * DAY).toISOString(), role: 'iris', code: 'IRIS_MISSING' },
            clock - 2 * DAY,
          ),
          station.fault(
            'fault.opened',
            'hostile',
            {
              firstSeen: new Date(clock - 45 * DAY).toISOString(),
              role: 'camera',
              code: 'CAMERA_MISSING',
              message: { id: HOSTILE_MESSAGE, en: 'x' },
              device: {
                key: 'usb:04a9:0001:ÜÑ-😀',
                vendor: 'Canon\u0009Inc.',
                model: 'EOS ‮1100D',
                serialNumber: 'ÜÑ-😀-SN',
                transport: 'usb',
              },
            },
            clock - 45 * DAY,
          ),
          station.fault(
            'fault.opened',
            'gone',
            {
              firstSeen: new Date(clock - 50 * DAY).toISOString(),
              role: 'signature',
              code: 'SIGNATURE_MISSING',
            },
            clock - 50 * DAY,
          ),
          station.fault(
            'fault.resolved',
            'gone',
            {
              firstSeen: new Date(clock - 50 * DAY).toISOString(),
              role: 'signature',
              code: 'SIGNATURE_MISSING',
            },
            clock - DAY,
          ),
        ],
        clock,
      );
      const actions = '/api/dash/faults/' + station.stationId + '/old/actions';
      await staffPost(district.app, actions, { type: 'acknowledge' }, technician);
      await staffPost(
        district.app,
        actions,
        { type: 'repair', assignee: 'Budi Santoso', note: 'kabel USB diganti' },
        technician,
      );
      const spare = await staffPost<{ id: string }>(
        district.app,
        '/api/dash/inventory/spares',
        { serialNumber: 'SPARE-77', vendor: 'Cross Match', model: 'Guardian', role: 'fingerprint' },
        technician,
      );
      const day = (ms: number) => new Date(ms + 7 * 3_600_000).toISOString().slice(0, 10);
      await staffPost(
        district.app,
        '/api/dash/inventory/loans',
        {
          deviceId: spare.id,
          toStationId: station.stationId,
          startsOn: day(clock - 20 * DAY),
          dueOn: day(clock + 10 * DAY),
          reference: '027/5/PP/2026',
          purpose: 'Pengganti sementara',
        },
        technician,
      );
    });
    after(async () => {
      await district?.close();
      await postgres?.stop();
    });

    const issue = (faultId: string, session: Login, status = 200, extra: object = {}) =>
      staffPost<EscalationLetterView & { message?: string }>(
        district.app,
        '/api/dash/escalation-letters',
        { stationId: station.stationId, faultId, recipient: 'province', ...extra },
        session,
        status,
      );

    async function fetchPdf(letter: EscalationLetterView, name: string): Promise<string> {
      const response = await district.app.inject({
        method: 'GET',
        url: letter.pdfUrl,
        headers: staffHeaders(viewer),
      });
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(response.headers['content-type'], 'application/pdf');
      const file = join(temp, `${engine}-${name}.pdf`);
      writeFileSync(file, response.rawPayload);
      return file;
    }

    test('no letter before an admin set the letterhead; settings refuse bad fields one by one', async () => {
      const refused = await issue('old', technician, 409);
      assert.match(refused.message ?? '', /Kop surat belum diisi/);
      const bad = await staffPost<FieldErrors>(
        district.app,
        '/api/dash/escalation-letters/settings',
        {
          ...SETTINGS,
          agency: ' ',
          email: 'bukan email',
          numberPattern: '470/Disdukcapil/{year}',
          signerNip: '12345',
          copies: ['Arsip', 'baris\nbaru'],
        },
        admin,
        400,
      );
      assert.deepEqual(Object.keys(bad.fields).sort(), [
        'agency',
        'copies.1',
        'email',
        'numberPattern',
        'signerNip',
      ]);
      assert.match(bad.fields.signerNip, /18 angka/);
      assert.match(bad.fields.numberPattern, /\{n\}/);
      const notImage = await staffPost<FieldErrors>(
        district.app,
        '/api/dash/escalation-letters/settings',
        { ...SETTINGS, logo: Buffer.from('GIF89a not a png').toString('base64') },
        admin,
        400,
      );
      assert.match(notImage.fields.logo, /PNG atau JPEG/);
      const truncatedPng = execFileSync('convert', ['-size', '64x64', 'xc:navy', 'png:-']).subarray(0, 40);
      const damaged = await staffPost<FieldErrors>(
        district.app,
        '/api/dash/escalation-letters/settings',
        { ...SETTINGS, logo: truncatedPng.toString('base64') },
        admin,
        400,
      );
      assert.match(damaged.fields.logo, /rusak/);
      await staffPost(district.app, '/api/dash/escalation-letters/settings', SETTINGS, technician, 403);
      const unchanged = await district.app.inject({
        method: 'GET',
        url: '/api/dash/escalation-letters/settings',
        headers: staffHeaders(viewer),
      });
      assert.equal((unchanged.json() as LetterSettingsView).configured, false);
      const logo = execFileSync('convert', [
        '-size',
        '64x64',
        'xc:navy',
        '-fill',
        'gold',
        '-draw',
        'circle 32,32 32,8',
        'png:-',
      ]);
      const saved = await staffPost<LetterSettingsView>(
        district.app,
        '/api/dash/escalation-letters/settings',
        { ...SETTINGS, logo: logo.toString('base64') },
        admin,
      );
      assert.equal(saved.configured, true);
      assert.equal(saved.settings.signerName, SETTINGS.signerName);
    });

    test('a fault younger than the threshold, a resolved one and an unknown one are refused clearly', async () => {
      const young = await issue('young', technician, 409);
      assert.match(
        young.message ?? '',
        /baru berlangsung 2 hari; surat eskalasi dapat dibuat setelah 30 hari/,
      );
      const gone = await issue('gone', technician, 409);
      assert.match(gone.message ?? '', /sudah pulih atau ditutup/);
      await issue('nothing-here', technician, 404);
      await issue('old', viewer, 403);
      const status = await district.app.inject({
        method: 'GET',
        url: `/api/dash/escalation-letters?station=${station.stationId}&fault=young`,
        headers: staffHeaders(viewer),
      });
      const body = status.json() as EscalationLetterStatus;
      assert.deepEqual([body.eligible, body.thresholdHours, body.letters.length], [false, 720, 0]);
    });

    test('a letter for an old fault: its PDF holds number, subject, station, kecamatan, serial, history and signature', async () => {
      const letter = await issue('old', technician);
      assert.equal(letter.number, '470/1/Disdukcapil/2026');
      const file = await fetchPdf(letter, 'old');
      const text = pdfText(file);
      for (const expected of [
        'Nomor : 470/1/Disdukcapil/2026',
        'Sukoharjo, 2 Desember 2026',
        'Perihal : Permohonan penanganan kerusakan peralatan perekaman KTP-el di Kecamatan Bulu',
        'Yth. Kepala Dinas Kependudukan dan Pencatatan Sipil Provinsi Jawa Tengah',
        'Stasiun perekaman : Loket 1',
        'Kecamatan : Bulu',
        'Nomor seri : CM123',
        'Gangguan dilaporkan otomatis oleh stasiun.',
        'Diterima oleh Budi Santoso.',
        'Perbaikan ditugaskan kepada Budi Santoso oleh Budi Santoso (catatan: kabel USB diganti).',
        'Pinjam pakai Cross Match Guardian nomor seri SPARE-77 dari gudang cadangan kabupaten, surat nomor 027/5/',
        '29 hari kerja tanpa perekaman',
        'Janji perekaman warga : tidak tercatat (kabupaten belum mencatat janji',
        'Sri Rahayu Wulandari',
        'NIP. 19700101 199003 2 001',
        'Tembusan: 1. Bupati Sukoharjo; 2. Arsip.',
      ]) {
        assert.ok(text.includes(expected), `missing "${expected}" in the PDF's text`);
      }
      // The history in time order: opened (40 days ago), the loan (20 days ago), acknowledged and assigned (today).
      const order = [
        'Gangguan dilaporkan otomatis',
        'Pinjam pakai',
        'Diterima oleh',
        'Perbaikan ditugaskan',
      ].map((part) => text.indexOf(part));
      assert.deepEqual(
        [...order].sort((left, right) => left - right),
        order,
      );
      const mean = firstPageMean(file, join(temp, `${engine}-old-page`));
      assert.ok(mean > 0.5 && mean < 0.985, `page 1 mean brightness ${mean}: blank or black`);
    });

    test('letters in a row and at once get different numbers, each recorded once', async () => {
      const second = await issue('old', technician, 200, { recipient: 'directorate' });
      assert.equal(second.number, '470/2/Disdukcapil/2026');
      const together = await Promise.all([1, 2, 3, 4, 5].map(() => issue('old', technician)));
      const numbers = new Set([second.number, ...together.map((letter) => letter.number)]);
      assert.equal(numbers.size, 6);
      assert.deepEqual(
        [...numbers].map((number) => Number(number.split('/')[1])).sort((left, right) => left - right),
        [2, 3, 4, 5, 6, 7],
      );
      const listed = await district.app.inject({
        method: 'GET',
        url: `/api/dash/escalation-letters?station=${station.stationId}&fault=old`,
        headers: staffHeaders(viewer),
      });
      const status = listed.json() as EscalationLetterStatus;
      assert.equal(status.eligible, true);
      assert.equal(status.letters.length, 7);
      // The register keeps the letter as issued: the PDF of letter 2 still names the directorate.
      const file = await fetchPdf(second, 'second');
      assert.ok(
        pdfText(file).includes(
          'Yth. Direktur Jenderal Kependudukan dan Pencatatan Sipil Kementerian Dalam Negeri',
        ),
      );
    });

    test('hostile text (very long, control characters, RTL, emoji) wraps inside the page and breaks nothing', async () => {
      const letter = await issue('hostile', technician, 200, {
        note: `Catatan\u0000 staf ${'sangat panjang '.repeat(120)} 😀 עברית akhir-catatan`,
      });
      const file = await fetchPdf(letter, 'hostile');
      const text = pdfText(file);
      assert.ok(text.includes('Pesan-awal'), 'the message start is in the letter');
      assert.ok(text.includes('pesan-akhir'), 'the message end is in the letter');
      assert.ok(text.includes('akhir-catatan'), 'the note end is in the letter');
      assert.ok(!/[\p{Cc}\u202e]/u.test(text), 'no control or override character reached the PDF');
      const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
      const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
      assert.ok(pages >= 2, `${pages} pages`);
      const boxes = wordBoxes(file);
      assert.ok(boxes.length > 100);
      for (const box of boxes) {
        assert.ok(
          box.xMin >= 0 && box.xMax <= box.pageWidth - 20 * (72 / 25.4) + 1,
          `a word runs past the margin: ${JSON.stringify(box)}`,
        );
      }
      const mean = firstPageMean(file, join(temp, `${engine}-hostile-page`));
      assert.ok(mean > 0.5 && mean < 0.985, `page 1 mean brightness ${mean}`);
      assert.ok(readFileSync(file).subarray(0, 5).toString('latin1') === '%PDF-');
    });

    test('the first letter of a new local year is number 1 again', async () => {
      // 1 January 2027, 00:30 WIB (still 31 December in UTC); sessions made a month ago have expired.
      clock = Date.parse('2026-12-31T17:30:00Z');
      technician = await login(district.app, STAFF.technician);
      viewer = await login(district.app, STAFF.viewer);
      const nextYear = await issue('old', technician);
      assert.equal(nextYear.number, '470/1/Disdukcapil/2027');
      assert.ok(pdfText(await fetchPdf(nextYear, 'next-year')).includes('Sukoharjo, 1 Januari 2027'));
    });

    test('an unknown letter is 404, and the letter routes need a session', async () => {
      const missing = await district.app.inject({
        method: 'GET',
        url: '/api/dash/escalation-letters/se-nope/pdf',
        headers: staffHeaders(viewer),
      });
      assert.equal(missing.statusCode, 404);
      const anonymous = await district.app.inject({
        method: 'GET',
        url: '/api/dash/escalation-letters/settings',
      });
      assert.equal(anonymous.statusCode, 401);
    });
  });
}
