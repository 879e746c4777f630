// What `siaga faults`, `siaga-district faults` and `siaga agent` print for people: headers, local
// time with its zone, counts explained, one language at a time; the agent's one line per fault
// opened, delivered and resolved.
process.env.TZ = 'Asia/Jakarta';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDistrictFaults } from '../../../district/commands/faults';
import type { FaultListing } from '../../../district/server/faults/repository';
import { FaultNarration } from '../../../electron/commands/fault-narration';
import { formatFaults } from '../../../electron/commands/faults';
import type { FaultRecord } from '../../../electron/agent/store/store';
import type { FaultPayload } from '../../../protocol/events';

const payload = { severity: 'critical', flapping: false, recurring: false } as unknown as FaultPayload;
const record = (overrides: Partial<FaultRecord>): FaultRecord => ({
  faultId: 'f-1',
  role: 'fingerprint',
  code: 'FINGERPRINT_MISSING',
  openedAt: '2026-03-02T00:42:00.000Z',
  resolvedAt: null,
  payload,
  delivery: 'queued',
  ...overrides,
});

test('siaga faults: headers, WIB time, counts explained, Indonesian only by default', () => {
  const faults = [
    record({}),
    record({
      faultId: 'f-2',
      role: 'card-printer',
      code: 'RIBBON_OUT',
      resolvedAt: '2026-03-02T02:00:00Z',
      delivery: 'reported',
    }),
  ];
  const lines = formatFaults(faults, { open: 1, resolved: 1, pending: 3, rejected: 0 }, 'id');
  assert.match(lines[0], /^Status\s+Sejak\s+Perangkat\s+Kode\s+Tingkat\s+Ke kabupaten\s+Catatan$/);
  assert.match(lines[1], /^-+ {2}-+/);
  assert.match(
    lines[2],
    /^TERBUKA\s+2 Mar 2026, 07\.42 WIB\s+Pemindai sidik jari\s+FINGERPRINT_MISSING\s+kritis\s+menunggu dikirim$/,
  );
  assert.match(lines[3], /^pulih\s+.*Printer kartu\s+RIBBON_OUT\s+kritis\s+sudah diterima$/);
  const text = lines.join('\n');
  assert.match(text, /1 gangguan terbuka, 1 sudah pulih \(ditampilkan: 2\)\./);
  assert.match(text, /3 kejadian menunggu dikirim ke kabupaten; 0 ditolak kabupaten\./);
  assert.match(text, /Waktu dalam WIB/);
  assert.doesNotMatch(
    text,
    /\b(OPEN|queued|reported|State|Since|faults|no faults)\b/,
    'no English in the Indonesian output',
  );
  // Headers line up with their columns.
  assert.equal(lines[0].indexOf('Sejak'), lines[2].indexOf('2 Mar'));
});

test('siaga faults --lang en: English only', () => {
  const text = formatFaults([record({})], { open: 1, resolved: 0, pending: 1, rejected: 0 }, 'en').join('\n');
  assert.match(text, /^State\s+Since\s+Device\s+Code\s+Severity\s+To the district\s+Notes$/m);
  assert.match(text, /OPEN\s+2 Mar 2026, 07:42 WIB\s+Fingerprint scanner/);
  assert.match(text, /1 open faults, 0 resolved/);
  assert.doesNotMatch(
    text,
    /\b(TERBUKA|Sejak|gangguan|menunggu|kejadian)\b/,
    'no Indonesian in the English output',
  );
  assert.deepEqual(
    formatFaults([], { open: 0, resolved: 0, pending: 0, rejected: 0 }, 'id')[0],
    'Tidak ada gangguan.',
  );
});

