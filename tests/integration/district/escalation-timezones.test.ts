// Escalation's local day per district, on SQLite and PostgreSQL with a real SMTP peer and the
// district's clock: Denpasar (WITA) gets its daily digest at 07:00 WITA and Sragen (WIB) at
// 07:00 WIB, each once; each district's cap of single messages resets at its own midnight; a
// district whose time zone changes after today's digest gets no second digest that day.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EscalationRule } from '../../../district/dash-api';
import { setTimeZone } from '../../../district/server/calendar/store';
import { EscalationConfigSchema } from '../../../district/server/escalation/config';
import { saveEscalationSettings } from '../../../district/server/escalation/district-settings';
import type { EscalationResult } from '../../../district/server/escalation/run';
import { createNotifier } from '../../../district/server/notify/notifier';
import { startTestDistrict } from '../../helpers/district';
import { startPostgres } from '../../helpers/postgres';
import { startSmtp } from '../../helpers/smtp';
import type { ReceivedMail } from '../../helpers/smtp';
import { COUNTRY_NOW, DENPASAR, seedCountry, SRAGEN } from '../../helpers/tenancy';

const SRAGEN_MAIL = 'teknisi@sragen.example';
const DENPASAR_MAIL = 'teknisi@dps.example';
const DIGEST = /Ringkasan harian eskalasi/;

// COUNTRY_NOW is 11 March 2026 05:00 UTC: 12:00 WIB, 13:00 WITA. Sragen's fault fp-srg was first
// seen at 03:00 UTC, Denpasar's fp-dps at 00:00 UTC.
const at = (iso: string): number => Date.parse(iso);

const rule = (id: string, afterHours: number, notify: string): EscalationRule => ({
  id,
  condition: 'open',
  afterHours,
  minSeverity: 'info',
  notify,
});

