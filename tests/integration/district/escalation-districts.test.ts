// Escalation rules and contacts per district, on SQLite with a real SMTP peer: a fault of one
// district mails that district's contacts only; a district without its own rules mails nobody
// (not the server file's contacts) until its staff save theirs; an admin's pass runs their scope
// only; a district's account cannot read or change another district's rules.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { EscalationSettingsRequest, EscalationSettingsView } from '../../../district/dash-api';
import { addUser } from '../../../district/server/auth/users';
import { EscalationConfigSchema } from '../../../district/server/escalation/config';
import { createNotifier } from '../../../district/server/notify/notifier';
import { login, PASSWORD, postEvents, staffHeaders, TEST_SCRYPT } from '../../helpers/dashboard';
import type { Login } from '../../helpers/dashboard';
import { startTestDistrict } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';
import { startSmtp } from '../../helpers/smtp';
import type { TestSmtp } from '../../helpers/smtp';
import { COUNTRY_NOW, DENPASAR, seedCountry, SRAGEN, SURAKARTA } from '../../helpers/tenancy';
import type { Country } from '../../helpers/tenancy';

const clock = { now: COUNTRY_NOW };
let district: TestDistrict;
let country: Country;
let smtp: TestSmtp;
let surakarta: Login;

const SRAGEN_MAIL = 'teknisi@sragen.example';
const FILE_MAIL = 'berkas@provinsi.example';

before(async () => {
  smtp = await startSmtp();
  district = await startTestDistrict({
    now: () => clock.now,
    dashboard: {
      escalation: {
        // The server's file: its contacts are the default district's, nobody else's.
        config: EscalationConfigSchema.parse({
          rules: [{ id: 'unacknowledged-1h', condition: 'unacknowledged', afterHours: 1, notify: 'technicians' }],
          contacts: { technicians: { emails: [FILE_MAIL] } },
          digestHour: 23,
          webhookHosts: ['hook.sragen.example'],
        }),
        notifier: createNotifier({ smtpUrl: smtp.url, from: 'Siaga <siaga@example.go.id>' }),
        timer: false,
      },
    },
  });
  country = await seedCountry(district, clock);
  // Surakarta's Laweyan has a fault too; Surakarta has not set any rules yet.
  const laweyan = country.stations.laweyan;
  await postEvents(
    district,
    laweyan,
    [laweyan.fault('fault.opened', 'fp-lwy', { firstSeen: new Date(COUNTRY_NOW - 3 * 3_600_000).toISOString() })],
    COUNTRY_NOW,
  );
  await addUser(
    district.db,
    { username: 'solo-admin', name: 'Admin Solo', role: 'admin', password: PASSWORD, scope: { level: 'district', code: SURAKARTA } },
    TEST_SCRYPT,
  );
  surakarta = await login(district.app, 'solo-admin');
});

after(async () => {
  await district?.close();
  await smtp?.stop();
});

async function call<T>(method: 'GET' | 'POST', url: string, session: Login, body?: unknown, status = 200): Promise<T> {
  const response = await district.app.inject({
    method,
    url,
    headers: staffHeaders(session, method),
    ...(method === 'POST' ? { payload: JSON.stringify(body ?? {}) } : {}),
  });
  assert.equal(response.statusCode, status, `${method} ${url}: ${response.body}`);
  return response.json() as T;
}

const sragenRules: EscalationSettingsRequest = {
  rules: [{ id: 'srg-unacknowledged', condition: 'unacknowledged', afterHours: 1, notify: 'teknisi' }],
  contacts: { teknisi: { emails: [SRAGEN_MAIL] } },
};

