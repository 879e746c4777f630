// /publik for residents as plain server-rendered HTML: can each kecamatan record e-KTP now, is its
// office closed and when does it open, or has the district had no news from it. No script, a few
// hundred bytes of inline CSS, readable on a 360 px phone; Bahasa Indonesia first, English on a
// button (a GET form, so no script is needed). Every text from the database is escaped.
import type { KecamatanState, PublicBoard, PublicKecamatan } from '../../dash-api';
import { TIME_ZONES } from '../../dash-api';

export type PublicLanguage = 'id' | 'en';

const WORDS = {
  id: {
    title: 'Bisakah merekam e-KTP sekarang?',
    canRecord: '✔ Bisa merekam',
    cannotRecord: '✖ Tidak bisa merekam hari ini',
    noNews: (since: string | null) =>
      since === null ? '? Belum ada kabar' : `? Tidak ada kabar sejak ${since}`,
    mayNot: 'mungkin tidak bisa merekam',
    closed: '◌ Kantor tutup',
    opens: (when: string) => `buka ${when}`,
    summary: (canRecord: number, total: number) =>
      `${canRecord} dari ${total} kecamatan bisa merekam sekarang`,
    cannot: 'tidak bisa',
    noNewsFrom: 'tanpa kabar',
    closedNow: 'tutup',
    none: 'Belum ada kecamatan yang aktif.',
    dataAt: 'Data pukul',
    other: 'English',
    note: 'Datang saat kantor buka. Keadaan bisa berubah sewaktu-waktu.',
    chooseDistrict: 'Pilih kabupaten/kota Anda.',
    allDistricts: '← Semua kabupaten/kota',
    unknownDistrict: 'Kabupaten/kota tidak ditemukan',
    unknownDistrictNote: 'Alamat ini tidak dikenal. Pilih dari daftar kabupaten/kota.',
  },
  en: {
    title: 'Can e-KTP be recorded now?',
    canRecord: '✔ Can record',
    cannotRecord: '✖ Cannot record today',
    noNews: (since: string | null) => (since === null ? '? No news yet' : `? No news since ${since}`),
    mayNot: 'may not be able to record',
    closed: '◌ Office closed',
    opens: (when: string) => `opens ${when}`,
    summary: (canRecord: number, total: number) => `${canRecord} of ${total} kecamatan can record now`,
    cannot: 'cannot',
    noNewsFrom: 'no news',
    closedNow: 'closed',
    none: 'No kecamatan is active yet.',
    dataAt: 'Data as of',
    other: 'Bahasa Indonesia',
    note: 'Come while the office is open. Things can change at any time.',
    chooseDistrict: 'Choose your district.',
    allDistricts: '← All districts',
    unknownDistrict: 'District not found',
    unknownDistrictNote: 'This address is not known. Choose from the list of districts.',
  },
} as const;

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (character) => ESCAPES[character]);

const STYLE = `*{box-sizing:border-box}body{margin:0 auto;max-width:40rem;padding:1rem;font:16px/1.45 system-ui,sans-serif;color:#1a1a1a;background:#fff}
header{display:flex;flex-wrap:wrap;gap:.5rem;align-items:baseline;justify-content:space-between}h1{font-size:1.3rem;margin:0}
.district{margin:.2rem 0 0;color:#555}.language-corner{font:inherit;padding:.3rem .6rem;border:1px solid #888;border-radius:.3rem;background:#f4f4f4}
.summary{font-weight:600;margin:1rem 0 .2rem;overflow-wrap:anywhere}.data-at{color:#555;margin:0 0 1rem;font-size:.9rem}
.public-list{list-style:none;margin:0;padding:0}.public-list li{display:flex;flex-wrap:wrap;gap:.25rem .75rem;justify-content:space-between;padding:.6rem .2rem;border-bottom:1px solid #ddd}
.name{font-weight:600;overflow-wrap:anywhere}.badge{padding:.1rem .5rem;border-radius:.3rem;overflow-wrap:anywhere}
.can-record .badge{background:#dff3e3;color:#14532d}.cannot-record .badge{background:#fde2e1;color:#7f1d1d}
.no-news .badge{background:#fff1c7;color:#713f12}.closed .badge{background:#ececec;color:#333}footer{margin-top:1rem;color:#555;font-size:.85rem}`;

function formatter(
  language: PublicLanguage,
  timeZone: PublicBoard['timeZone'],
  withDay: boolean,
): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(language === 'id' ? 'id-ID' : 'en-GB', {
    timeZone: TIME_ZONES[timeZone],
    ...(withDay ? { weekday: 'long', day: 'numeric', month: 'long' } : {}),
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
}

function badge(kecamatan: PublicKecamatan, board: PublicBoard, language: PublicLanguage): string {
  const words = WORDS[language];
  const when = (iso: string, withDay: boolean): string =>
    `${formatter(language, board.timeZone, withDay).format(new Date(iso))} ${board.timeZone}`;
  const texts: Record<KecamatanState, () => string> = {
    'can-record': () => words.canRecord,
    'cannot-record': () => words.cannotRecord,
    'no-news': () =>
      `${words.noNews(kecamatan.lastHeardAt === null ? null : when(kecamatan.lastHeardAt, !sameDay(kecamatan.lastHeardAt, board)))} · ${words.mayNot}`,
    closed: () =>
      kecamatan.nextOpening === null
        ? words.closed
        : `${words.closed} · ${words.opens(when(kecamatan.nextOpening, true))}`,
  };
  return texts[kecamatan.state]();
}

/** Whether an instant falls on the data's own local day (then the time alone says enough). */
function sameDay(iso: string, board: PublicBoard): boolean {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONES[board.timeZone], dateStyle: 'short' });
  return day.format(new Date(iso)) === day.format(new Date(board.generatedAt));
}