test('siaga-district faults: headers, station and kecamatan, WIB time, counts by state explained', () => {
  const listing = (state: string, overrides: Partial<FaultListing> = {}): FaultListing =>
    ({
      stationId: 's-1',
      stationName: 'Loket 1',
      kecamatan: 'Tangen',
      faultId: `f-${state}`,
      role: 'fingerprint',
      code: 'FINGERPRINT_MISSING',
      severity: 'critical',
      state,
      deviceKey: null,
      deviceSerial: 'CM-1',
      messageId: 'Pemindai sidik jari tidak terdeteksi',
      firstSeen: '2026-03-02T00:42:00.000Z',
      lastSeen: '2026-03-02T00:42:00.000Z',
      occurrences: 2,
      flapping: true,
      recurring: false,
      resolvedAt: null,
      ...overrides,
    }) as FaultListing;
  const lines = formatDistrictFaults([listing('open'), listing('in-repair'), listing('resolved')], 'id');
  assert.match(
    lines[0],
    /^Status\s+Tingkat\s+Kecamatan \/ stasiun\s+Perangkat\s+Kode\s+No\. seri\s+Sejak\s+Kali\s+Catatan$/,
  );
  assert.match(
    lines[2],
    /^terbuka\s+kritis\s+Tangen \/ Loket 1\s+Pemindai sidik jari\s+FINGERPRINT_MISSING\s+CM-1\s+2 Mar 2026, 07\.42 WIB\s+2\s+Hilang-timbul$/,
  );
  assert.match(lines[3], /^sedang diperbaiki\s/);
  const text = lines.join('\n');
  assert.match(
    text,
    /3 gangguan: 1 terbuka \(belum diterima\), 0 diterima, 1 sedang diperbaiki, 1 pulih, 0 ditutup\./,
  );
  assert.doesNotMatch(text, /\b(open|in-repair|since|flapping)\b/);
  const english = formatDistrictFaults([listing('in-repair')], 'en').join('\n');
  assert.match(english, /^State\s+Severity\s+Kecamatan \/ station/);
  assert.match(english, /being repaired\s+critical/);
  assert.doesNotMatch(english, /\b(sedang|kritis|gangguan|Sejak)\b/);
});

test('siaga agent: one line when a fault opens, reaches the district, resolves, and its resolution arrives', () => {
  const narration = new FaultNarration('id', 'Asia/Jakarta');
  const now = new Date('2026-03-02T00:42:00Z');
  narration.begin([record({ faultId: 'old', code: 'UPS_ON_BATTERY', role: 'ups' })]);
  const old = record({ faultId: 'old', code: 'UPS_ON_BATTERY', role: 'ups' });
  assert.deepEqual(narration.update([old], now), [], 'a fault there at start is not news');
  assert.deepEqual(narration.update([record({}), old], now), [
    '07.42 WIB  Gangguan baru: Pemindai sidik jari — FINGERPRINT_MISSING (kritis); menunggu dikirim ke kabupaten.',
  ]);
  assert.deepEqual(narration.update([record({}), old], now), [], 'nothing new, nothing printed');
  assert.deepEqual(narration.update([record({ delivery: 'reported' }), old], now), [
    '07.42 WIB  Terkirim ke kabupaten: gangguan Pemindai sidik jari — FINGERPRINT_MISSING.',
  ]);
  const resolved = record({ resolvedAt: '2026-03-02T00:50:00Z' });
  assert.deepEqual(narration.update([resolved, old], now), [
    '07.42 WIB  Pulih: Pemindai sidik jari — FINGERPRINT_MISSING.',
  ]);
  assert.deepEqual(narration.update([{ ...resolved, delivery: 'reported' }, old], now), [
    '07.42 WIB  Terkirim ke kabupaten: Pemindai sidik jari — FINGERPRINT_MISSING sudah pulih.',
  ]);
  const english = new FaultNarration('en', 'Asia/Makassar');
  english.begin([]);
  assert.deepEqual(english.update([record({ delivery: 'reported' })], now), [
    '08:42 WITA  New fault: Fingerprint scanner — FINGERPRINT_MISSING (critical); waiting to be sent to the district.',
    '08:42 WITA  Sent to the district: the Fingerprint scanner fault — FINGERPRINT_MISSING.',
  ]);
});
