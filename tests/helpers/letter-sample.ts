// A sample escalation letter's input (a fingerprint scanner down since October at Kecamatan
// Bulu, Sukoharjo), for the picture in docs/ (scripts/docs-letter.ts) and the benchmark (bench/letter.ts).
import type { FaultDetail, HistoryEntry, LoanView } from '../../district/dash-api';
import { LetterSettingsRequestSchema } from '../../district/dash-api';
import { DEFAULT_CALENDAR } from '../../district/server/calendar/service-hours';
import type { LetterInput } from '../../district/server/escalation/letter/model';

const at = (iso: string): number => Date.parse(iso);

export const SAMPLE_ISSUED_AT = at('2026-12-02T02:30:00Z');

/** `updates` repeated "still there" reports from the station (a real fault sends many). */
export function sampleLetterInput(updates = 40): LetterInput {
  const history: HistoryEntry[] = [
    { at: '2026-10-05T01:12:00Z', kind: 'opened', actor: null, detail: {} },
    { at: '2026-10-05T02:03:00Z', kind: 'acknowledged', actor: 'teknisi', detail: {} },
    {
      at: '2026-10-06T03:40:00Z',
      kind: 'in-repair',
      actor: 'teknisi',
      detail: {
        assignee: 'Budi Santoso',
        note: 'kabel USB dan driver sudah diganti, sensor tetap tidak terbaca',
      },
    },
    { at: '2026-10-06T04:10:00Z', kind: 'verification-requested', actor: 'teknisi', detail: {} },
  ];
  for (let index = 0; index < updates; index++) {
    history.push({
      at: new Date(at('2026-10-07T01:00:00Z') + index * 86_400_000).toISOString(),
      kind: 'updated',
      actor: null,
      detail: {},
    });
  }
  history.push({
    at: '2026-11-16T02:00:00Z',
    kind: 'in-repair',
    actor: 'admin',
    detail: {
      assignee: 'CV Teknik Mandiri (vendor)',
      note: 'sensor perlu diganti; suku cadang tidak tersedia di daerah',
    },
  });
  const fault: FaultDetail = {
    stationId: 'st-sample',
    stationName: 'Loket 1',
    kecamatan: 'Bulu',
    faultId: 'fingerprint-missing',
    role: 'fingerprint',
    code: 'FINGERPRINT_MISSING',
    severity: 'critical',
    state: 'in-repair',
    blocksRecording: true,
    forwardedFrom: null,
    message: {
      id: 'Pemindai sidik jari tidak terdeteksi. Periksa kabel USB; bila tetap tidak terdeteksi, hubungi kabupaten.',
      en: 'Fingerprint scanner not detected.',
    },
    device: {
      key: 'usb:080b:0010:G1502339',
      vendor: 'Cross Match',
      model: 'Guardian 200',
      serialNumber: 'G1502339',
    },
    firstSeen: '2026-10-05T01:12:00Z',
    lastSeen: '2026-12-02T01:00:00Z',
    resolvedAt: null,
    occurrences: 1200,
    flapping: false,
    recurring: false,
    reopenCount: 0,
    acknowledgedAt: '2026-10-05T02:03:00Z',
    acknowledgedBy: 'teknisi',
    assignee: 'CV Teknik Mandiri (vendor)',
    repairNote: 'sensor perlu diganti',
    closedAt: null,
    closedBy: null,
    ageHours: (SAMPLE_ISSUED_AT - at('2026-10-05T01:12:00Z')) / 3_600_000,
    history,
    verificationPending: false,
  };
  const loan: LoanView = {
    id: 'pp-sample',
    deviceId: 'dv-1',
    serialNumber: 'G1409921',
    vendor: 'Cross Match',
    model: 'Guardian 200',
    role: 'fingerprint',
    fromStationId: 'st-tawangsari',
    fromStationName: 'Loket 2',
    fromKecamatan: 'Tawangsari',
    toStationId: 'st-sample',
    toStationName: 'Loket 1',
    toKecamatan: 'Bulu',
    startsOn: '2026-10-12',
    dueOn: '2026-10-26',
    returnedOn: '2026-10-26',
    reference: '027/88/Disdukcapil/2026',
    purpose: 'Pengganti sementara pemindai sidik jari Loket 1 Bulu',
    createdBy: 'teknisi',
    createdAt: '2026-10-12T02:00:00Z',
  };
  return {
    settings: LetterSettingsRequestSchema.parse({
      authority: 'Pemerintah Kabupaten Sukoharjo',
      agency: 'Dinas Kependudukan dan Pencatatan Sipil',
      address: 'Jl. Jenderal Sudirman No. 199, Sukoharjo 57511',
      phone: '(0271) 593068',
      email: 'disdukcapil@sukoharjokab.go.id',
      place: 'Sukoharjo',
      numberPattern: '470/{n}/Disdukcapil/{year}',
      provinceRecipient: 'Kepala Dinas Kependudukan dan Pencatatan Sipil Provinsi Jawa Tengah',
      provincePlace: 'Semarang',
      directorateRecipient: 'Direktur Jenderal Kependudukan dan Pencatatan Sipil Kementerian Dalam Negeri',
      directoratePlace: 'Jakarta',
      signerTitle: 'Kepala Dinas Kependudukan dan Pencatatan Sipil Kabupaten Sukoharjo',
      signerName: 'Dr. Sri Rahayu, S.Sos., M.Si.',
      signerRank: 'Pembina Utama Muda (IV/c)',
      signerNip: '197001011990032001',
      copies: [
        'Bupati Sukoharjo',
        'Direktur Jenderal Kependudukan dan Pencatatan Sipil Kementerian Dalam Negeri',
        'Arsip',
      ],
    }),
    number: '470/12/Disdukcapil/2026',
    issuedAtMs: SAMPLE_ISSUED_AT,
    calendar: DEFAULT_CALENDAR,
    recipient: 'province',
    sifat: 'Penting',
    lampiran: '-',
    perihal: '',
    note: '',
    fault,
    loans: [loan],
    staffNames: { teknisi: 'Budi Santoso', admin: 'Ratna Dewi' },
    appointmentsAffected: null,
  };
}
