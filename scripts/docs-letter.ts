// `npm run docs:letter`: renders the sample escalation letter (tests/helpers/letter-sample.ts) and writes its
// first page as docs/escalation-letter.png (pdftoppm, from poppler-utils). Run by hand after a
// change to the letter; tests never write tracked files.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLetter } from '../district/server/escalation/letter/model';
import { renderLetter } from '../district/server/escalation/letter/render';
import { sampleLetterInput } from '../tests/helpers/letter-sample';

const directory = mkdtempSync(join(tmpdir(), 'siaga-letter-'));
try {
  const { pdf, pages } = await renderLetter(buildLetter(sampleLetterInput()));
  writeFileSync(join(directory, 'letter.pdf'), pdf);
  execFileSync('pdftoppm', [
    '-png',
    '-r',
    '80',
    '-f',
    '1',
    '-l',
    '1',
    '-singlefile',
    join(directory, 'letter.pdf'),
    join(directory, 'page'),
  ]);
  copyFileSync(join(directory, 'page.png'), 'docs/escalation-letter.png');
  console.log(`docs/escalation-letter.png: page 1 of ${pages} (${pdf.length} bytes of PDF)`);
} finally {
  rmSync(directory, { recursive: true, force: true });
}