test("a district's staff save their own rules; a bad set is refused in Indonesian and English and changes nothing", async () => {
  const start = await call<EscalationSettingsView>('GET', '/api/dash/escalation/settings', country.accounts.sragen);
  // Nothing of its own yet: the file's rules to start from, with nobody to notify (not the file's contacts).
  assert.equal(start.source, 'none');
  assert.deepEqual(start.settings.rules.map((rule) => rule.id), ['unacknowledged-1h']);
  assert.deepEqual(start.settings.contacts, { technicians: { emails: [], webhooks: [] } });
  assert.ok(!JSON.stringify(start).includes(FILE_MAIL));

  const refused = await call<{ error: string; message: string }>(
    'POST',
    '/api/dash/escalation/settings',
    country.accounts.sragen,
    { rules: sragenRules.rules, contacts: { other: { emails: [SRAGEN_MAIL] } } },
    400,
  );
  assert.match(refused.message, /setiap aturan harus memberi tahu kontak yang ada \(every rule must notify a key of contacts\)/);
  await call('POST', '/api/dash/escalation/settings', country.accounts.sragen, { ...sragenRules, contacts: { teknisi: { emails: ['bukan alamat'] } } }, 400);
  // A rule naming an inherited property of every object is no contact (it would break every district's pass).
  for (const notify of ['toString', '__proto__', 'constructor']) {
    await call('POST', '/api/dash/escalation/settings', country.accounts.sragen, { rules: [{ ...sragenRules.rules![0], notify }], contacts: sragenRules.contacts }, 400);
  }
  const tooMany = Object.fromEntries(Array.from({ length: 21 }, (_, index) => [`k-${index}`, { emails: [SRAGEN_MAIL] }]));
  await call('POST', '/api/dash/escalation/settings', country.accounts.sragen, { rules: [], contacts: tooMany }, 400);
  await call('POST', '/api/dash/escalation/settings', country.accounts.sragen, { rules: [...sragenRules.rules!, ...sragenRules.rules!], contacts: sragenRules.contacts }, 400);
  assert.equal((await call<EscalationSettingsView>('GET', '/api/dash/escalation/settings', country.accounts.sragen)).source, 'none');

  // A webhook only to a host the service operator listed: a district admin cannot make the province
  // server post into its own network (loopback, the database host, the metadata address).
  for (const url of ['http://127.0.0.1:5432/', 'http://localhost/x', 'http://169.254.169.254/latest', 'https://HOOK.sragen.example.evil.example/']) {
    const hook = await call<{ error: string; message: string }>(
      'POST',
      '/api/dash/escalation/settings',
      country.accounts.sragen,
      { rules: sragenRules.rules, contacts: { teknisi: { emails: [SRAGEN_MAIL], webhooks: [url] } } },
      400,
    );
    assert.equal(hook.error, 'webhook-host-not-allowed', url);
    assert.match(hook.message, /webhook hanya ke host yang diizinkan pengelola layanan/);
  }
  assert.equal((await call<EscalationSettingsView>('GET', '/api/dash/escalation/settings', country.accounts.sragen)).source, 'none');
  const withHook = await call<EscalationSettingsView>('POST', '/api/dash/escalation/settings', country.accounts.sragen, {
    rules: sragenRules.rules,
    contacts: { teknisi: { emails: [SRAGEN_MAIL], webhooks: ['https://Hook.Sragen.example/siaga'] } },
  });
  assert.deepEqual(withHook.settings.contacts.teknisi.webhooks, ['https://Hook.Sragen.example/siaga']);

  const saved = await call<EscalationSettingsView>('POST', '/api/dash/escalation/settings', country.accounts.sragen, sragenRules);
  assert.equal(saved.source, 'district');
  assert.equal(saved.updatedBy, 'sragen-admin');
  assert.deepEqual(saved.settings.contacts.teknisi.emails, [SRAGEN_MAIL]);
});

test("a district's account cannot read or change another district's rules", async () => {
  const denpasarBefore = await call<EscalationSettingsView>('GET', '/api/dash/escalation/settings', country.accounts.denpasar);
  assert.deepEqual(denpasarBefore.settings.contacts['dps-teknisi'].emails, ['eskalasi@dps.example']);
  const own = await district.app.inject({ method: 'GET', url: '/api/dash/escalation/settings', headers: staffHeaders(country.accounts.sragen) });
  assert.ok(!own.body.includes('eskalasi@dps.example'));
  await call('GET', `/api/dash/escalation/settings?district=${DENPASAR}`, country.accounts.sragen, undefined, 404);
  await call('POST', `/api/dash/escalation/settings?district=${DENPASAR}`, country.accounts.sragen, sragenRules, 404);
  // A province account works on one district at a time, and only within its province.
  await call('GET', '/api/dash/escalation/settings', country.accounts.province, undefined, 400);
  await call('GET', `/api/dash/escalation/settings?district=${DENPASAR}`, country.accounts.province, undefined, 404);
  const sragenSeenByProvince = await call<EscalationSettingsView>('GET', `/api/dash/escalation/settings?district=${SRAGEN}`, country.accounts.province);
  assert.deepEqual(sragenSeenByProvince.settings.contacts.teknisi.emails, [SRAGEN_MAIL]);
  assert.deepEqual(
    await call<EscalationSettingsView>('GET', '/api/dash/escalation/settings', country.accounts.denpasar),
    denpasarBefore,
  );
});

