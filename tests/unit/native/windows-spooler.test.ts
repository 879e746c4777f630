// The Windows spooler source from recorded PowerShell outputs (tests/fixtures/windows-spooler/):
// the pure parser's mapping of Win32_Printer codes, the command it runs, and fuzzing of the parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  buildSpoolerScript,
  createWindowsSpoolerSource,
  parseWindowsPrinterJson,
} from '../../../native/printer/windows-spooler';
import type { WindowsParseResult } from '../../../native/printer/windows-spooler';
import type { CommandRunner, ExternalCommandResult } from '../../../native/system/types';

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'windows-spooler');

/** As the CommandRunner delivers it: the bytes decoded as UTF-8, whatever PowerShell wrote. */
function recorded(name: string): string {
  return readFileSync(join(fixtures, name)).toString('utf8');
}

function parsedStatus(result: WindowsParseResult) {
  assert.ok(result.ok, `expected a status, got ${JSON.stringify(result)}`);
  return result.status;
}

test('idle printer, one object: idle, no reasons, driver as make and model', () => {
  const status = parsedStatus(parseWindowsPrinterJson(recorded('idle-single.json'), 'EPSON L3110 Series'));
  assert.equal(status.state, 'idle');
  assert.deepEqual(status.reasons, []);
  assert.deepEqual(status.markers, []);
  assert.equal(status.makeAndModel, 'EPSON L3110 Series');
  assert.equal(status.raw.PortName, 'USB001');
});

test('UTF-8 BOM is ignored', () => {
  const status = parsedStatus(parseWindowsPrinterJson(recorded('idle-utf8-bom.json'), 'EPSON L3110 Series'));
  assert.equal(status.state, 'idle');
});

test('paper out (DetectedErrorState 4, pretty PowerShell 5.1 layout): media-empty error, stopped', () => {
  const status = parsedStatus(
    parseWindowsPrinterJson(recorded('paper-out-pretty.json'), 'EPSON L3110 Series'),
  );
  assert.equal(status.state, 'stopped');
  assert.deepEqual(status.reasons, ['media-empty']);
  assert.deepEqual({ ...status.reasonSeverity }, { 'media-empty': 'error' });
});

test('array of printers: the one named wins; door open from every source, once', () => {
  const status = parsedStatus(
    parseWindowsPrinterJson(recorded('two-printers-array.json'), 'FARGO HDP5000 Card Printer'),
  );
  assert.equal(status.raw.Name, 'FARGO HDP5000 Card Printer');
  assert.equal(status.state, 'stopped');
  assert.deepEqual(status.reasons, ['cover-open']);
  assert.equal(status.reasonSeverity['cover-open'], 'error');
});

test('network queue with low toner (DetectedErrorState 5, flag 0x20000): toner-low warning, still idle', () => {
  const status = parsedStatus(
    parseWindowsPrinterJson(recorded('toner-low-network.json'), '\\\\SERVER-KEC\\HP LaserJet M404'),
  );
  assert.equal(status.state, 'idle');
  assert.deepEqual(status.reasons, ['toner-low']);
  assert.equal(status.reasonSeverity['toner-low'], 'warning');
});

test('Use Printer Offline: offline, stopped', () => {
  const status = parsedStatus(
    parseWindowsPrinterJson(recorded('offline-work-offline.json'), 'EPSON L3110 Series'),
  );
  assert.equal(status.state, 'stopped');
  assert.deepEqual(status.reasons, ['offline']);
});

test('jammed (DetectedErrorState 8, flags Error|PaperJam): media-jam and other', () => {
  const status = parsedStatus(parseWindowsPrinterJson(recorded('jammed.json'), 'Zebra ZC350'));
  assert.equal(status.state, 'stopped');
  assert.deepEqual(status.reasons, ['media-jam', 'other']);
});

test('UTF-16LE output with BOM read as UTF-8: still parsed (no toner -> toner-empty)', () => {
  const status = parsedStatus(
    parseWindowsPrinterJson(recorded('no-toner-utf16le-bom.json'), 'Evolis Primacy 2'),
  );
  assert.equal(status.state, 'stopped');
  assert.deepEqual(status.reasons, ['toner-empty']);
  assert.equal(status.makeAndModel, 'Evolis Primacy 2');
});

test('empty output and a blank line mean no such printer', () => {
  for (const name of ['empty.txt', 'blank-line.txt']) {
    const result = parseWindowsPrinterJson(recorded(name), 'Missing');
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.reason, 'not-found', name);
  }
  assert.equal(parseWindowsPrinterJson('[]', 'Missing').ok, false);
});

test('PowerShell error text is a bad response, not a crash', () => {
  const result = parseWindowsPrinterJson(recorded('powershell-error.txt'), 'EPSON');
  assert.equal(result.ok, false);
  assert.equal(!result.ok && result.reason, 'bad-response');
  assert.match(!result.ok ? result.message : '', /Get-CimInstance/);
});

test('JSON without status fields is a bad response', () => {
  for (const text of ['{"Name":"X"}', '42', '"text"', '[1,2]', 'true']) {
    const result = parseWindowsPrinterJson(text, 'X');
    assert.deepEqual([result.ok, !result.ok && result.reason], [false, 'bad-response'], text);
  }
});

