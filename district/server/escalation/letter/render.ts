// The letter model (model.ts) laid out as an A4 PDF with pdfkit: letterhead with the optional logo
// and the double rule, number block, recipient, body (fields in two columns, numbered history),
// signature kept whole on one page, tembusan, and "Halaman i dari n" on every page. Text wraps
// within the margins (a word longer than a line is broken) and flows onto new pages. The font is
// DejaVu Sans from the system (Debian: fonts-dejavu-core): it covers Latin, Arabic and Hebrew, and
// any glyph it lacks (an emoji) is set as an empty box, never an error.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { DistrictError, InvalidInputError } from '../../errors';
import { LETTER_LOGO_MAX_BYTES } from '../../../dash-api';
import type { LetterBlock, LetterDocument } from './model';

const FONT_FILES = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' } as const;
/** Where distributions put DejaVu (Debian/Ubuntu, Fedora, Arch, Alpine, Windows with DejaVu installed). */
const FONT_DIRECTORIES = [
  '/usr/share/fonts/truetype/dejavu',
  '/usr/share/fonts/dejavu-sans-fonts',
  '/usr/share/fonts/TTF',
  '/usr/share/fonts/dejavu',
  'C:\\Windows\\Fonts',
];

/** 1 mm in PDF points. */
const MM = 72 / 25.4;
const MARGIN = { top: 20 * MM, bottom: 22 * MM, left: 25 * MM, right: 20 * MM };
const SIZE = { body: 11, small: 8.5, agency: 14, authority: 12 };
const LINE_GAP = 2;

/** The font files, from SIAGA_FONT_DIR or the usual places; a clear 503 when DejaVu is not installed. */
export function letterFonts(): { regular: string; bold: string } {
  const directories = [process.env.SIAGA_FONT_DIR, ...FONT_DIRECTORIES].filter(
    (directory): directory is string => directory !== undefined && directory !== '',
  );
  const find = (file: string): string | undefined =>
    directories.map((directory) => join(directory, file)).find((path) => existsSync(path));
  const regular = find(FONT_FILES.regular);
  const bold = find(FONT_FILES.bold);
  if (regular === undefined || bold === undefined) {
    throw new DistrictError(
      503,
      'font-missing',
      'Huruf DejaVu Sans tidak ditemukan di server; pasang paket fonts-dejavu-core atau atur SIAGA_FONT_DIR ' +
        '(the DejaVu Sans font is not installed: install fonts-dejavu-core or set SIAGA_FONT_DIR)',
    );
  }
  return { regular, bold };
}

/** Pixels per side of a logo: printed 22 mm wide, 300 dpi needs 260; a scan at 2000 is plenty. */
export const LOGO_MAX_PIXELS = 2000;

/** Width and height from a PNG's IHDR or a JPEG's first start-of-frame marker; null when not found. */
export function imageSize(bytes: Buffer, kind: 'png' | 'jpeg'): { width: number; height: number } | null {
  if (kind === 'png') {
    // Signature (8), IHDR length (4) and type (4), then width and height, 4 bytes each.
    return bytes.length >= 24 && bytes.toString('latin1', 12, 16) === 'IHDR'
      ? { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) }
      : null;
  }
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) {
      return null;
    }
    const marker = bytes[offset + 1];
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2; // markers without a length
      continue;
    }
    const length = bytes.readUInt16BE(offset + 2);
    // SOF0-SOF15 but DHT (C4), JPG (C8) and DAC (CC): precision (1), height (2), width (2).
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      return offset + 9 <= bytes.length
        ? { width: bytes.readUInt16BE(offset + 7), height: bytes.readUInt16BE(offset + 5) }
        : null;
    }
    if (marker === 0xda || length < 2) {
      return null; // image data before any frame header
    }
    offset += 2 + length;
  }
  return null;
}

/** The logo's bytes when they are a PNG or JPEG pdfkit can embed; an InvalidInputError naming `logo` otherwise. */
export async function checkLogo(base64: string): Promise<void> {
  if (base64 === '') {
    return;
  }
  const bytes = Buffer.from(base64, 'base64');
  const png = bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const jpeg = bytes.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]));
  if (!png && !jpeg) {
    throw new InvalidInputError(
      'logo: Logo harus berkas PNG atau JPEG (the logo must be a PNG or JPEG file)',
    );
  }
  if (bytes.length > LETTER_LOGO_MAX_BYTES) {
    throw new InvalidInputError('logo: Logo paling besar 256 KB (logo at most 256 KB)');
  }
  // Checked before decoding: a blank PNG of 8000 x 8000 pixels is 249 KB of file but 256 MB
  // once decoded (35 s and 1.1 GB in pdfkit), on every letter printed with it.
  const size = imageSize(bytes, png ? 'png' : 'jpeg');
  if (size === null) {
    throw new InvalidInputError('logo: Berkas logo rusak atau tidak terbaca (the logo file is damaged)');
  }
  if (size.width > LOGO_MAX_PIXELS || size.height > LOGO_MAX_PIXELS) {
    throw new InvalidInputError(
      `logo: Logo paling besar ${LOGO_MAX_PIXELS} × ${LOGO_MAX_PIXELS} piksel, berkas ini ${size.width} × ${size.height} ` +
        `(the logo is at most ${LOGO_MAX_PIXELS} x ${LOGO_MAX_PIXELS} pixels)`,
    );
  }
  try {
    await toBuffer(new PDFDocument({ size: 'A6', font: letterFonts().regular }), (document) => {
      document.image(bytes, 0, 0, { fit: [50, 50] });
    });
  } catch (error) {
    if (error instanceof DistrictError) {
      throw error;
    }
    throw new InvalidInputError('logo: Berkas logo rusak atau tidak terbaca (the logo file is damaged)');
  }
}

