// One audit row as a sentence a district head reads: who (name and role), did what, to which
// device at which station, e.g. "Budi Santoso (teknisi) menandai gangguan Pemindai sidik jari di
// Kec. Tangen Loket 1 sedang diperbaiki oleh Budi Santoso". Names, never ids or JSON. Pure.
import type { Params, TextKey, Translator } from '../../protocol/i18n';
import type { AuditEntry } from '../dash-api';
import dashboard from '../../resources/i18n/dashboard.json';

const field = (detail: unknown, name: string): string => {
  const value = (detail as Record<string, unknown> | null)?.[name];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '—';
};

export function auditSentence(entry: AuditEntry, t: Translator<'dashboard'>): string {
  const actor =
    entry.actorName !== undefined && entry.actorName !== null
      ? `${entry.actorName} (${entry.actorRole ? t.word('staffRole', entry.actorRole) : '—'})`
      : (entry.username ?? t('auditUnknownActor'));
  const where =
    entry.station !== undefined && entry.station !== null
      ? t('auditWhere', { kecamatan: entry.station.kecamatan, station: entry.station.name })
      : entry.target;
  const params: Params = {
    actor,
    where,
    target: entry.target,
    action: entry.action,
    device:
      entry.action === 'inventory.spare-added'
        ? `${field(entry.detail, 'vendor')} ${field(entry.detail, 'model')}`
        : entry.faultRole
          ? t.word('role', entry.faultRole)
          : t('device'),
    assignee: field(entry.detail, 'assignee'),
    reference: field(entry.detail, 'reference'),
    date: field(entry.detail, 'returnedOn'),
    escalated: field(entry.detail, 'escalated'),
    role: t.word('staffRole', field(entry.detail, 'role')),
    serial: field(entry.detail, 'serialNumber'),
    number: field(entry.detail, 'number'),
  };
  const key = `audit.${entry.action}`;
  return key in dashboard ? t(key as TextKey<'dashboard'>, params) : t('audit.other', params);
}
