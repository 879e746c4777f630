// Printer verdicts end to end on real IPP peers: ippeveprinter (supplies form) and a small IPP
// server (tests/helpers/ipp-printer.ts) with chosen marker types, state reasons, and a peer that
// hangs up in the middle of a request. Each case asserts status, code and the next step.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createIppStatusSource, printerPath } from '../../../native/printer/ipp-source';
import { checkPrinterStatus } from '../../../electron/agent/checks/printer';
import { toVerdict } from '../../../electron/agent/check';
import type { Role, Verdict } from '../../../protocol/verdict';
import {
  freePort,
  startSimulatedPrinter,
  startSmallIppServer,
  type SimulatedPrinter,
  type SmallIppBehaviour,
} from '../../helpers/ipp-printer';

const source = createIppStatusSource();

async function checkQueue(role: Role, queue: string, timeoutMs = 3000): Promise<Verdict> {
  const result = await source.getStatus(queue, { timeoutMs });
  return toVerdict(
    role,
    checkPrinterStatus(role, queue, result, printerPath(queue)),
    new Date().toISOString(),
    0,
  );
}

async function withServer(
  behaviour: SmallIppBehaviour,
  body: (uris: { printerUri: string; spoolerUri: string }) => Promise<void>,
) {
  const server = await startSmallIppServer(behaviour);
  try {
    await body(server);
  } finally {
    await server.stop();
  }
}

function expect(verdict: Verdict, status: Verdict['status'], code: string) {
  assert.equal(verdict.code, code, JSON.stringify(verdict.measurements));
  assert.equal(verdict.status, status);
  assert.doesNotMatch(verdict.message.en + verdict.message.id, /\?%|\{\w+\}/);
}

describe('supplies told apart by what they are (small IPP server)', () => {
  test('a cleaning roller and a waste tank at 5 % with a full ribbon: OK, not ribbon low', async () => {
    await withServer(
      {
        kind: 'answer',
        reasons: [],
        markers: [
          { name: 'Ribbon YMCKO', type: 'ink-ribbon', level: 90 },
          { name: 'Cleaning Roller', type: 'cleaner-unit', level: 5 },
          { name: 'Waste Ink Tank', type: 'waste-ink', level: 5 },
        ],
      },
      async ({ printerUri }) => expect(await checkQueue('card-printer', printerUri), 'ok', 'CARD_PRINTER_OK'),
    );
  });

  test('an empty waste tank (level 0) is not "ribbon out"', async () => {
    await withServer(
      {
        kind: 'answer',
        reasons: [],
        markers: [
          { name: 'Ribbon YMCKO', type: 'ink-ribbon', level: 70 },
          { name: 'Waste Tank', type: 'waste-toner', level: 0 },
        ],
      },
      async ({ printerUri }) => expect(await checkQueue('card-printer', printerUri), 'ok', 'CARD_PRINTER_OK'),
    );
  });

  test('the ribbon at 5 % is ribbon low, with its level', async () => {
    await withServer(
      {
        kind: 'answer',
        reasons: [],
        markers: [
          { name: 'Ribbon YMCKO', type: 'ink-ribbon', level: 5 },
          { name: 'Cleaning Roller', type: 'cleaner-unit', level: 80 },
        ],
      },
      async ({ printerUri }) => {
        const verdict = await checkQueue('card-printer', printerUri);
        expect(verdict, 'warning', 'CARD_PRINTER_RIBBON_LOW');
        assert.match(verdict.message.en, /\(5% left\)/);
        assert.match(verdict.message.id, /\(sisa 5%\)/);
        assert.match(verdict.nextStep.en, /replacement ribbon/);
      },
    );
  });

  test('the card hopper at 5 % is cards low', async () => {
    await withServer(
      {
        kind: 'answer',
        reasons: [],
        markers: [
          { name: 'Ribbon YMCKO', type: 'ink-ribbon', level: 90 },
          { name: 'Card Hopper', type: 'other', level: 5 },
        ],
      },
      async ({ printerUri }) => {
        const verdict = await checkQueue('card-printer', printerUri);
        expect(verdict, 'warning', 'CARD_PRINTER_CARDS_LOW');
        assert.match(verdict.nextStep.en, /blank cards/);
      },
    );
  });

  test('a retransfer film at 3 % is that supply low, by name, not the ribbon', async () => {
    await withServer(
      {
        kind: 'answer',
        reasons: [],
        markers: [
          { name: 'Ribbon YMCKO', type: 'ink-ribbon', level: 90 },
          { name: 'Retransfer Film', type: 'transfer-roller', level: 3 },
        ],
      },
      async ({ printerUri }) => {
        const verdict = await checkQueue('card-printer', printerUri);
        expect(verdict, 'warning', 'CARD_PRINTER_SUPPLY_LOW');
        assert.match(verdict.message.en, /"Retransfer Film" is running low \(3% left\)/);
      },
    );
  });

  test('"supply low" with no level says so in words', async () => {
    await withServer({ kind: 'answer', reasons: ['marker-supply-low-warning'] }, async ({ printerUri }) => {
      const verdict = await checkQueue('card-printer', printerUri);
      expect(verdict, 'warning', 'CARD_PRINTER_RIBBON_LOW');
      assert.match(verdict.message.en, /\(the printer does not report how much is left\)/);
      assert.match(verdict.message.id, /\(printer tidak melaporkan sisanya\)/);
    });
  });
});

