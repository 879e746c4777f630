// Our IPP status source against a simulated printer (ippeveprinter, see tests/helpers/ipp-printer.ts)
// in each state, and against peers that refuse, never answer, or answer garbage.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { createIppStatusSource } from '../../../native/printer/ipp-source';
import type { PrinterStatus, PrinterStatusResult } from '../../../native/printer/types';
import { freePort, startSimulatedPrinter } from '../../helpers/ipp-printer';
import type { SimulatedPrinter } from '../../helpers/ipp-printer';
import { startSilentPeer } from '../../helpers/silent-peer';

const source = createIppStatusSource();
let printer: SimulatedPrinter;

before(async () => {
  printer = await startSimulatedPrinter({ name: 'Siaga Card Printer' });
});

after(async () => {
  await printer?.stop();
});

async function status(timeoutMs = 5000): Promise<PrinterStatus> {
  const result = await source.getStatus(printer.uri, { timeoutMs });
  assert.ok(result.ok, `status failed: ${JSON.stringify(result)}\n${printer.logs()}`);
  return result.status;
}

function assertFailure(result: PrinterStatusResult, reason: string): string {
  assert.equal(result.ok, false, `expected ${reason}, got ${JSON.stringify(result)}`);
  assert.equal(!result.ok && result.reason, reason, !result.ok ? result.message : '');
  return !result.ok ? result.message : '';
}

test('healthy printer: idle, accepting, no reasons, supplies as markers', async () => {
  const current = await status();
  assert.equal(current.state, 'idle');
  assert.deepEqual(current.reasons, []);
  assert.equal(current.acceptingJobs, true);
  assert.equal(current.stateMessage, 'Idle.');
  assert.equal(current.makeAndModel, 'Siaga Simulated Printer');
  assert.equal(current.queue, printer.uri);
  // ippeveprinter reports supplies as printer-supply only; they become markers.
  assert.deepEqual(current.markers, [
    { name: 'Toner Waste Tank', type: 'wasteToner', level: 25 },
    { name: 'Black Toner', type: 'toner', level: 75 },
  ]);
  assert.equal(current.raw['printer-state'], 3);
});

test('media empty (tray level 0 in the media form)', async () => {
  await printer.setMediaLevel(0);
  try {
    const current = await status();
    assert.deepEqual(current.reasons, ['media-empty']);
    assert.equal(current.reasonSeverity['media-empty'], 'report');
    assert.equal(current.raw['printer-state-reasons'], 'media-empty-report');
  } finally {
    await printer.reset();
  }
  assert.deepEqual((await status()).reasons, []);
});

test('supply low, then empty (supplies form)', async () => {
  await printer.setSupplyLevels([25, 5]);
  try {
    const low = await status();
    assert.deepEqual(low.reasons, ['toner-low']);
    assert.deepEqual(low.markers[1], { name: 'Black Toner', type: 'toner', level: 5 });
    await printer.setSupplyLevels([25, 0]);
    const empty = await status();
    assert.deepEqual(empty.reasons, ['toner-empty']);
    assert.equal(empty.markers[1]?.level, 0);
  } finally {
    await printer.reset();
  }
});

test('cover open, set and cleared by control documents', async () => {
  await printer.setReason('cover-open', true);
  try {
    const current = await status();
    assert.deepEqual(current.reasons, ['cover-open']);
    assert.deepEqual({ ...current.reasonSeverity }, { 'cover-open': 'report' });
  } finally {
    await printer.setReason('cover-open', false);
  }
  assert.deepEqual((await status()).reasons, []);
});

test('media jam together with media empty', async () => {
  await printer.setReason('media-jam', true);
  await printer.setMediaLevel(0);
  try {
    const current = await status();
    assert.deepEqual([...current.reasons].sort(), ['media-empty', 'media-jam']);
  } finally {
    await printer.reset();
  }
});