export function summaryLine(board: PublicBoard, language: PublicLanguage): string {
  const words = WORDS[language];
  const { summary } = board;
  if (summary.total === 0) {
    return words.none;
  }
  const parts = [words.summary(summary.canRecord, summary.total)];
  for (const [label, names] of [
    [words.cannot, summary.cannot],
    [words.noNewsFrom, summary.noNews],
    [words.closedNow, summary.closed],
  ] as const) {
    if (names.length > 0) {
      parts.push(`${label}: ${names.join(', ')}`);
    }
  }
  return parts.join('; ');
}

/** Cannot record first, then no news, closed, and those that can; by name within each. */
const ORDER: Record<KecamatanState, number> = {
  'cannot-record': 0,
  'no-news': 1,
  closed: 2,
  'can-record': 3,
};

/** The page around a body: the title, a line under it, the language button (a GET form to `path`). */
function publicShell(options: {
  language: PublicLanguage;
  heading: string;
  subtitle: string;
  path: string;
  body: string;
}): string {
  const { language } = options;
  const words = WORDS[language];
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(options.heading)} · ${escapeHtml(options.subtitle)}</title><link rel="icon" href="/favicon.ico"><style>${STYLE}</style></head>
<body><header><div><h1>${escapeHtml(options.heading)}</h1><p class="district">${escapeHtml(options.subtitle)}</p></div>
<form method="get" action="${escapeHtml(options.path)}"><button class="language-corner" name="lang" value="${language === 'id' ? 'en' : 'id'}">${words.other}</button></form></header>
${options.body}
<footer>${escapeHtml(words.note)}</footer>
</body></html>
`;
}

/** `/publik/<code>` (the path the language button keeps). */
export const publicPath = (districtCode: string): string => `/publik/${encodeURIComponent(districtCode)}`;

export function renderPublicPage(
  board: PublicBoard,
  options: { districtName: string; language: PublicLanguage; path?: string; listed?: boolean },
): string {
  const { language } = options;
  const words = WORDS[language];
  const items = [...board.kecamatan]
    .sort((left, right) => ORDER[left.state] - ORDER[right.state] || left.name.localeCompare(right.name))
    .map(
      (kecamatan) =>
        `<li class="${kecamatan.state}"><span class="name">${escapeHtml(kecamatan.name)}</span> <span class="badge">${escapeHtml(badge(kecamatan, board, language))}</span></li>`,
    )
    .join('\n');
  const dataAt = `${formatter(language, board.timeZone, true).format(new Date(board.summary.dataAt))} ${board.timeZone}`;
  const back = options.listed === true ? `<p><a href="/publik?lang=${language}">${escapeHtml(words.allDistricts)}</a></p>\n` : '';
  return publicShell({
    language,
    heading: words.title,
    subtitle: options.districtName,
    path: options.path ?? '/publik',
    body: `${back}<p class="summary">${escapeHtml(summaryLine(board, language))}</p>
<p class="data-at">${escapeHtml(`${words.dataAt} ${dataAt}`)}</p>
<ul class="public-list">
${items}
</ul>`,
  });
}

export interface PublicDistrict {
  code: string;
  name: string;
  provinceName: string;
}

/** `/publik` of a service of several districts: one link per district, by province then name. */
export function renderPublicIndex(districts: PublicDistrict[], options: { language: PublicLanguage }): string {
  const { language } = options;
  const words = WORDS[language];
  const items = districts
    .map(
      (district) =>
        `<li><a class="name" href="${escapeHtml(publicPath(district.code))}${language === 'en' ? '?lang=en' : ''}">${escapeHtml(district.name)}</a> <span>${escapeHtml(district.provinceName)}</span></li>`,
    )
    .join('\n');
  return publicShell({
    language,
    heading: words.title,
    subtitle: words.chooseDistrict,
    path: '/publik',
    body: `<ul class="public-list">\n${items}\n</ul>`,
  });
}

/** The answer to `/publik/<code>` of no district here (sent with 404). */
export function renderPublicNotFound(options: { language: PublicLanguage }): string {
  const words = WORDS[options.language];
  return publicShell({
    language: options.language,
    heading: words.unknownDistrict,
    subtitle: words.unknownDistrictNote,
    path: '/publik',
    body: `<p><a href="/publik">${escapeHtml(words.allDistricts)}</a></p>`,
  });
}
