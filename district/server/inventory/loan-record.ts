// The printable loan record (berita acara pinjam pakai): one A4 page of HTML, in Bahasa Indonesia,
// with the signature blocks of both sides. Every value is escaped.
import type { LoanView } from './loans';

const escapeHtml = (value: string | null): string =>
  (value ?? '-').replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

export function loanRecordHtml(loan: LoanView, districtName: string): string {
  const from =
    loan.fromStationName === null
      ? 'Gudang cadangan Disdukcapil'
      : `${loan.fromStationName} (Kecamatan ${loan.fromKecamatan})`;
  const rows: [string, string | null][] = [
    ['Nomor surat', loan.reference],
    ['Perangkat', `${loan.vendor ?? ''} ${loan.model ?? ''}`.trim()],
    ['Nomor seri', loan.serialNumber],
    ['Peran', loan.role],
    ['Dari', from],
    ['Kepada', `${loan.toStationName} (Kecamatan ${loan.toKecamatan})`],
    ['Mulai', loan.startsOn],
    ['Jatuh tempo', loan.dueOn],
    ['Dikembalikan', loan.returnedOn],
    ['Keperluan', loan.purpose],
    ['Dicatat oleh', loan.createdBy],
  ];
  return `<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>Berita Acara Pinjam Pakai ${escapeHtml(loan.reference)}</title>
<style>
  @page { size: A4; margin: 20mm; }
  body { font-family: "DejaVu Serif", Georgia, serif; color: #000; max-width: 170mm; margin: auto; }
  h1 { font-size: 16pt; text-align: center; margin-bottom: 2mm; }
  p.sub { text-align: center; margin-top: 0; }
  table.data { width: 100%; border-collapse: collapse; margin: 8mm 0; }
  table.data th { text-align: left; width: 40mm; vertical-align: top; padding: 2mm; }
  table.data td { padding: 2mm; border-bottom: 1px solid #999; }
  table.sign { width: 100%; margin-top: 20mm; text-align: center; }
  table.sign td { width: 50%; height: 35mm; vertical-align: bottom; }
</style></head>
<body>
<h1>BERITA ACARA PINJAM PAKAI PERALATAN PEREKAMAN KTP-EL</h1>
<p class="sub">${escapeHtml(districtName)} — Nomor: ${escapeHtml(loan.reference)}</p>
<p>Pada tanggal ${escapeHtml(loan.startsOn)} telah dilakukan pinjam pakai peralatan perekaman KTP-el sebagai berikut:</p>
<table class="data">
${rows.map(([label, value]) => `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`).join('\n')}
</table>
<p>Peralatan dikembalikan dalam keadaan baik paling lambat pada tanggal jatuh tempo di atas.</p>
<table class="sign"><tr>
<td>Yang menyerahkan,<br><br><br><br>(.............................)</td>
<td>Yang menerima,<br><br><br><br>(.............................)</td>
</tr></table>
</body></html>
`;
}