// These set marker-* attributes, which ippeveprinter cannot remove again: keep them last.
test('marker low: ribbon below its low level', async () => {
  await printer.setMarkers([
    { name: 'Ribbon YMCKO', type: 'ink-ribbon', level: 8, lowLevel: 10 },
    { name: 'Retransfer Film', type: 'transfer-roller', level: 60, lowLevel: 10 },
  ]);
  const current = await status();
  assert.deepEqual(current.markers, [
    { name: 'Ribbon YMCKO', type: 'ink-ribbon', level: 8, lowLevel: 10 },
    { name: 'Retransfer Film', type: 'transfer-roller', level: 60, lowLevel: 10 },
  ]);
  assert.ok((current.markers[0]?.level ?? 100) < (current.markers[0]?.lowLevel ?? 0));
});

test('marker empty', async () => {
  await printer.setMarkers([{ name: 'Ribbon YMCKO', type: 'ink-ribbon', level: 0, lowLevel: 10 }]);
  const current = await status();
  assert.deepEqual(current.markers, [{ name: 'Ribbon YMCKO', type: 'ink-ribbon', level: 0, lowLevel: 10 }]);
});

test('unknown queue on the printer: not-found', async () => {
  const result = await source.getStatus(`ipp://127.0.0.1:${printer.port}/ipp/no-such-queue`, {
    timeoutMs: 5000,
  });
  assertFailure(result, 'not-found');
});

test('nothing listening: unreachable, quickly', async () => {
  const port = await freePort();
  const result = await source.getStatus(`ipp://127.0.0.1:${port}/ipp/print`, { timeoutMs: 5000 });
  assert.match(assertFailure(result, 'unreachable'), /ECONNREFUSED/);
  assert.ok(result.elapsedMs < 1000, `took ${result.elapsedMs} ms`);
});

test('a TCP peer that never answers: timeout at the timeout', async () => {
  const silent = await startSilentPeer();
  try {
    const port = silent.port;
    const started = performance.now();
    const result = await source.getStatus(`ipp://127.0.0.1:${port}/ipp/print`, { timeoutMs: 400 });
    const elapsed = performance.now() - started;
    assertFailure(result, 'timeout');
    assert.ok(elapsed >= 390 && elapsed < 1200, `elapsed ${elapsed} ms`);
    assert.ok(result.elapsedMs >= 390 && result.elapsedMs < 1200, `reported ${result.elapsedMs} ms`);
  } finally {
    await silent.close();
  }
});

async function withHttpServer(
  handler: http.RequestListener,
  body: (port: number) => Promise<void>,
): Promise<void> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await body((server.address() as net.AddressInfo).port);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

test('an HTTP server answering garbage: bad-response', async () => {
  await withHttpServer(
    (request, response) => {
      request.resume();
      response.writeHead(200, { 'content-type': 'application/ipp' });
      response.end(Buffer.from('<html><body>Printer web page</body></html>'));
    },
    async (port) => {
      const result = await source.getStatus(`http://127.0.0.1:${port}/ipp/print`, { timeoutMs: 2000 });
      assert.match(assertFailure(result, 'bad-response'), /not an IPP response/);
    },
  );
});

test('an HTTP server answering a truncated IPP response: bad-response', async () => {
  await withHttpServer(
    (request, response) => {
      request.resume();
      response.writeHead(200, { 'content-type': 'application/ipp' });
      response.end(Uint8Array.of(1, 1, 0, 0, 0, 0, 0, 1, 4, 0x23, 0, 13));
    },
    async (port) => {
      const result = await source.getStatus(`http://127.0.0.1:${port}/ipp/print`, { timeoutMs: 2000 });
      assert.match(assertFailure(result, 'bad-response'), /truncated/);
    },
  );
});

test('a peer that is not HTTP at all: bad-response', async () => {
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    // Read what the client sends, or its closing is never seen and server.close() waits forever.
    socket.resume();
    socket.end('\u0000\u0001garbage that is not HTTP\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const port = (server.address() as net.AddressInfo).port;
    const result = await source.getStatus(`ipp://127.0.0.1:${port}/ipp/print`, { timeoutMs: 2000 });
    assertFailure(result, 'bad-response');
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test('HTTP 404: not-found', async () => {
  await withHttpServer(
    (request, response) => {
      request.resume();
      response.writeHead(404).end();
    },
    async (port) => {
      assertFailure(
        await source.getStatus(`http://127.0.0.1:${port}/printers/Missing`, { timeoutMs: 2000 }),
        'not-found',
      );
    },
  );
});