test('the script escapes the queue name for WQL and PowerShell', () => {
  const script = buildSpoolerScript("\\\\SERVER\\Kasir's HP");
  assert.match(script, /-Filter 'Name=''\\\\\\\\SERVER\\\\Kasir\\''s HP'''/);
  assert.match(script, /ConvertTo-Json/);
  assert.match(script, /ExtendedDetectedErrorState/);
});

function fakeRunner(
  result: Partial<ExternalCommandResult>,
  calls: { command: string; args: string[]; timeoutMs: number }[] = [],
): CommandRunner {
  return {
    async run(command, args, { timeoutMs }) {
      calls.push({ command, args, timeoutMs });
      return { exitCode: 0, timedOut: false, stdout: '', stderr: '', elapsedMs: 5, ...result };
    },
  };
}

test('source runs powershell.exe with an encoded script and maps its output', async () => {
  const calls: { command: string; args: string[]; timeoutMs: number }[] = [];
  const source = createWindowsSpoolerSource(fakeRunner({ stdout: recorded('jammed.json') }, calls));
  const result = await source.getStatus('Zebra ZC350', { timeoutMs: 4000 });
  assert.ok(result.ok);
  assert.deepEqual(result.status.reasons, ['media-jam', 'other']);
  assert.equal(calls.length, 1);
  assert.equal(calls[0]?.command, 'powershell.exe');
  assert.equal(calls[0]?.timeoutMs, 4000);
  const args = calls[0]?.args ?? [];
  assert.equal(args[args.length - 2], '-EncodedCommand');
  const script = Buffer.from(args[args.length - 1] ?? '', 'base64').toString('utf16le');
  assert.equal(script, buildSpoolerScript('Zebra ZC350'));
});

test('source: timeout, spawn failure, non-zero exit and empty output', async () => {
  const timeout = await createWindowsSpoolerSource(fakeRunner({ timedOut: true, exitCode: null })).getStatus(
    'P',
    { timeoutMs: 10 },
  );
  assert.deepEqual([timeout.ok, !timeout.ok && timeout.reason], [false, 'timeout']);
  const missing = await createWindowsSpoolerSource(
    fakeRunner({ exitCode: null, error: 'spawn powershell.exe ENOENT' }),
  ).getStatus('P', { timeoutMs: 10 });
  assert.deepEqual([missing.ok, !missing.ok && missing.reason], [false, 'error']);
  const failed = await createWindowsSpoolerSource(
    fakeRunner({ exitCode: 1, stderr: recorded('powershell-error.txt') }),
  ).getStatus('P', { timeoutMs: 10 });
  assert.deepEqual([failed.ok, !failed.ok && failed.reason], [false, 'error']);
  assert.match(!failed.ok ? failed.message : '', /Invalid query/);
  const absent = await createWindowsSpoolerSource(fakeRunner({ stdout: '' })).getStatus('P', {
    timeoutMs: 10,
  });
  assert.deepEqual([absent.ok, !absent.ok && absent.reason], [false, 'not-found']);
});

const allowedStates = new Set(['idle', 'processing', 'stopped', 'unknown']);

function checkParse(text: string): void {
  const result = parseWindowsPrinterJson(text, 'P');
  if (result.ok) {
    assert.ok(allowedStates.has(result.status.state));
    assert.ok(Array.isArray(result.status.reasons));
  } else {
    assert.ok(result.reason === 'not-found' || result.reason === 'bad-response');
  }
}

const recordedTexts = [
  'idle-single.json',
  'paper-out-pretty.json',
  'two-printers-array.json',
  'jammed.json',
  'no-toner-utf16le-bom.json',
  'powershell-error.txt',
].map(recorded);

test('property: the parser returns a result for any text, never throws', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
      checkParse(text);
    }),
    { numRuns: 10_000 },
  );
});

test('property: mutated and truncated recordings and random Win32_Printer objects', () => {
  const mutated = fc
    .tuple(fc.constantFrom(...recordedTexts), fc.nat(), fc.nat(), fc.string({ maxLength: 8 }))
    .map(([text, at, cut, insert]) => {
      const position = at % (text.length + 1);
      return text.slice(0, position) + insert + text.slice(position + (cut % 4), text.length - (cut % 7));
    });
  const codes = fc.oneof(
    fc.integer({ min: -2, max: 30 }),
    fc.integer(),
    fc.constant(null),
    fc.string({ maxLength: 3 }),
    fc.boolean(),
  );
  const objects = fc
    .record({
      Name: fc.oneof(fc.constant('P'), fc.string({ maxLength: 5 })),
      PrinterStatus: codes,
      DetectedErrorState: codes,
      ExtendedPrinterStatus: codes,
      ExtendedDetectedErrorState: codes,
      WorkOffline: fc.oneof(fc.boolean(), fc.constant(null)),
      QueueStatus: codes,
    })
    .map((record) => JSON.stringify(record));
  fc.assert(
    fc.property(
      fc.oneof(
        mutated,
        objects,
        fc.array(objects, { maxLength: 3 }).map((items) => `[${items.join(',')}]`),
      ),
      (text) => {
        checkParse(text);
      },
    ),
    { numRuns: 10_000 },
  );
});