describe('a connection that drops in the middle of a request', () => {
  for (const kind of ['hang-up-mid-response', 'hang-up-before-response'] as const) {
    test(`${kind}: a printer reached directly is not responding (a fault)`, async () => {
      await withServer({ kind }, async ({ printerUri }) => {
        const verdict = await checkQueue('card-printer', printerUri);
        expect(verdict, 'fault', 'CARD_PRINTER_NOT_RESPONDING');
        assert.equal(verdict.measurements.reason, 'dropped');
        assert.match(verdict.nextStep.en, /off and on again and check its cable/);
      });
    });

    test(`${kind}: a queue on the spooler is the PC's print service (a fault)`, async () => {
      await withServer({ kind }, async ({ spoolerUri }) => {
        const verdict = await checkQueue('document-printer', spoolerUri);
        expect(verdict, 'fault', 'DOCUMENT_PRINTER_SPOOLER_UNREACHABLE');
        assert.match(verdict.nextStep.en, /Restart the PC/);
      });
    });
  }

  test('nothing listening: a printer reached directly is unreachable over the network', async () => {
    const port = await freePort();
    const verdict = await checkQueue('card-printer', `ipp://127.0.0.1:${port}/ipp/print`);
    expect(verdict, 'fault', 'CARD_PRINTER_UNREACHABLE');
    assert.match(verdict.nextStep.en, /network cable/);
  });

  test('nothing listening on a CUPS queue: the print service does not answer', async () => {
    const port = await freePort();
    const verdict = await checkQueue('card-printer', `ipp://127.0.0.1:${port}/printers/Fargo`);
    expect(verdict, 'fault', 'CARD_PRINTER_SPOOLER_UNREACHABLE');
  });
});

describe('ippeveprinter supplies (waste toner tank and black toner)', () => {
  let printer: SimulatedPrinter;
  before(async () => {
    printer = await startSimulatedPrinter({ name: 'Siaga Document Printer' });
  });
  after(async () => {
    await printer?.stop();
  });

  test('the waste toner tank at 5 % with toner at 75 %: OK, not toner low', async () => {
    await printer.setSupplyLevels([5, 75]);
    try {
      expect(await checkQueue('document-printer', printer.uri), 'ok', 'DOCUMENT_PRINTER_OK');
    } finally {
      await printer.reset();
    }
  });

  test('the toner at 5 %: toner low, with its level', async () => {
    await printer.setSupplyLevels([25, 5]);
    try {
      const verdict = await checkQueue('document-printer', printer.uri);
      expect(verdict, 'warning', 'DOCUMENT_PRINTER_TONER_LOW');
      assert.match(verdict.message.en, /\(5% left\)/);
    } finally {
      await printer.reset();
    }
  });
});
