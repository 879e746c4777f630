// parseQ1 against random and near-valid input: it never throws, it says ok or why not, and
// whatever formatQ1 writes reads back unchanged.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatQ1, parseQ1, UPS_SIMULATION_STATUSES } from '../../../native/serial/megatec';
import type { UpsQ1Status } from '../../../native/serial/types';

const RUNS = 10_000;

function assertWellFormedResult(result: ReturnType<typeof parseQ1>) {
  if (result.ok) {
    for (const value of Object.values(result.status)) {
      if (typeof value === 'number') {
        assert.ok(Number.isFinite(value) && value >= 0, `bad value ${value}`);
      } else {
        assert.equal(typeof value, 'boolean');
      }
    }
  } else {
    assert.equal(typeof result.error, 'string');
    assert.ok(result.error.length > 0);
  }
}

// Values on each field's grid, so formatting loses nothing.
const tenths = (max: number) => fc.integer({ min: 0, max: max * 10 }).map((value) => value / 10);
const statusArbitrary: fc.Arbitrary<UpsQ1Status> = fc.record({
  inputVoltage: tenths(999),
  inputFaultVoltage: tenths(999),
  outputVoltage: tenths(999),
  loadPercent: fc.integer({ min: 0, max: 999 }),
  frequencyHz: tenths(99),
  batteryVoltage: fc.integer({ min: 0, max: 9999 }).map((value) => value / 100),
  temperatureC: tenths(99),
  utilityFail: fc.boolean(),
  batteryLow: fc.boolean(),
  bypassOrBoost: fc.boolean(),
  upsFailed: fc.boolean(),
  standbyType: fc.boolean(),
  testInProgress: fc.boolean(),
  shutdownActive: fc.boolean(),
  beeperOn: fc.boolean(),
});

test('random bytes never throw and give ok or a clear error', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 96 }), (bytes) => {
      assertWellFormedResult(parseQ1(Buffer.from(bytes)));
    }),
    { numRuns: RUNS },
  );
});

test('random strings from the Q1 alphabet never throw', () => {
  const q1Character = fc.constantFrom(...'(0123456789. \r01-eE+x'.split(''));
  fc.assert(
    fc.property(fc.array(q1Character, { maxLength: 60 }), (characters) => {
      assertWellFormedResult(parseQ1(characters.join('')));
    }),
    { numRuns: RUNS },
  );
});

test('formatQ1 lines round-trip through parseQ1', () => {
  fc.assert(
    fc.property(statusArbitrary, (status) => {
      const line = formatQ1(status);
      assert.match(line, /^\(.*\r$/);
      const parsed = parseQ1(line);
      assert.ok(parsed.ok, parsed.ok ? '' : `${parsed.error} for ${JSON.stringify(line)}`);
      assert.deepEqual(parsed.status, { ...status });
      assert.deepEqual(parseQ1(Buffer.from(line, 'ascii')), parsed);
    }),
    { numRuns: RUNS },
  );
});

type Perturbation =
  | { kind: 'delete'; at: number }
  | { kind: 'insert'; at: number; character: string }
  | { kind: 'replace'; at: number; character: string }
  | { kind: 'truncate'; at: number };

const perturbationArbitrary: fc.Arbitrary<Perturbation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(60) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(60),
    character: fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }),
  }),
  fc.record({
    kind: fc.constant('replace' as const),
    at: fc.nat(60),
    character: fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(60) }),
);

function perturb(line: string, perturbation: Perturbation): string {
  const at = perturbation.at % (line.length + 1);
  switch (perturbation.kind) {
    case 'delete':
      return line.slice(0, at) + line.slice(at + 1);
    case 'insert':
      return line.slice(0, at) + perturbation.character + line.slice(at);
    case 'replace':
      return line.slice(0, at) + perturbation.character + line.slice(at + 1);
    case 'truncate':
      return line.slice(0, at);
  }
}

test('near-valid lines never throw; a damaged status-bit field is always rejected', () => {
  fc.assert(
    fc.property(
      statusArbitrary,
      fc.array(perturbationArbitrary, { minLength: 1, maxLength: 3 }),
      (status, perturbations) => {
        const line = perturbations.reduce(perturb, formatQ1(status));
        const result = parseQ1(line);
        assertWellFormedResult(result);
        const bits = line.replace(/\r$/, '').split(' ').at(-1) ?? '';
        if (result.ok) {
          assert.match(bits, /^[01]{8}$/);
        }
      },
    ),
    { numRuns: RUNS },
  );
});

test('numeric fields of other widths are accepted; wrong field counts, NaN and non-binary bits are not', () => {
  assert.deepEqual(parseQ1('(230.00 230.00 229.0 18 50.00 27.40 25 00001000\r'), {
    ok: true,
    status: {
      ...UPS_SIMULATION_STATUSES.healthy,
      inputVoltage: 230,
      inputFaultVoltage: 230,
      outputVoltage: 229,
      loadPercent: 18,
      frequencyHz: 50,
      batteryVoltage: 27.4,
      temperatureC: 25,
      standbyType: true,
    },
  });
  assert.ok(
    parseQ1('(230.0 230.0 229.0 018 50.0 2.27 25.0 00001000').ok,
    'a CR-less line is still one reply',
  );
  for (const bad of [
    '',
    '\r',
    '(230.0 230.0 229.0 018 50.0 2.27 00001000\r',
    '(230.0 230.0 229.0 018 50.0 2.27 25.0 25.0 00001000\r',
    '(NaN 230.0 229.0 018 50.0 2.27 25.0 00001000\r',
    '(230.0 230.0 229.0 018 50.0 2.27 --.- 00001000\r',
    '(230.0 230.0 229.0 018 50.0 2.27 25.0 00001200\r',
    '(230.0 230.0 229.0 018 50.0 2.27 25.0 0000100\r',
    '(2e2 230.0 229.0 018 50.0 2.27 25.0 00001000\r',
    '230.0 230.0 229.0 018 50.0 2.27 25.0 00001000\r',
    '(230.0  230.0 229.0 018 50.0 2.27 25.0 00001000\r',
    '(230.0 230.0 229.0 018 50.0 2.27 25.0 00001000\r\r',
  ]) {
    const result = parseQ1(bad);
    assert.equal(result.ok, false, `accepted ${JSON.stringify(bad)}`);
  }
});
