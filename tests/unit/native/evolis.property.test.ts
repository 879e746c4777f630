// Evolis reply parsers against random and near-valid input, and the simulator's generator
// round-tripping through them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  answerEvolisCommand,
  EVOLIS_RIBBON_COUNT_COMMAND,
  EVOLIS_SIMULATION_WORDS,
  EVOLIS_STATUS_COMMAND,
  EVOLIS_STATUS_REQUEST,
  frameEvolisCommand,
  parseEvolisRibbonCount,
  parseEvolisStatus,
  type EvolisState,
} from '../../../native/serial/evolis';

const RUNS = 10_000;
const states = Object.keys(EVOLIS_SIMULATION_WORDS) as EvolisState[];

function assertWellFormed(result: ReturnType<typeof parseEvolisStatus>) {
  if (result.ok) {
    assert.ok(states.includes(result.status.state), `unknown state ${result.status.state}`);
    assert.match(result.status.code, /^[A-Z0-9]+(_[A-Z0-9]+)*$/);
  } else {
    assert.ok(typeof result.error === 'string' && result.error.length > 0);
  }
}

test('random bytes never throw and give a known state or a clear error', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 96 }), (bytes) => {
      const buffer = Buffer.from(bytes);
      assertWellFormed(parseEvolisStatus(buffer));
      const ribbon = parseEvolisRibbonCount(buffer);
      if (ribbon.ok) {
        assert.ok(Number.isInteger(ribbon.remaining) && ribbon.remaining >= 0);
      } else {
        assert.ok(ribbon.error.length > 0);
      }
    }),
    { numRuns: RUNS },
  );
});

test('near-valid words (case, spaces, random letters, damage) never throw', () => {
  const wordCharacter = fc.constantFrom(...'ABCDEFINRUWOKLTP_ 0123456789\r\n\x1b;'.split(''));
  const nearValid = fc.oneof(
    fc.array(wordCharacter, { maxLength: 40 }).map((characters) => characters.join('')),
    fc
      .tuple(
        fc.constantFrom(...Object.values(EVOLIS_SIMULATION_WORDS)),
        fc.nat(30),
        fc.string({ maxLength: 2 }),
      )
      .map(([word, at, insert]) => word.slice(0, at) + insert + word.slice(at + 1)),
  );
  fc.assert(
    fc.property(nearValid, (text) => {
      assertWellFormed(parseEvolisStatus(text));
      assertWellFormed(parseEvolisStatus(`${text}\r`));
    }),
    { numRuns: RUNS },
  );
});

test('simulated printers round-trip: generated replies parse to the simulated state and ribbon count', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...states),
      fc.option(fc.integer({ min: 0, max: 999_999 }), { nil: undefined }),
      fc.boolean(),
      (state, ribbonRemaining, spaced) => {
        const word = EVOLIS_SIMULATION_WORDS[state];
        const printer = {
          statusWord: spaced ? word.replace(/_/g, ' ').toLowerCase() : word,
          ribbonRemaining,
        };
        const status = parseEvolisStatus(answerEvolisCommand(printer, EVOLIS_STATUS_COMMAND));
        assert.ok(status.ok, status.ok ? '' : status.error);
        assert.equal(status.status.state, state);
        assert.equal(status.status.code, word);
        const ribbon = parseEvolisRibbonCount(answerEvolisCommand(printer, EVOLIS_RIBBON_COUNT_COMMAND));
        assert.ok(ribbon.ok);
        assert.equal(ribbon.remaining, ribbonRemaining ?? 0);
      },
    ),
    { numRuns: RUNS },
  );
});

test('frames and fixed words', () => {
  assert.deepEqual([...EVOLIS_STATUS_REQUEST], [0x1b, 0x52, 0x73, 0x74, 0x0d]);
  assert.equal(frameEvolisCommand('Rrt;count').toString('latin1'), '\x1bRrt;count\r');
  const expectations: [string, EvolisState][] = [
    ['OK\r', 'ready'],
    ['ERR RIB DETECTION\r', 'ribbon-out'],
    ['DEF_NO_RIBBON\r', 'ribbon-out'],
    ['ERR_FEEDER_EMPTY\r', 'card-out'],
    ['ERR_COVER_OPEN\r', 'cover-open'],
    ['ERR_CARD_JAM\r', 'jam'],
    ['ERR_SOMETHING_NEW\r', 'error'],
    ['INF_FEEDER_NEAR_EMPTY\r', 'ready'],
  ];
  for (const [reply, state] of expectations) {
    const parsed = parseEvolisStatus(reply);
    assert.ok(
      parsed.ok && parsed.status.state === state,
      `${JSON.stringify(reply)} -> ${JSON.stringify(parsed)}`,
    );
  }
  for (const bad of ['', '\r', 'HELLO', '5,00 Volts', 'ERR__X', '\x00\x01', 'A'.repeat(65)]) {
    assert.equal(parseEvolisStatus(bad).ok, false, `accepted ${JSON.stringify(bad)}`);
  }
  assert.equal(answerEvolisCommand({ statusWord: 'PRINTER_READY' }, 'Xyz'), 'ERR CDE\r');
  assert.equal(parseEvolisRibbonCount('-3\r').ok, false);
});
