// One pass of the escalation rules at time `nowMs` (the server runs it on a timer; tests call it
// with their own clock). Each (rule, fault) escalates once (escalation_notices). Each recipient
// gets at most `maxSinglePerDay` single messages per district and local day; the rest wait for one
// daily digest at `digestHour`, so a bad morning sends one message, not a storm. The local day and
// the digest hour are each district's own (local-day.ts): Denpasar's digest goes out at 07:00 WITA,
// Sragen's at 07:00 WIB, and a recipient in both districts' contacts gets each district's.
// Each district's faults escalate by that district's rules to that district's contacts only
// (district-settings.ts); a pass may be limited to a scope (a district's admin runs their own).
import type { FaultView } from '../faults/lifecycle';
import { faultDetail } from '../faults/lifecycle';
import { ACTIVE_STATES, findFaults } from '../faults/repository';
import type { EscalationSettings, Scope } from '../../dash-api';
import type { Db, SqlValue } from '../db/types';
import { newId } from '../db/ids';
import type { Notifier } from '../notify/types';
import { WebhookRefusedError } from '../notify/webhook';
import { withoutForwarded } from '../peering/forwarded';
import { districtScope, scopeCondition } from '../tenancy/scope';
import type { EscalationConfig, EscalationRule } from './config';
import { escalationSets } from './district-settings';
import type { LocalDay } from './local-day';
import { districtDay, districtOffsets } from './local-day';
import { digestSubject, digestText, singleSubject, singleText } from './messages';

export { localDay } from './local-day';

const SEVERITY_RANK: Record<string, number> = { info: 0, minor: 1, major: 2, critical: 3 };
/** A message that failed this many times is given up (and stays in the table with its error). */
const MAX_ATTEMPTS = 5;

export interface EscalationDeps {
  db: Db;
  notifier: Notifier;
  config: EscalationConfig;
  /** Where a refused webhook is logged (the server's log); the result names it too. */
  warn?: (message: string, detail: Record<string, unknown>) => void;
}

export interface EscalationResult {
  /** (rule, fault) pairs escalated in this pass. */
  escalated: number;
  sent: number;
  /** Messages that now wait for the digest. */
  queued: number;
  digests: number;
  /** Messages not delivered (an answer other than 2xx, a timeout, SMTP down); retried next pass. */
  failed: number;
  /**
   * Webhooks not sent because their host resolved to an address the server may not reach
   * (loopback, link-local, private not listed in webhookAddresses): the URL and why. Retried next
   * pass like a failure, and refused again until the operator or DNS changes.
   */
  refused: { recipient: string; reason: string }[];
}

export function ruleMatches(rule: EscalationRule, fault: FaultView): boolean {
  if (!ACTIVE_STATES.includes(fault.state)) {
    return false;
  }
  if ((SEVERITY_RANK[fault.severity] ?? 0) < SEVERITY_RANK[rule.minSeverity]) {
    return false;
  }
  if (rule.condition === 'unacknowledged' && fault.acknowledgedAt !== null) {
    return false;
  }
  return fault.ageHours >= rule.afterHours;
}

interface NotificationRow {
  id: string;
  channel: 'email' | 'webhook';
  recipient: string;
  rule_id: string;
  station_id: string;
  fault_id: string;
  district_code: string;
  created_at: string;
}

/** Notifications of the scope's stations, with their station's district (whose rules name them). */
function notificationQuery(where: string, order: string, params: SqlValue[], scope: Scope | undefined): string {
  return `SELECT n.id, n.channel, n.recipient, n.rule_id, n.station_id, n.fault_id, n.created_at, s.district_code
    FROM notifications n JOIN stations s ON s.id = n.station_id
    WHERE ${where}${scopeCondition(scope, 's.district_code', params)} ORDER BY ${order}`;
}

/**
 * One pass over the districts of `scope` (default: every district). `stillHeld` (scheduler.ts) is
 * asked before each message goes out and throws once the pass's lock is lost: another process may
 * then run a pass and send the same messages, so this one stops (only the message in flight when
 * the lock was lost can go out twice).
 */
