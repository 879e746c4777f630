// Escalation with an injected clock: rules by age and severity, once per (rule, fault), a cap of
// single messages per recipient and day with the rest in one daily digest, retries of failures.
import assert from 'node:assert/strict';
import { after, beforeEach, test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyFaultAction } from '../../../district/server/faults/lifecycle';
import { openDatabase } from '../../../district/server/db/open';
import type { Db } from '../../../district/server/db/types';
import { EscalationConfigSchema } from '../../../district/server/escalation/config';
import type { EscalationConfig } from '../../../district/server/escalation/config';
import { localDay, runEscalation } from '../../../district/server/escalation/run';
import type { EmailMessage, Notifier } from '../../../district/server/notify/types';

const HOUR = 3_600_000;
// 2026-03-02 10:00 WIB
const T0 = Date.parse('2026-03-02T03:00:00.000Z');

class RecordingNotifier implements Notifier {
  emails: EmailMessage[] = [];
  webhooks: { url: string; body: unknown }[] = [];
  failWebhooks = false;
  async sendEmail(message: EmailMessage): Promise<void> {
    this.emails.push(message);
  }
  async postWebhook(url: string, body: unknown): Promise<void> {
    if (this.failWebhooks) {
      throw new Error('webhook down');
    }
    this.webhooks.push({ url, body });
  }
  close(): void {}
}

const dirs: string[] = [];
let db: Db;
let notifier: RecordingNotifier;

function config(overrides: Partial<Record<string, unknown>> = {}): EscalationConfig {
  return EscalationConfigSchema.parse({
    rules: [
      { id: 'unacknowledged-1d', condition: 'unacknowledged', afterHours: 24, notify: 'technicians' },
      { id: 'open-14d', condition: 'open', afterHours: 14 * 24, minSeverity: 'major', notify: 'head' },
    ],
    contacts: {
      technicians: { emails: ['kepala.teknisi@example.go.id'], webhooks: ['http://hooks.example/siaga'] },
      head: { emails: ['kadis@example.go.id'] },
    },
    ...overrides,
  });
}

async function station(id: string, kecamatan: string): Promise<void> {
  await db.run('INSERT INTO stations (id, name, kecamatan, created_at) VALUES ($1, $2, $3, $4)', [
    id,
    `Loket ${id}`,
    kecamatan,
    new Date(T0).toISOString(),
  ]);
}

async function fault(
  stationId: string,
  faultId: string,
  firstSeenMs: number,
  severity = 'critical',
): Promise<void> {
  const seen = new Date(firstSeenMs).toISOString();
  await db.run(
    `INSERT INTO faults (station_id, fault_id, role, device_key, device_serial, device, code, severity, status, state, message,
       first_seen, last_seen, occurrences, flapping, recurring, opened_at, last_event_id, last_seq, updated_at)
     VALUES ($1, $2, 'fingerprint', 'usb:1', 'CM123', $3, 'FINGERPRINT_MISSING', $4, 'fault', 'open', $5, $6, $6, 1, 0, 0, $6, 'e', 1, $6)`,
    [
      stationId,
      faultId,
      JSON.stringify({ key: 'usb:1', vendor: 'Cross Match', model: 'Guardian', serialNumber: 'CM123' }),
      severity,
      JSON.stringify({ id: 'Pemindai sidik jari tidak terdeteksi', en: 'Fingerprint scanner not detected' }),
      seen,
    ],
  );
}

beforeEach(async () => {
  await db?.close();
  const dir = mkdtempSync(join(tmpdir(), 'siaga-escalation-'));
  dirs.push(dir);
  db = await openDatabase({ dataDir: dir });
  notifier = new RecordingNotifier();
  await station('st-a', 'Sragen Kota');
  await station('st-b', 'Gemolong');
});
after(async () => {
  await db?.close();
  dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});

