// Hostile cases of peers tied to districts, escalation rules per district and /publik per district,
// against a real SQLite service of three districts (tests/helpers/tenancy.ts), a real SMTP peer and
// real signed forwards: a forward half made of a station this peer does not own, a station name
// with CR/LF in a mail subject, rule and contact keys named after Object's properties, webhooks
// that are not web addresses, two district admins running escalation at once, and /publik paths
// a resident may type.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { EscalationResult } from '../../../district/server/escalation/run';
import { createNotifier } from '../../../district/server/notify/notifier';
import { addPeer } from '../../../district/server/peering/peers';
import { EscalationConfigSchema } from '../../../district/server/escalation/config';
import type { EscalationSettingsView } from '../../../district/dash-api';
import { newStationId } from '../../../district/server/db/ids';
import { forwardedStationId, PEER_PATHS } from '../../../protocol/peering';
import { addUser } from '../../../district/server/auth/users';
import { login, PASSWORD, staffHeaders, TEST_SCRYPT } from '../../helpers/dashboard';
import type { Login } from '../../helpers/dashboard';
import { startTestDistrict, TestStation } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';
import { startPostgres } from '../../helpers/postgres';
import type { TestPostgres } from '../../helpers/postgres';
import { startSmtp } from '../../helpers/smtp';
import type { TestSmtp } from '../../helpers/smtp';
import { COUNTRY_NOW, DENPASAR, seedCountry, SRAGEN, SURAKARTA } from '../../helpers/tenancy';
import type { Country } from '../../helpers/tenancy';

const HOUR = 3_600_000;
const clock = { now: COUNTRY_NOW };
let district: TestDistrict;
let smtp: TestSmtp;
let country: Country;
let sragenTechnician: Login;
let postgres: TestPostgres | null = null;

/** A downstream district server: its peer key, enrolled here into `districtCode`. */
async function enrolledPeer(
  districtCode: string,
  name: string,
): Promise<{ key: TestStation; peerId: string }> {
  const peer = await addPeer(district.db, { districtName: name, district: districtCode, nowMs: clock.now });
  const key = new TestStation();
  const response = await district.app.inject({
    method: 'POST',
    url: PEER_PATHS.enroll,
    payload: { code: peer.code, publicKey: key.publicKeyBase64, appVersion: '0.1.0' },
  });
  assert.equal(response.statusCode, 200, response.body);
  return { key, peerId: peer.peerId };
}

/** A signed forward of `stations` (each with one heartbeat, or a fault when asked) by `peer`. */
function forward(
  peer: { key: TestStation; peerId: string },
  stations: { station: TestStation; name: string; kecamatan: string; fault?: string }[],
) {
  const body = JSON.stringify({
    stations: stations.map(({ station, name, kecamatan }) => ({ id: station.stationId, name, kecamatan })),
    events: stations.map(({ station, fault }) => ({
      event:
        fault === undefined
          ? station.heartbeat(clock.now)
          : station.fault(
              'fault.opened',
              fault,
              { firstSeen: new Date(clock.now - 30 * HOUR).toISOString() },
              clock.now,
            ),
      receivedAt: new Date(clock.now).toISOString(),
      source: 'http',
    })),
  });
  return district.app.inject({
    method: 'POST',
    url: PEER_PATHS.events,
    payload: body,
    headers: peer.key.headers('POST', PEER_PATHS.events, body, clock.now, peer.peerId),
  });
}

function downstreamStation(): TestStation {
  const station = new TestStation();
  station.stationId = newStationId(clock.now);
  return station;
}

const settingsUrl = (query = '') => `/api/dash/escalation/settings${query}`;

