// A printer (or spooler) that answers, but answers that it failed: HTTP 500, an IPP
// server-error status, a printer reached directly whose IPP does not decode. Each is a fault with
// the next step of its path (printer reached directly: switch it off and on; spooler: restart the
// PC), never an "unknown" that opens nothing. A printer saying it is busy is no fault. Real HTTP
// on loopback.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createIppStatusSource, printerPath } from '../../../native/printer/ipp-source';
import { checkPrinterStatus } from '../../../electron/agent/checks/printer';
import { toVerdict } from '../../../electron/agent/check';
import type { Role, Verdict } from '../../../protocol/verdict';
import { startSmallIppServer, type SmallIppBehaviour } from '../../helpers/ipp-printer';

const source = createIppStatusSource();

async function verdictsFor(
  behaviour: SmallIppBehaviour,
  role: Role = 'card-printer',
): Promise<{ direct: Verdict; spooler: Verdict }> {
  const server = await startSmallIppServer(behaviour);
  try {
    const check = async (queue: string) =>
      toVerdict(
        role,
        checkPrinterStatus(role, queue, await source.getStatus(queue, { timeoutMs: 3000 }), printerPath(queue)),
        new Date().toISOString(),
        0,
      );
    return { direct: await check(server.printerUri), spooler: await check(server.spoolerUri) };
  } finally {
    await server.stop();
  }
}

function assertFault(verdicts: { direct: Verdict; spooler: Verdict }, prefix: string) {
  const { direct, spooler } = verdicts;
  assert.equal(direct.status, 'fault', JSON.stringify(direct.measurements));
  assert.equal(direct.code, `${prefix}_NOT_RESPONDING`);
  assert.match(direct.nextStep.en, /off and on again/);
  assert.equal(spooler.status, 'fault', JSON.stringify(spooler.measurements));
  assert.equal(spooler.code, `${prefix}_SPOOLER_UNREACHABLE`);
  assert.match(spooler.nextStep.en, /Restart the PC/);
}

test('printer answering HTTP 500: a fault on both paths, not a check error', async () => {
  const verdicts = await verdictsFor({ kind: 'http-status', status: 500 });
  assertFault(verdicts, 'CARD_PRINTER');
  assert.match(String(verdicts.direct.measurements.error), /HTTP 500/);
});

test('printer answering IPP server-error-internal-error: a fault', async () => {
  assertFault(await verdictsFor({ kind: 'ipp-status', code: 0x0500 }, 'document-printer'), 'DOCUMENT_PRINTER');
});

test('printer reached directly answering IPP that does not decode: a fault; the same through the spooler: a check error', async () => {
  // A version and status, then an attribute whose name length runs past the end of the body.
  const broken = Buffer.from([0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x01, 0x47, 0x7f, 0xff, 0x61]);
  const { direct, spooler } = await verdictsFor({ kind: 'raw', contentType: 'application/ipp', body: broken });
  assert.equal(direct.status, 'fault', JSON.stringify(direct.measurements));
  assert.equal(direct.code, 'CARD_PRINTER_NOT_RESPONDING');
  assert.match(direct.nextStep.en, /off and on again/);
  // On a spooler path the station's reading of the spooler's answer failed (on Windows: the
  // PowerShell output), which says nothing about the printer.
  assert.equal(spooler.status, 'unknown');
  assert.equal(spooler.code, 'CARD_PRINTER_CHECK_ERROR');
  assert.match(spooler.nextStep.en, /district technician/);
});

test('a printer saying it is busy (IPP server-error-busy, HTTP 503) is not a fault', async () => {
  for (const behaviour of [
    { kind: 'ipp-status', code: 0x0507 },
    { kind: 'http-status', status: 503 },
  ] satisfies SmallIppBehaviour[]) {
    const { direct } = await verdictsFor(behaviour);
    assert.notEqual(direct.status, 'fault', `${JSON.stringify(behaviour)}: ${direct.code}`);
  }
});