test('an unacknowledged fault escalates after a day, once, by email and webhook, naming station, device and age', async () => {
  await fault('st-a', 'f1', T0 - 23 * HOUR);
  const deps = { db, notifier, config: config() };
  assert.equal((await runEscalation(deps, T0)).escalated, 0);
  const result = await runEscalation(deps, T0 + 2 * HOUR);
  assert.deepEqual(result, { escalated: 1, sent: 2, queued: 0, digests: 0, failed: 0, refused: [] });
  assert.equal(notifier.emails.length, 1);
  const [mail] = notifier.emails;
  assert.equal(mail.to, 'kepala.teknisi@example.go.id');
  assert.match(mail.subject, /Kec\. Sragen Kota \/ Loket st-a — FINGERPRINT_MISSING belum diterima 25 jam/);
  assert.match(mail.text, /Cross Match Guardian \(SN CM123\)/);
  assert.match(mail.text, /Sejak 2026-03-01T04:00:00.000Z/);
  assert.equal(notifier.webhooks.length, 1);
  const hook = notifier.webhooks[0].body as {
    type: string;
    rule: { id: string };
    fault: { faultId: string; kecamatan: string };
  };
  assert.deepEqual(
    [hook.type, hook.rule.id, hook.fault.faultId, hook.fault.kecamatan],
    ['siaga.escalation', 'unacknowledged-1d', 'f1', 'Sragen Kota'],
  );
  // Deduplicated: later passes send nothing more for the same rule and fault.
  assert.equal((await runEscalation(deps, T0 + 5 * HOUR)).escalated, 0);
  assert.equal(notifier.emails.length, 1);
});

test('an acknowledged fault does not escalate as unacknowledged, but does when open 14 days; minor faults skip the 14-day rule', async () => {
  await fault('st-a', 'f1', T0 - 2 * HOUR);
  await fault('st-b', 'f2', T0 - 2 * HOUR, 'minor');
  for (const [stationId, faultId] of [
    ['st-a', 'f1'],
    ['st-b', 'f2'],
  ] as const) {
    await applyFaultAction(db, {
      stationId,
      faultId,
      action: { type: 'acknowledge' },
      username: 'budi',
      nowMs: T0,
    });
  }
  const deps = { db, notifier, config: config() };
  assert.equal((await runEscalation(deps, T0 + 3 * 24 * HOUR)).escalated, 0);
  const result = await runEscalation(deps, T0 + 14 * 24 * HOUR);
  assert.equal(result.escalated, 1);
  assert.deepEqual(
    notifier.emails.map((mail) => mail.to),
    ['kadis@example.go.id'],
  );
  assert.match(notifier.emails[0].text, /masih|belum selesai/);
});

test('a storm becomes a few single messages and one daily digest at the digest hour', async () => {
  for (let index = 0; index < 7; index++) {
    await fault(index % 2 === 0 ? 'st-a' : 'st-b', `f${index}`, T0 - 30 * HOUR);
  }
  const deps = {
    db,
    notifier,
    config: config({
      maxSinglePerDay: 2,
      contacts: { technicians: { emails: ['t@example.go.id'] }, head: {} },
    }),
  };
  const first = await runEscalation(deps, T0);
  assert.deepEqual([first.escalated, first.sent, first.queued, first.digests], [7, 2, 5, 0]);
  assert.equal(notifier.emails.length, 2);
  // Same day, after the digest hour already passed at 10:00 WIB? The 5 were queued after today's
  // 07:00 digest, so they wait for tomorrow's.
  assert.equal((await runEscalation(deps, T0 + HOUR)).digests, 0);
  const tomorrowDigest = localDay(T0 + 24 * HOUR, deps.config).digestMs;
  assert.equal((await runEscalation(deps, tomorrowDigest - 60_000)).digests, 0);
  const digest = await runEscalation(deps, tomorrowDigest);
  assert.equal(digest.digests, 1);
  assert.equal(notifier.emails.length, 3);
  assert.match(notifier.emails[2].subject, /Ringkasan harian eskalasi 2026-03-03: 5 gangguan/);
  assert.equal(notifier.emails[2].text.split('\n').filter((line) => line.startsWith('- Kec.')).length, 5);
  assert.equal((await runEscalation(deps, tomorrowDigest + HOUR)).digests, 0);
});

test('a failing webhook is retried on the next pass, and a resolved fault escalates no more', async () => {
  await fault('st-a', 'f1', T0 - 30 * HOUR);
  notifier.failWebhooks = true;
  const deps = { db, notifier, config: config() };
  const first = await runEscalation(deps, T0);
  assert.deepEqual([first.sent, first.failed], [1, 1]);
  notifier.failWebhooks = false;
  const second = await runEscalation(deps, T0 + 60_000);
  assert.deepEqual([second.escalated, second.sent, second.failed], [0, 1, 0]);
  assert.equal(notifier.webhooks.length, 1);
  await db.run(`UPDATE faults SET state = 'resolved', resolved_at = $1`, [new Date(T0).toISOString()]);
  assert.equal((await runEscalation(deps, T0 + 20 * 24 * HOUR)).escalated, 0);
});
