// The words of escalation messages: Bahasa Indonesia first, English below. They answer what the
// registry head must tell the regent: which station and device, since when, what is being done.
import { translator } from '../../../protocol/i18n';
import { deviceName } from '../../../protocol/device-name';
import type { FaultView } from '../faults/lifecycle';
import type { EscalationRule } from './config';

const STATE_ID: Record<string, string> = {
  open: 'belum ditangani',
  acknowledged: 'sudah diterima, belum diperbaiki',
  'in-repair': 'sedang diperbaiki',
  resolved: 'pulih menurut pemeriksaan stasiun',
  closed: 'ditutup',
};

const days = (hours: number): string =>
  hours >= 48 ? `${Math.floor(hours / 24)} hari` : `${Math.floor(hours)} jam`;

/** Role and severity words as the dashboard shows them; the mail is Indonesian first. */
const words = translator('dashboard', 'id');

function deviceText(fault: FaultView): string {
  const role = words.word('role', fault.role);
  if (fault.device === null) {
    return role;
  }
  const name = deviceName(fault.device.vendor, fault.device.model) ?? fault.device.key;
  return `${role}: ${name}${fault.device.serialNumber === undefined ? '' : ` (SN ${fault.device.serialNumber})`}`;
}

export function faultSummary(fault: FaultView, rule: EscalationRule, dashboardUrl: string): string {
  const link =
    dashboardUrl === ''
      ? ''
      : `\n  ${dashboardUrl.replace(/\/$/, '')}/#/gangguan/${fault.stationId}/${encodeURIComponent(fault.faultId)}`;
  const doing =
    fault.state === 'in-repair'
      ? `diperbaiki oleh ${fault.assignee ?? '-'}${fault.repairNote ? ` (${fault.repairNote})` : ''}`
      : (STATE_ID[fault.state] ?? fault.state);
  return [
    `- Kec. ${fault.kecamatan} / ${fault.stationName}: ${fault.message.id}`,
    `  Perangkat: ${deviceText(fault)}; kode ${fault.code}, tingkat ${words.word('severity', fault.severity)}`,
    `  Sejak ${fault.firstSeen} (${days(fault.ageHours)}); status: ${doing}; aturan ${rule.id}`,
    `  (${fault.message.en}; since ${fault.firstSeen}; state ${fault.state})${link}`,
  ].join('\n');
}

export function singleSubject(fault: FaultView, rule: EscalationRule): string {
  const what = rule.condition === 'unacknowledged' ? 'belum diterima' : 'masih terbuka';
  return `[Siaga] Eskalasi: Kec. ${fault.kecamatan} / ${fault.stationName} — ${fault.code} ${what} ${days(fault.ageHours)}`;
}

export function singleText(fault: FaultView, rule: EscalationRule, dashboardUrl: string): string {
  return [
    `Gangguan berikut ${rule.condition === 'unacknowledged' ? 'belum diterima oleh teknisi' : 'belum selesai'} setelah ${days(rule.afterHours)}:`,
    '',
    faultSummary(fault, rule, dashboardUrl),
    '',
    `(English: this fault has been ${rule.condition === 'unacknowledged' ? 'unacknowledged' : 'open'} for over ${rule.afterHours} hours.)`,
  ].join('\n');
}

export function digestSubject(count: number, localDate: string): string {
  return `[Siaga] Ringkasan harian eskalasi ${localDate}: ${count} gangguan`;
}

export function digestText(
  items: { fault: FaultView; rule: EscalationRule }[],
  dashboardUrl: string,
): string {
  return [
    `Ringkasan harian: ${items.length} gangguan perlu perhatian (daily digest: ${items.length} escalated faults).`,
    '',
    ...items.map((item) => faultSummary(item.fault, item.rule, dashboardUrl)),
  ].join('\n');
}