test("a fault of Sragen mails Sragen's contacts only; Sragen's admin's pass escalates Sragen only", async () => {
  const result = await call<{ escalated: number; sent: number }>('POST', '/api/dash/escalation/run', country.accounts.sragen, {});
  assert.deepEqual([result.escalated, result.sent], [1, 1]);
  const [mail] = await smtp.waitFor(1);
  assert.deepEqual(mail.to, [SRAGEN_MAIL]);
  assert.match(mail.text, /Tangen/);
  assert.doesNotMatch(mail.text, /Denpasar|Laweyan/);
  // Denpasar's older fault was not touched by Sragen's pass.
  const notices = await district.db.query<{ fault_id: string }>('SELECT fault_id FROM escalation_notices ORDER BY fault_id');
  assert.deepEqual(notices.map((notice) => notice.fault_id), ['fp-srg']);
});

test("the scheduled pass sends each district's fault to its own contacts; a district without rules mails nobody", async () => {
  const result = await district.app.dashboard.escalation!.runNow();
  assert.deepEqual([result.escalated, result.sent, result.failed], [1, 1, 0]);
  await smtp.waitFor(2);
  assert.equal(smtp.mails.length, 2);
  const denpasarMail = smtp.mails[1];
  assert.deepEqual(denpasarMail.to, ['eskalasi@dps.example']);
  assert.match(denpasarMail.text, /Denpasar Barat/);
  assert.doesNotMatch(denpasarMail.text, /Tangen|Laweyan/);
  // Surakarta's fault escalated to nobody, and is not marked as escalated: once its staff save
  // rules, it goes to them (not lost to a pass made before they had any).
  assert.ok(smtp.mails.every((mail) => !mail.to.includes(FILE_MAIL)));
  const notices = await district.db.query<{ fault_id: string }>('SELECT fault_id FROM escalation_notices ORDER BY fault_id');
  assert.deepEqual(notices.map((notice) => notice.fault_id), ['fp-dps', 'fp-srg']);

  await call('POST', '/api/dash/escalation/settings', surakarta, {
    rules: [{ id: 'solo-open', condition: 'open', afterHours: 2, minSeverity: 'minor', notify: 'kepala' }],
    contacts: { kepala: { emails: ['kepala@solo.example'] } },
  });
  // A province admin's pass: Central Java's districts only (Sragen's fault was escalated already).
  const province = await call<{ escalated: number; sent: number }>('POST', '/api/dash/escalation/run', country.accounts.province, {});
  assert.deepEqual([province.escalated, province.sent], [1, 1]);
  await smtp.waitFor(3);
  assert.deepEqual(smtp.mails[2].to, ['kepala@solo.example']);
  assert.match(smtp.mails[2].text, /Laweyan/);
  assert.doesNotMatch(smtp.mails[2].text, /Tangen|Denpasar/);
  // Nothing more to send anywhere.
  const again = await district.app.dashboard.escalation!.runNow();
  assert.deepEqual([again.escalated, again.sent], [0, 0]);
  assert.equal(smtp.mails.length, 3);
});

test("a district's changed rules escalate its fault by the new rule, to its own contacts only", async () => {
  await call('POST', '/api/dash/escalation/settings', country.accounts.sragen, {
    rules: [{ id: 'srg-open-1h', condition: 'open', afterHours: 1, notify: 'teknisi' }],
    contacts: { teknisi: { emails: [SRAGEN_MAIL] } },
  });
  // A pass with Sragen's new rule escalates its fault once more (new rule), to Sragen only.
  const result = await call<{ escalated: number; sent: number }>('POST', '/api/dash/escalation/run', country.accounts.sragen, {});
  assert.deepEqual([result.escalated, result.sent], [1, 1]);
  await smtp.waitFor(4);
  assert.deepEqual(smtp.mails[3].to, [SRAGEN_MAIL]);
});