async function toBuffer(
  document: PDFKit.PDFDocument,
  draw: (document: PDFKit.PDFDocument) => void,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    document.on('data', (chunk: Buffer) => chunks.push(chunk));
    document.on('end', () => resolve(Buffer.concat(chunks)));
    document.on('error', reject);
  });
  try {
    draw(document);
  } finally {
    document.end();
  }
  return done;
}

export interface RenderedLetter {
  pdf: Buffer;
  pages: number;
}

/** The letter as PDF bytes. */
export async function renderLetter(
  letter: LetterDocument,
  options: { title?: string } = {},
): Promise<RenderedLetter> {
  const fonts = letterFonts();
  const document = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    font: fonts.regular,
    bufferPages: true,
    lang: 'id-ID',
    info: {
      Title: options.title ?? `Surat ${letter.heading[0]?.[1] ?? ''}`,
      Subject: letter.heading.find(([label]) => label === 'Perihal')?.[1] ?? '',
      Author: letter.letterhead.agency,
      Creator: 'Siaga',
    },
  });
  document.registerFont('regular', fonts.regular);
  document.registerFont('bold', fonts.bold);
  let pages = 0;
  const pdf = await toBuffer(document, () => {
    layOut(document, letter);
    const range = document.bufferedPageRange();
    pages = range.count;
    const number = letter.heading[0]?.[1] ?? '';
    for (let index = range.start; index < range.start + range.count; index++) {
      document.switchToPage(index);
      // Inside the bottom margin: lift the margin while writing, or pdfkit would start a new page.
      const bottom = document.page.margins.bottom;
      document.page.margins.bottom = 0;
      document
        .font('regular')
        .fontSize(SIZE.small)
        .fillColor('#444444')
        .text(
          `Nomor ${number} — Halaman ${index + 1} dari ${range.count}`,
          MARGIN.left,
          document.page.height - bottom + 8 * MM,
          { width: contentWidth(document), align: 'center', lineBreak: false },
        );
      document.page.margins.bottom = bottom;
    }
  });
  return { pdf, pages };
}

const contentWidth = (document: PDFKit.PDFDocument): number =>
  document.page.width - MARGIN.left - MARGIN.right;

const pageBottom = (document: PDFKit.PDFDocument): number => document.page.height - MARGIN.bottom;

/** A new page unless `height` points still fit on this one. */
function keepTogether(document: PDFKit.PDFDocument, height: number): void {
  if (document.y + height > pageBottom(document) && height < pageBottom(document) - MARGIN.top) {
    document.addPage();
  }
}

function layOut(document: PDFKit.PDFDocument, letter: LetterDocument): void {
  const width = contentWidth(document);
  const left = MARGIN.left;
  document.fillColor('#000000');
  letterhead(document, letter.letterhead);

  document.font('regular').fontSize(SIZE.body);
  document.text(letter.placeAndDate, left, document.y, { width, align: 'right', lineGap: LINE_GAP });
  document.moveDown(0.5);
  fields(document, letter.heading, 22 * MM);
  document.moveDown(1);
  for (const [index, line] of letter.recipient.entries()) {
    // "di" and the place below it are indented as the Tata Naskah Dinas shows them.
    document.text(line, left + (index === 2 ? 8 * MM : 0), document.y, {
      width: width / 1.6,
      lineGap: LINE_GAP,
    });
  }
  document.moveDown(1);
  for (const block of letter.body) {
    bodyBlock(document, block);
    document.moveDown(0.6);
  }
  signature(document, letter.signature);
  if (letter.copies.length > 0) {
    document.moveDown(1.5);
    keepTogether(document, (letter.copies.length + 1) * 16);
    document.font('regular').fontSize(SIZE.body).text('Tembusan:', left, document.y, { width });
    numbered(
      document,
      letter.copies.map((copy, index) => `${copy}${index === letter.copies.length - 1 ? '.' : ';'}`),
    );
  }
}