function saveSettings(session: Login, body: unknown, query = '') {
  return district.app.inject({
    method: 'POST',
    url: settingsUrl(query),
    payload: typeof body === 'string' ? body : JSON.stringify(body),
    headers: staffHeaders(session, 'POST'),
  });
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(dialect, () => {
    before(async () => {
      clock.now = COUNTRY_NOW;
      postgres = dialect === 'postgres' ? await startPostgres() : null;
      smtp = await startSmtp();
      const notifier = createNotifier({ smtpUrl: smtp.url, from: 'Siaga Jateng <siaga@jateng.example>' });
      district = await startTestDistrict({
        url: postgres?.url,
        now: () => clock.now,
        dashboard: {
          districtName: 'Siaga Provinsi',
          escalation: {
            // The file's contacts are the default district's; nobody else's mail may go there.
            config: EscalationConfigSchema.parse({
              rules: [
                { id: 'file-rule', condition: 'unacknowledged', afterHours: 1, notify: 'file-contact' },
              ],
              contacts: { 'file-contact': { emails: ['berkas@default.example'] } },
              maxSinglePerDay: 50,
            }),
            notifier,
            timer: false,
          },
        },
      });
      country = await seedCountry(district, clock);
      await addUser(
        district.db,
        {
          username: 'sragen-teknisi',
          name: 'Teknisi Sragen',
          role: 'technician',
          password: PASSWORD,
          scope: { level: 'district', code: SRAGEN },
        },
        TEST_SCRYPT,
      );
      sragenTechnician = await login(district.app, 'sragen-teknisi');
    });

    after(async () => {
      await district.close();
      await smtp.stop();
      await postgres?.stop();
    });

    test('a forward naming a station this peer does not own in its district is refused whole: no other station of it is made', async () => {
      const peer = await enrolledPeer(SRAGEN, 'Kabupaten Sragen (server sendiri)');
      const owned = downstreamStation();
      // A row of this peer's id prefix that lies in Denpasar (a row moved by hand, or left by an old
      // enrolment): the peer must never rename or feed it, and its refusal must leave nothing behind.
      const foreign = downstreamStation();
      await district.db.run(
        `INSERT INTO stations (id, name, kecamatan, created_at, district_code) VALUES ($1, 'Loket asing', 'Denpasar Barat', $2, $3)`,
        [forwardedStationId(peer.peerId, foreign.stationId), new Date(clock.now).toISOString(), DENPASAR],
      );
      const fresh = downstreamStation();
      const before = await district.counts();
      const refused = await forward(peer, [
        { station: fresh, name: 'Loket Baru', kecamatan: 'Gemolong' },
        { station: foreign, name: 'Loket Dicuri', kecamatan: 'Gemolong' },
      ]);
      assert.equal(refused.statusCode, 403, refused.body);
      assert.match(refused.body, /station-mismatch/);
      const afterRefusal = await district.counts();
      assert.equal(afterRefusal.stations, before.stations, 'the refused forward made a station');
      assert.equal(afterRefusal.events, before.events);
      assert.equal(afterRefusal.rejected, before.rejected + 1, 'the refusal is logged');
      const [foreignRow] = await district.db.query<{ name: string; district_code: string }>(
        'SELECT name, district_code FROM stations WHERE id = $1',
        [forwardedStationId(peer.peerId, foreign.stationId)],
      );
      assert.deepEqual(foreignRow, { name: 'Loket asing', district_code: DENPASAR });
      // The same peer's own stations still land in Sragen.
      const accepted = await forward(peer, [
        { station: owned, name: 'Loket Gemolong', kecamatan: 'Gemolong' },
      ]);
      assert.equal(accepted.statusCode, 200, accepted.body);
      const [ownedRow] = await district.db.query<{ district_code: string }>(
        'SELECT district_code FROM stations WHERE id = $1',
        [forwardedStationId(peer.peerId, owned.stationId)],
      );
      assert.equal(ownedRow.district_code, SRAGEN);
    });

    test('two peers forwarding the same downstream station id each keep their own row in their own district', async () => {
      const sragenPeer = await enrolledPeer(SRAGEN, 'Sragen');
      const surakartaPeer = await enrolledPeer(SURAKARTA, 'Surakarta');
      const shared = downstreamStation();
      for (const peer of [sragenPeer, surakartaPeer]) {
        const response = await forward(peer, [{ station: shared, name: 'Loket Kembar', kecamatan: 'Kota' }]);
        assert.equal(response.statusCode, 200, response.body);
      }
      const rows = await district.db.query<{ id: string; district_code: string }>(
        'SELECT id, district_code FROM stations WHERE id IN ($1, $2) ORDER BY district_code',
        [
          forwardedStationId(sragenPeer.peerId, shared.stationId),
          forwardedStationId(surakartaPeer.peerId, shared.stationId),
        ],
      );
      assert.deepEqual(
        rows.map((row) => row.district_code),
        [SRAGEN, SURAKARTA],
      );
      // Surakarta's peer signing as Sragen's peer id is a bad signature, and changes nothing.
      const body = JSON.stringify({
        stations: [{ id: shared.stationId, name: 'Diambil', kecamatan: 'Kota' }],
        events: [
          {
            event: shared.heartbeat(clock.now),
            receivedAt: new Date(clock.now).toISOString(),
            source: 'http',
          },
        ],
      });
      const forged = await district.app.inject({
        method: 'POST',
        url: PEER_PATHS.events,
        payload: body,
        headers: surakartaPeer.key.headers('POST', PEER_PATHS.events, body, clock.now, sragenPeer.peerId),
      });
      assert.equal(forged.statusCode, 401, forged.body);
      const [sragenRow] = await district.db.query<{ name: string }>(
        'SELECT name FROM stations WHERE id = $1',
        [forwardedStationId(sragenPeer.peerId, shared.stationId)],
      );
      assert.equal(sragenRow.name, 'Loket Kembar');
    });

    test('escalation settings: a technician, another district and a province outside cannot save; odd keys and addresses are refused or kept safe', async () => {
      const good = {
        rules: [
          {
            id: 'srg-1',
            condition: 'unacknowledged',
            afterHours: 1,
            minSeverity: 'minor',
            notify: 'constructor',
          },
        ],
        contacts: { constructor: { emails: ['kepala@sragen.example'], webhooks: [] } },
      };
      assert.equal((await saveSettings(sragenTechnician, good)).statusCode, 403);
      assert.equal(
        (await saveSettings(country.accounts.sragen, good, `?district=${DENPASAR}`)).statusCode,
        404,
      );
      // Jawa Tengah's admin: Bali's Denpasar is not theirs; without ?district= the district must be named.
      assert.equal(
        (await saveSettings(country.accounts.province, good, `?district=${DENPASAR}`)).statusCode,
        404,
      );
      assert.equal((await saveSettings(country.accounts.province, good)).statusCode, 400);
      const denpasarBefore = await district.db.query(
        'SELECT * FROM escalation_settings WHERE district_code = $1',
        [DENPASAR],
      );

      const refused: [string, unknown][] = [
        ['__proto__ contact', '{"rules":[],"contacts":{"__proto__":{"emails":["a@b.example"]}}}'],
        [
          'notify toString',
          { rules: [{ ...good.rules[0], notify: 'toString' }], contacts: { x: { emails: [] } } },
        ],
        ['unicode key', { rules: [], contacts: { 'kontak-ñ': { emails: [] } } }],
        ['65-character key', { rules: [], contacts: { ['k'.repeat(65)]: { emails: [] } } }],
        [
          'CR/LF in an address',
          { rules: [], contacts: { k: { emails: ['a@b.example\r\nBcc: c@d.example'] } } },
        ],
        [
          '10,000 contacts',
          {
            rules: [],
            contacts: Object.fromEntries(
              Array.from({ length: 10_000 }, (_, index) => [`k-${index}`, { emails: [] }]),
            ),
          },
        ],
        ['a javascript: webhook', { rules: [], contacts: { k: { webhooks: ['javascript:alert(1)'] } } }],
        ['a file: webhook', { rules: [], contacts: { k: { webhooks: ['file:///etc/passwd'] } } }],
        [
          'CR/LF in a webhook',
          { rules: [], contacts: { k: { webhooks: ['https://hook.example/\r\nX-Evil: 1'] } } },
        ],
      ];
      for (const [what, body] of refused) {
        const response = await saveSettings(country.accounts.sragen, body);
        assert.equal(response.statusCode, 400, `${what}: ${response.body.slice(0, 300)}`);
      }
      const saved = await saveSettings(country.accounts.sragen, good);
      assert.equal(saved.statusCode, 200, saved.body);
      assert.equal((saved.json() as EscalationSettingsView).source, 'district');
      assert.deepEqual(
        await district.db.query('SELECT * FROM escalation_settings WHERE district_code = $1', [DENPASAR]),
        denpasarBefore,
      );
    });

    test("a forwarded fault is left to its own district's server (not escalated here); CR/LF in a peer's station name adds no mail header; two admins running at once mail each once", async () => {
      const peer = await enrolledPeer(SRAGEN, 'Sragen (server)');
      const station = downstreamStation();
      const response = await forward(peer, [
        {
          station,
          name: 'Loket\r\nBcc: penyusup@evil.example',
          kecamatan: 'Masaran\r\nX-Evil: 1',
          fault: 'fp-fwd',
        },
      ]);
      assert.equal(response.statusCode, 200, response.body);
      clock.now += 2 * HOUR;
      const mailsBefore = smtp.mails.length;
      const run = (session: Login) =>
        district.app.inject({
          method: 'POST',
          url: '/api/dash/escalation/run',
          payload: '{}',
          headers: staffHeaders(session, 'POST'),
        });
      const [sragenRun, denpasarRun] = await Promise.all([
        run(country.accounts.sragen),
        run(country.accounts.denpasar),
      ]);
      assert.equal(sragenRun.statusCode, 200, sragenRun.body);
      assert.equal(denpasarRun.statusCode, 200, denpasarRun.body);
      const sragenResult = sragenRun.json() as EscalationResult;
      const denpasarResult = denpasarRun.json() as EscalationResult;
      // Sragen: Tangen's fp-srg; Denpasar: fp-dps. The forwarded fp-fwd is escalated by its own
      // district's server, never here (docs/peering.md: the province's copy is never acknowledged).
      assert.equal(sragenResult.escalated, 1, JSON.stringify(sragenResult));
      assert.equal(denpasarResult.escalated, 1, JSON.stringify(denpasarResult));
      await smtp.waitFor(mailsBefore + sragenResult.sent + denpasarResult.sent);
      // A second pass by both sends nothing more.
      const again = await Promise.all([run(country.accounts.sragen), run(country.accounts.denpasar)]);
      for (const answer of again) {
        assert.equal((answer.json() as EscalationResult).sent, 0);
      }
      const mails = smtp.mails.slice(mailsBefore);
      const recipients = mails.flatMap((mail) => mail.to).sort();
      assert.ok(
        !recipients.includes('berkas@default.example'),
        "the file's contact got another district's fault",
      );
      assert.ok(!recipients.includes('penyusup@evil.example'), 'a station name added a recipient');
      assert.equal(recipients.filter((to) => to === 'eskalasi@dps.example').length, 1);
      assert.equal(recipients.filter((to) => to === 'kepala@sragen.example').length, sragenResult.sent);
      const forwarded = mails.find(
        (mail) => mail.text.includes('fp-fwd') || mail.subject.includes('Masaran'),
      );
      assert.equal(forwarded, undefined, 'the forwarded fault was mailed from the province');
      const notices = await district.db.query('SELECT rule_id FROM escalation_notices WHERE station_id = $1', [
        forwardedStationId(peer.peerId, station.stationId),
      ]);
      assert.deepEqual(notices, [], 'the forwarded fault was escalated at the province');
      for (const mail of mails) {
        const head = mail.raw.slice(0, mail.raw.indexOf('\r\n\r\n'));
        assert.doesNotMatch(head, /^(bcc|x-evil):/im, head);
      }
    });

    test('/publik: paths a resident may type answer the district page or the Indonesian 404, never JSON', async () => {
      const sragen = await district.app.inject({ method: 'GET', url: '/publik/33.14' });
      assert.equal(sragen.statusCode, 200);
      assert.match(sragen.body, /Kabupaten Sragen/);
      assert.doesNotMatch(sragen.body, /Kota Denpasar/);
      // Sragen's tag never answers 304 for Denpasar's page.
      const denpasar = await district.app.inject({
        method: 'GET',
        url: `/publik/${DENPASAR}`,
        headers: { 'if-none-match': String(sragen.headers.etag) },
      });
      assert.equal(denpasar.statusCode, 200);
      assert.match(denpasar.body, /Kota Denpasar/);
      assert.notEqual(denpasar.headers.etag, sragen.headers.etag);
      assert.match(String(sragen.headers.vary), /accept-encoding/i);

      for (const url of [
        '/publik/33.14//',
        '/publik//33.14',
        '/publik/33.14/lain',
        '/publik/%2e%2e%2fapi',
        `/publik/${'9'.repeat(300)}`,
        '/publik/%E2%80%AE33.14',
        '/publik/33.14%00',
      ]) {
        const response = await district.app.inject({ method: 'GET', url });
        assert.equal(
          response.statusCode,
          404,
          `${url}: ${response.statusCode} ${response.body.slice(0, 200)}`,
        );
        assert.match(String(response.headers['content-type']), /^text\/html/, url);
        assert.match(response.body, /Kabupaten\/kota tidak ditemukan/, url);
      }
      // Over real HTTP a path's `..` reaches the server as sent (no client resolved it).
      const address = await district.app.listen({ port: 0, host: '127.0.0.1' });
      const raw = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(new URL(address).port), '127.0.0.1', () =>
          socket.end(
            'GET /publik/33.14/../../api/dash/board HTTP/1.1\r\nHost: siaga.example\r\nConnection: close\r\n\r\n',
          ),
        );
        const chunks: Buffer[] = [];
        socket.on('data', (chunk: Buffer) => chunks.push(chunk));
        socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        socket.on('error', reject);
      });
      assert.match(raw, /^HTTP\/1\.1 404/, raw.slice(0, 200));
      assert.match(raw, /Kabupaten\/kota tidak ditemukan/);
      const english = await district.app.inject({ method: 'GET', url: '/publik/33.14/lain?lang=en' });
      assert.equal(english.statusCode, 404);
      assert.match(english.body, /District not found/);
    });
  });
}