export async function runEscalation(
  deps: EscalationDeps,
  nowMs: number,
  scope?: Scope,
  stillHeld: () => Promise<void> = async () => undefined,
): Promise<EscalationResult> {
  const { db, config } = deps;
  const result: EscalationResult = { escalated: 0, sent: 0, queued: 0, digests: 0, failed: 0, refused: [] };
  const now = new Date(nowMs).toISOString();
  const offsets = await districtOffsets(db, config, scope);
  const sets = await escalationSets(db, config, scope);
  for (const [district, settings] of sets) {
    // A forwarding district's faults are escalated by its own server, where they are acknowledged
    // (peering/forwarded.ts); the copy here never is, and would mail this district's contacts.
    const faults = await withoutForwarded(db, await findFaults(db, nowMs, { state: 'active', scope: districtScope(district) }));
    const day = districtDay(nowMs, config, offsets, district);
    await escalateDistrict(deps, district, settings, faults, { nowMs, now, day }, result);
  }
  await sendSingles(deps, nowMs, result, sets, scope, stillHeld);
  await sendDigests(deps, nowMs, (district) => districtDay(nowMs, config, offsets, district), result, sets, scope, stillHeld);
  return result;
}

async function escalateDistrict(
  deps: EscalationDeps,
  district: string,
  settings: EscalationSettings,
  faults: FaultView[],
  at: { nowMs: number; now: string; day: { startMs: number } },
  result: EscalationResult,
): Promise<void> {
  const { db, config } = deps;
  const { nowMs, now, day } = at;
  for (const rule of settings.rules) {
    const contact = settings.contacts[rule.notify];
    for (const fault of faults.filter((candidate) => ruleMatches(rule, candidate))) {
      const inserted = await db.query(
        `INSERT INTO escalation_notices (rule_id, station_id, fault_id, escalated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING RETURNING rule_id`,
        [rule.id, fault.stationId, fault.faultId, now],
      );
      if (inserted.length === 0) {
        continue;
      }
      result.escalated++;
      const recipients = [
        ...contact.emails.map((address) => ({ channel: 'email' as const, recipient: address })),
        ...contact.webhooks.map((url) => ({ channel: 'webhook' as const, recipient: url })),
      ];
      for (const { channel, recipient } of recipients) {
        // The district's own cap: a recipient in two districts' contacts is counted in each.
        const [today] = await db.query<{ count: number | string }>(
          `SELECT COUNT(*) AS count FROM notifications n JOIN stations s ON s.id = n.station_id
           WHERE n.channel = $1 AND n.recipient = $2 AND n.mode = 'single' AND n.created_at >= $3 AND s.district_code = $4`,
          [channel, recipient, new Date(day.startMs).toISOString(), district],
        );
        const mode = Number(today.count) < config.maxSinglePerDay ? 'single' : 'digest';
        if (mode === 'digest') {
          result.queued++;
        }
        await db.run(
          `INSERT INTO notifications (id, channel, recipient, mode, rule_id, station_id, fault_id, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [newId(nowMs), channel, recipient, mode, rule.id, fault.stationId, fault.faultId, now],
        );
      }
    }
  }
}

/** The fault and the rule of its district a notification is about; null when either is gone (a rule removed since). */
async function loadItem(
  deps: EscalationDeps,
  row: NotificationRow,
  nowMs: number,
  sets: Map<string, EscalationSettings>,
): Promise<{ fault: FaultView; rule: EscalationRule } | null> {
  const rule = sets.get(row.district_code)?.rules.find((candidate) => candidate.id === row.rule_id);
  const fault = await faultDetail(deps.db, row.station_id, row.fault_id, nowMs);
  return rule === undefined || fault === null ? null : { fault, rule };
}

async function deliver(
  deps: EscalationDeps,
  channel: 'email' | 'webhook',
  recipient: string,
  subject: string,
  text: string,
  json: unknown,
): Promise<void> {
  if (channel === 'email') {
    await deps.notifier.sendEmail({ to: recipient, subject, text });
  } else {
    await deps.notifier.postWebhook(recipient, json);
  }
}

async function markSent(db: Db, ids: string[], nowMs: number): Promise<void> {
  for (const id of ids) {
    await db.run('UPDATE notifications SET sent_at = $1, error = NULL WHERE id = $2', [
      new Date(nowMs).toISOString(),
      id,
    ]);
  }
}

/** Records the failed attempt on its notifications and counts it (a refused webhook by name, and logged). */
async function markFailed(
  deps: EscalationDeps,
  result: EscalationResult,
  row: NotificationRow,
  ids: string[],
  error: unknown,
): Promise<void> {
  for (const id of ids) {
    await deps.db.run('UPDATE notifications SET attempts = attempts + 1, error = $1 WHERE id = $2', [
      error instanceof Error ? error.message.slice(0, 500) : String(error),
      id,
    ]);
  }
  if (error instanceof WebhookRefusedError) {
    result.refused.push({ recipient: row.recipient, reason: error.message });
    deps.warn?.('escalation webhook refused', {
      recipient: row.recipient,
      reason: error.message,
      district: row.district_code,
      notifications: ids,
    });
  } else {
    result.failed++;
  }
}

async function sendSingles(
  deps: EscalationDeps,
  nowMs: number,
  result: EscalationResult,
  sets: Map<string, EscalationSettings>,
  scope: Scope | undefined,
  stillHeld: () => Promise<void>,
): Promise<void> {
  const params: SqlValue[] = [MAX_ATTEMPTS];
  const rows = await deps.db.query<NotificationRow>(
    notificationQuery(`n.mode = 'single' AND n.sent_at IS NULL AND n.attempts < $1`, 'n.id', params, scope),
    params,
  );
  for (const row of rows) {
    const item = await loadItem(deps, row, nowMs, sets);
    if (item === null) {
      await markSent(deps.db, [row.id], nowMs);
      continue;
    }
    await stillHeld();
    try {
      await deliver(
        deps,
        row.channel,
        row.recipient,
        singleSubject(item.fault, item.rule),
        singleText(item.fault, item.rule, deps.config.dashboardUrl),
        {
          type: 'siaga.escalation',
          rule: item.rule,
          fault: item.fault,
          escalatedAt: new Date(nowMs).toISOString(),
        },
      );
      await markSent(deps.db, [row.id], nowMs);
      result.sent++;
    } catch (error) {
      await markFailed(deps, result, row, [row.id], error);
    }
  }
}

/** Whether `recipient` already had a digest of `district` since `sinceMs` (its local day's start). */
async function hadDigest(db: Db, row: NotificationRow, sinceMs: number): Promise<boolean> {
  const [sent] = await db.query(
    `SELECT n.id FROM notifications n JOIN stations s ON s.id = n.station_id
     WHERE n.mode = 'digest' AND n.channel = $1 AND n.recipient = $2 AND s.district_code = $3 AND n.sent_at >= $4
     LIMIT 1`,
    [row.channel, row.recipient, row.district_code, new Date(sinceMs).toISOString()],
  );
  return sent !== undefined;
}

async function sendDigests(
  deps: EscalationDeps,
  nowMs: number,
  dayOf: (district: string) => LocalDay,
  result: EscalationResult,
  sets: Map<string, EscalationSettings>,
  scope: Scope | undefined,
  stillHeld: () => Promise<void>,
): Promise<void> {
  const params: SqlValue[] = [MAX_ATTEMPTS];
  const rows = await deps.db.query<NotificationRow>(
    notificationQuery(
      `n.mode = 'digest' AND n.sent_at IS NULL AND n.attempts < $1`,
      's.district_code, n.channel, n.recipient, n.id',
      params,
      scope,
    ),
    params,
  );
  // One digest per district and recipient, at the district's digest hour: items queued before
  // today's digest time go out now; later ones wait for tomorrow's.
  const groups = new Map<string, { day: LocalDay; rows: NotificationRow[] }>();
  for (const row of rows) {
    const day = dayOf(row.district_code);
    if (nowMs < day.digestMs || Date.parse(row.created_at) >= day.digestMs) {
      continue;
    }
    const key = `${row.district_code} ${row.channel} ${row.recipient}`;
    const group = groups.get(key) ?? { day, rows: [] };
    group.rows.push(row);
    groups.set(key, group);
  }
  for (const { day, rows: group } of groups.values()) {
    // A district whose time zone changed since today's digest (WIT to WIB moves 07:00 two hours
    // later) does not send a second one the same day: what is left waits for tomorrow's.
    if (await hadDigest(deps.db, group[0], day.startMs)) {
      continue;
    }
    const items = (await Promise.all(group.map((row) => loadItem(deps, row, nowMs, sets)))).filter(
      (item) => item !== null,
    );
    const ids = group.map((row) => row.id);
    await stillHeld();
    try {
      if (items.length > 0) {
        await deliver(
          deps,
          group[0].channel,
          group[0].recipient,
          digestSubject(items.length, day.date),
          digestText(items, deps.config.dashboardUrl),
          {
            type: 'siaga.escalation-digest',
            date: day.date,
            items: items.map((item) => ({ rule: item.rule, fault: item.fault })),
          },
        );
        result.digests++;
      }
      await markSent(deps.db, ids, nowMs);
    } catch (error) {
      await markFailed(deps, result, group[0], ids, error);
    }
  }
}