function letterhead(document: PDFKit.PDFDocument, head: LetterDocument['letterhead']): void {
  const left = MARGIN.left;
  const width = contentWidth(document);
  const top = MARGIN.top;
  const logoSize = 22 * MM;
  const textLeft = head.logo === '' ? left : left + logoSize + 4 * MM;
  const textWidth = head.logo === '' ? width : width - logoSize - 4 * MM;
  if (head.logo !== '') {
    document.image(Buffer.from(head.logo, 'base64'), left, top, {
      fit: [logoSize, logoSize],
      align: 'center',
      valign: 'center',
    });
  }
  document.y = top;
  if (head.authority !== '') {
    document
      .font('bold')
      .fontSize(SIZE.authority)
      .text(head.authority, textLeft, document.y, { width: textWidth, align: 'center' });
  }
  document
    .font('bold')
    .fontSize(SIZE.agency)
    .text(head.agency, textLeft, document.y, { width: textWidth, align: 'center' });
  document
    .font('regular')
    .fontSize(SIZE.small + 0.5)
    .text(head.address, textLeft, document.y + 2, { width: textWidth, align: 'center' });
  if (head.contact !== '') {
    document.text(head.contact, textLeft, document.y, { width: textWidth, align: 'center' });
  }
  const ruleY = Math.max(document.y, head.logo === '' ? 0 : top + logoSize) + 3 * MM;
  document
    .lineWidth(2)
    .moveTo(left, ruleY)
    .lineTo(left + width, ruleY)
    .stroke();
  document
    .lineWidth(0.6)
    .moveTo(left, ruleY + 3)
    .lineTo(left + width, ruleY + 3)
    .stroke();
  document.y = ruleY + 5 * MM;
}

/** Label, colon and value in columns; a value that wraps stays in its column. */
function fields(document: PDFKit.PDFDocument, rows: [string, string][], labelWidth: number): void {
  const left = MARGIN.left;
  const width = contentWidth(document);
  const valueLeft = left + labelWidth + 4 * MM;
  const valueWidth = width - labelWidth - 4 * MM;
  document.font('regular').fontSize(SIZE.body);
  for (const [label, value] of rows) {
    const options = { width: valueWidth, lineGap: LINE_GAP };
    const labelHeight = document.heightOfString(label, { width: labelWidth, lineGap: LINE_GAP });
    const valueHeight = document.heightOfString(value, options);
    keepTogether(document, Math.min(Math.max(labelHeight, valueHeight), 60));
    const top = document.y;
    const page = document.bufferedPageRange().count;
    document.text(label, left, top, { width: labelWidth, lineGap: LINE_GAP });
    const labelBottom = document.y;
    document.text(':', left + labelWidth + 1 * MM, top, { lineBreak: false });
    document.text(value, valueLeft, top, options);
    // A value that flowed onto the next page ends below its own text there.
    document.y = document.bufferedPageRange().count === page ? Math.max(labelBottom, document.y) : document.y;
    document.x = left;
  }
}

function numbered(document: PDFKit.PDFDocument, items: string[]): void {
  const left = MARGIN.left;
  const width = contentWidth(document);
  const indent = 8 * MM;
  document.font('regular').fontSize(SIZE.body);
  for (const [index, item] of items.entries()) {
    keepTogether(
      document,
      Math.min(document.heightOfString(item, { width: width - indent, lineGap: LINE_GAP }), 48),
    );
    const top = document.y;
    document.text(`${index + 1}.`, left, top, { width: indent, lineBreak: false });
    document.text(item, left + indent, top, { width: width - indent, lineGap: LINE_GAP });
    document.x = left;
  }
}

function bodyBlock(document: PDFKit.PDFDocument, block: LetterBlock): void {
  const left = MARGIN.left;
  const width = contentWidth(document);
  document.font('regular').fontSize(SIZE.body);
  if (block.kind === 'paragraph') {
    document.text(block.text, left, document.y, { width, align: 'justify', lineGap: LINE_GAP });
    return;
  }
  keepTogether(document, 60);
  document.font('bold').text(block.title, left, document.y, { width, lineGap: LINE_GAP });
  document.moveDown(0.2);
  if (block.kind === 'fields') {
    fields(document, block.rows, 52 * MM);
  } else {
    numbered(document, block.items);
  }
}

/** The signature block on the right half, whole on one page, with room for the signature and stamp. */
function signature(document: PDFKit.PDFDocument, signer: LetterDocument['signature']): void {
  const width = contentWidth(document) * 0.5;
  const left = MARGIN.left + contentWidth(document) - width;
  document.font('regular').fontSize(SIZE.body);
  const titleHeight = document.heightOfString(`${signer.title},`, { width, align: 'center' });
  keepTogether(document, titleHeight + 30 * MM + 40);
  document.moveDown(1);
  document.text(`${signer.title},`, left, document.y, { width, align: 'center' });
  document.y += 24 * MM;
  document.font('bold').text(signer.name, left, document.y, { width, align: 'center', underline: true });
  document.font('regular');
  if (signer.rank !== '') {
    document.text(signer.rank, left, document.y, { width, align: 'center' });
  }
  if (signer.nip !== '') {
    document.text(signer.nip, left, document.y, { width, align: 'center' });
  }
  document.x = MARGIN.left;
}
