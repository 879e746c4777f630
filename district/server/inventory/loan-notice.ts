// The email that tells both offices' technicians of a loan accepted from a suggestion: which
// device goes from where to where, for which fault, until when, and what each side does. Bahasa
// Indonesia first, English below. Pure.
import { deviceName } from '../../../protocol/device-name';
import { translator } from '../../../protocol/i18n';
import type { FaultHeading, LoanCandidate, LoanView, Travel } from '../../dash-api';

const words = translator('dashboard', 'id');

/** `23 km jalan, 35 menit (tabel kabupaten)` or `≈ 31 km (perkiraan, garis lurus 22 km)`. */
export function travelText(travel: Travel): { id: string; en: string } {
  switch (travel.source) {
    case 'same-kecamatan':
      return { id: 'kecamatan yang sama', en: 'same kecamatan' };
    case 'unknown':
      return {
        id: 'jarak tidak diketahui (koordinat kantor belum diisi)',
        en: 'distance unknown (office coordinates missing)',
      };
    case 'table': {
      const km = travel.km === null ? [] : [`${travel.km} km`];
      // Minutes the table does not give are the km at the assumed speed: marked as such.
      const minutes =
        travel.minutes === null ? [] : [`${travel.minutesFromTable ? '' : '± '}${travel.minutes} menit`];
      return {
        id: `${[...km, ...minutes].join(', ')} (tabel kabupaten)`,
        en: `${[...km, ...(travel.minutes === null ? [] : [`${travel.minutes} min`])].join(', ')} (district table)`,
      };
    }
    case 'estimate':
      return {
        id: `± ${travel.km} km, ± ${travel.minutes} menit (perkiraan, garis lurus ${travel.straightKm} km)`,
        en: `about ${travel.km} km, ${travel.minutes} min (estimate, straight line ${travel.straightKm} km)`,
      };
  }
}

export function loanNotice(input: {
  loan: LoanView;
  candidate: Pick<LoanCandidate, 'kind' | 'travel' | 'fromStation'>;
  fault: FaultHeading;
  districtName: string;
  dashboardUrl: string;
}): { subject: string; text: string } {
  const { loan, candidate, fault } = input;
  const role = words.word('role', fault.role);
  const device = `${deviceName(loan.vendor, loan.model) ?? role}${loan.serialNumber === null ? '' : `, nomor seri ${loan.serialNumber}`}`;
  const from =
    candidate.fromStation === null
      ? 'Gudang cadangan Disdukcapil'
      : `Kec. ${candidate.fromStation.kecamatan} / ${candidate.fromStation.name}`;
  const fromEn =
    candidate.fromStation === null
      ? "the district's spare stock"
      : `${candidate.fromStation.name}, Kec. ${candidate.fromStation.kecamatan}`;
  const to = `Kec. ${loan.toKecamatan} / ${loan.toStationName}`;
  const why =
    candidate.kind === 'spare'
      ? 'cadangan di gudang'
      : candidate.kind === 'closed-today'
        ? 'kantor asal tutup hari ini'
        : 'stasiun lain di kecamatan asal tetap bisa merekam';
  const travel = travelText(candidate.travel);
  const record =
    input.dashboardUrl === ''
      ? ''
      : `${input.dashboardUrl.replace(/\/$/, '')}/api/dash/inventory/loans/${encodeURIComponent(loan.id)}/record`;
  return {
    subject: `[Siaga] Pinjam pakai ${role}: ${from} → ${to} (${loan.reference})`,
    text: [
      `${input.districtName}: pinjam pakai peralatan perekaman KTP-el nomor ${loan.reference}.`,
      '',
      `Perangkat   : ${role} — ${device}`,
      `Dari        : ${from} (${why})`,
      `Kepada      : ${to}`,
      `Untuk       : gangguan ${fault.code} yang menghentikan perekaman di ${to}`,
      `Mulai       : ${loan.startsOn}; jatuh tempo ${loan.dueOn}`,
      `Jarak       : ${travel.id}`,
      `Dicatat oleh: ${loan.createdBy}`,
      '',
      `Teknisi ${from}: serahkan perangkat beserta kabelnya dan berita acara.`,
      `Teknisi ${to}: pasang perangkat, jalankan pemeriksaan harian, lalu pastikan stasiun bisa merekam.`,
      ...(record === '' ? [] : ['', `Berita acara: ${record}`]),
      '',
      '--- English ---',
      `Loan ${loan.reference}: ${fault.role} ${device.replace('nomor seri', 'serial')} from ${fromEn} to ${loan.toStationName}, Kec. ${loan.toKecamatan}, for fault ${fault.code}; from ${loan.startsOn}, due ${loan.dueOn}; travel ${travel.en}. Recorded by ${loan.createdBy}.`,
    ].join('\n'),
  };
}