async function scenario(url: string | undefined): Promise<void> {
  const smtp = await startSmtp();
  const clock = { now: COUNTRY_NOW };
  const district = await startTestDistrict({
    url,
    now: () => clock.now,
    dashboard: {
      escalation: {
        // No utcOffsetMinutes: every district keeps its own calendar's clock.
        config: EscalationConfigSchema.parse({
          rules: [],
          contacts: {},
          digestHour: 7,
          maxSinglePerDay: 1,
        }),
        notifier: createNotifier({ smtpUrl: smtp.url, from: 'Siaga <siaga@example.go.id>' }),
        timer: false,
      },
    },
  });
  try {
    await seedCountry(district, clock);
    const by = { username: 'admin', nowMs: COUNTRY_NOW };
    // Both open an hour in (one single, one queued by the cap of 1); the third rule falls due at
    // 16:30 UTC, half past midnight in WITA (a new day for Denpasar) but 23:30 in WIB (the same
    // day for Sragen); Denpasar's fourth at 23:30 UTC, after its digest of 12 March.
    await saveEscalationSettings(
      district.db,
      SRAGEN,
      { rules: [rule('a', 1, 'k'), rule('b', 1, 'k'), rule('c', 13.5, 'k')], contacts: { k: { emails: [SRAGEN_MAIL], webhooks: [] } } },
      by,
    );
    await saveEscalationSettings(
      district.db,
      DENPASAR,
      {
        rules: [rule('a', 1, 'k'), rule('b', 1, 'k'), rule('c', 16.5, 'k'), rule('d', 23.5, 'k')],
        contacts: { k: { emails: [DENPASAR_MAIL], webhooks: [] } },
      },
      by,
    );
    const escalation = district.app.dashboard.escalation!;
    let seen = 0;
    /** One pass at `iso`; the mails it sent (waited for on the SMTP peer). */
    const pass = async (iso: string): Promise<{ result: EscalationResult; mails: ReceivedMail[] }> => {
      clock.now = at(iso);
      const result = await escalation.runNow();
      const count = result.sent + result.digests;
      await smtp.waitFor(seen + count);
      const mails = smtp.mails.slice(seen);
      seen += count;
      assert.equal(smtp.mails.length, seen, `${iso}: no more mails than the pass counted`);
      return { result, mails };
    };
    const summary = (mails: ReceivedMail[]): string[] =>
      mails.map((mail) => `${mail.to.join(',')} ${DIGEST.test(mail.subject) ? 'digest' : 'single'}`).sort();

    // 12:00 WIB: one single each, the other queued; today's 07:00 digests are past, but what was
    // queued after them waits for tomorrow's.
    const noon = await pass('2026-03-11T05:00:00.000Z');
    assert.deepEqual([noon.result.escalated, noon.result.sent, noon.result.queued, noon.result.digests], [4, 2, 2, 0]);
    assert.deepEqual(summary(noon.mails), [`${DENPASAR_MAIL} single`, `${SRAGEN_MAIL} single`]);

    // 16:30 UTC: 00:30 WITA, a new day for Denpasar (its cap is free again: a single); 23:30 WIB,
    // still the same day for Sragen (its cap is spent: queued).
    const midnight = await pass('2026-03-11T16:30:00.000Z');
    assert.deepEqual([midnight.result.escalated, midnight.result.sent, midnight.result.queued], [2, 1, 1]);
    assert.deepEqual(summary(midnight.mails), [`${DENPASAR_MAIL} single`]);

    // 22:59 UTC: 06:59 WITA, nobody's digest yet.
    assert.equal((await pass('2026-03-11T22:59:00.000Z')).result.digests, 0);
    // 23:00 UTC: 07:00 WITA, 06:00 WIB: Denpasar's digest of 12 March (its one queued item), not Sragen's.
    const denpasarMorning = await pass('2026-03-11T23:00:00.000Z');
    assert.equal(denpasarMorning.result.digests, 1);
    assert.deepEqual(summary(denpasarMorning.mails), [`${DENPASAR_MAIL} digest`]);
    assert.match(denpasarMorning.mails[0].subject, /eskalasi 2026-03-12: 1 gangguan/);
    assert.match(denpasarMorning.mails[0].text, /Denpasar Barat/);
    assert.doesNotMatch(denpasarMorning.mails[0].text, /Tangen/);
    // Once: a second pass sends nothing.
    assert.equal((await pass('2026-03-11T23:05:00.000Z')).mails.length, 0);

    // 23:30 UTC: Denpasar's fourth rule; its cap of 12 March (WITA) is spent, so it is queued for
    // tomorrow's digest (it came after today's).
    const late = await pass('2026-03-11T23:30:00.000Z');
    assert.deepEqual([late.result.escalated, late.result.sent, late.result.queued, late.result.digests], [1, 0, 1, 0]);

    // 00:00 UTC: 07:00 WIB: Sragen's digest (two queued items), and no second one for Denpasar.
    const sragenMorning = await pass('2026-03-12T00:00:00.000Z');
    assert.deepEqual(summary(sragenMorning.mails), [`${SRAGEN_MAIL} digest`]);
    assert.match(sragenMorning.mails[0].subject, /eskalasi 2026-03-12: 2 gangguan/);
    assert.match(sragenMorning.mails[0].text, /Tangen/);
    assert.doesNotMatch(sragenMorning.mails[0].text, /Denpasar/);
    assert.equal((await pass('2026-03-12T00:05:00.000Z')).mails.length, 0);

    // Midday, Denpasar's admin moves it to WIB: today's digest time becomes 07:00 WIB (00:00 UTC),
    // before which its fourth item was queued; it already had today's digest, so none goes out.
    await setTimeZone(district.db, 'WIB', at('2026-03-12T04:00:00.000Z'), DENPASAR);
    assert.equal((await pass('2026-03-12T04:00:00.000Z')).mails.length, 0);
    assert.equal((await pass('2026-03-12T10:00:00.000Z')).mails.length, 0);
    // Next morning Denpasar's digest goes at 07:00 WIB, no longer at 07:00 WITA.
    assert.equal((await pass('2026-03-12T23:00:00.000Z')).mails.length, 0);
    const next = await pass('2026-03-13T00:00:00.000Z');
    assert.deepEqual(summary(next.mails), [`${DENPASAR_MAIL} digest`]);
    assert.match(next.mails[0].subject, /eskalasi 2026-03-13: 1 gangguan/);
    assert.equal((await pass('2026-03-13T00:05:00.000Z')).mails.length, 0);
  } finally {
    await district.close();
    await smtp.stop();
  }
}

test('each district escalates by its own local day and digest hour (SQLite)', async () => {
  await scenario(undefined);
});

test('each district escalates by its own local day and digest hour (PostgreSQL)', async () => {
  const postgres = await startPostgres();
  try {
    await scenario(postgres.url);
  } finally {
    await postgres.stop();
  }
});
