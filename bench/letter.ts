// Time to produce an escalation letter: the document model from a fault with a long history
// (pure) and its PDF (pdfkit, DejaVu Sans embedded and subset), against a one-line PDF rendered
// with the same font in the same run (the fixed cost of pdfkit and the font, which the ratio
// discounts on a faster or slower machine). Figures, not pass/fail.
import PDFDocument from 'pdfkit';
import { buildLetter } from '../district/server/escalation/letter/model';
import { letterFonts, renderLetter } from '../district/server/escalation/letter/render';
import { sampleLetterInput } from '../tests/helpers/letter-sample';

const ROUNDS = 15;

async function oneLinePdf(): Promise<Buffer> {
  const document = new PDFDocument({ size: 'A4', font: letterFonts().regular });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve) => document.on('end', () => resolve(Buffer.concat(chunks))));
  document.on('data', (chunk: Buffer) => chunks.push(chunk));
  document.text('Surat eskalasi Siaga', 72, 72);
  document.end();
  return done;
}

function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)];
}

async function time<T>(work: () => Promise<T> | T): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

const input = sampleLetterInput(200);
// Warm-up: module loading and the first font parse are not what a user waits for on a running server.
await renderLetter(buildLetter(input));
await oneLinePdf();

const model: number[] = [];
const letter: number[] = [];
const baseline: number[] = [];
let pages = 0;
let bytes = 0;
for (let round = 0; round < ROUNDS; round++) {
  model.push(await time(() => buildLetter(input)));
  letter.push(
    await time(async () => {
      const rendered = await renderLetter(buildLetter(input));
      pages = rendered.pages;
      bytes = rendered.pdf.length;
    }),
  );
  baseline.push(await time(oneLinePdf));
}
const letterMs = median(letter);
const baselineMs = median(baseline);
console.log(
  `escalation letter (model + PDF, ${pages} pages, ${bytes} bytes), median of ${ROUNDS}: ${letterMs.toFixed(1)} ms`,
);
console.log(`  of which the document model: ${median(model).toFixed(2)} ms`);
console.log(`one-line PDF with the same font: ${baselineMs.toFixed(1)} ms`);
console.log(`ratio letter / one-line PDF: ${(letterMs / baselineMs).toFixed(2)}`);
