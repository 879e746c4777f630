// Fault lifecycle (electron/agent/faults.ts): debounce, resolution, flapping, recurring.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Role, Status, Verdict } from '../../../protocol/verdict';
import type { FaultPolicy, FaultTransition, TrackedFault } from '../../../electron/agent/faults';
import { DEFAULT_FAULT_POLICY, evaluate, faultKey, openImmediately } from '../../../electron/agent/faults';

function verdict(role: Role, status: Status, code: string, severity: Verdict['severity'] = 'major'): Verdict {
  return {
    role,
    status,
    code,
    severity,
    message: { id: code, en: code },
    nextStep: { id: '-', en: '-' },
    measurements: {},
    checkedAt: new Date(0).toISOString(),
    durationMs: 1,
  };
}

const missing = verdict('fingerprint', 'fault', 'FINGERPRINT_MISSING', 'critical');
const healthy = verdict('fingerprint', 'ok', 'FINGERPRINT_OK');

/** Runs a sequence of checks; returns every transition and the final tracks. */
function run(
  sequence: Verdict[][],
  policy: Partial<FaultPolicy> = {},
  stepMs = 60_000,
  startMs = 1_700_000_000_000,
) {
  const full = { ...DEFAULT_FAULT_POLICY, ...policy };
  let tracks = new Map<string, TrackedFault>();
  const transitions: FaultTransition[] = [];
  let counter = 0;
  sequence.forEach((verdicts, index) => {
    const result = evaluate(tracks, verdicts, startMs + index * stepMs, full, () => `f-${++counter}`);
    tracks = new Map(tracks);
    result.changed.forEach((track) => tracks.set(track.key, track));
    transitions.push(...result.transitions);
  });
  return { transitions, tracks };
}

test('a fault opens only after it persists for debounceCount checks', () => {
  assert.deepEqual(run([[missing]]).transitions, []);
  assert.deepEqual(run([[missing], [healthy], [missing]]).transitions, [], 'a single blip never opens');
  const opened = run([[missing], [missing]]).transitions;
  assert.equal(opened.length, 1);
  assert.equal(opened[0]!.type, 'fault.opened');
  assert.equal(opened[0]!.payload.code, 'FINGERPRINT_MISSING');
  assert.equal(opened[0]!.payload.severity, 'critical');
  assert.equal(opened[0]!.payload.occurrences, 2);
  assert.equal(opened[0]!.payload.firstSeen, new Date(1_700_000_000_000).toISOString());
});

test('debounce by duration: failures must span debounceMs', () => {
  const policy = { debounceCount: 1, debounceMs: 5 * 60_000 };
  assert.equal(run([[missing], [missing], [missing], [missing], [missing]], policy).transitions.length, 0);
  assert.equal(
    run([[missing], [missing], [missing], [missing], [missing], [missing]], policy).transitions[0]?.type,
    'fault.opened',
  );
});

test('an open fault resolves after passesToResolve consecutive passes, not before', () => {
  const two = run([[missing], [missing], [healthy], [healthy]]).transitions.map(
    (transition) => transition.type,
  );
  assert.deepEqual(two, ['fault.opened']);
  const interrupted = run([
    [missing],
    [missing],
    [healthy],
    [healthy],
    [missing],
    [healthy],
    [healthy],
  ]).transitions;
  assert.deepEqual(
    interrupted.map((transition) => transition.type),
    ['fault.opened'],
    'a failure restarts the pass count',
  );
  const resolved = run([[missing], [missing], [healthy], [healthy], [healthy]]).transitions;
  assert.deepEqual(
    resolved.map((transition) => transition.type),
    ['fault.opened', 'fault.resolved'],
  );
  assert.equal(resolved[1]!.payload.status, 'ok');
  assert.equal(resolved[1]!.payload.faultId, resolved[0]!.payload.faultId);
});

test('unknown verdicts and unchecked roles are neither failures nor passes', () => {
  const unknown = verdict('fingerprint', 'unknown', 'FINGERPRINT_CHECK_ERROR');
  const other = verdict('camera', 'ok', 'CAMERA_OK');
  const { transitions } = run([[missing], [missing], [unknown], [other], [unknown], [other], [unknown]]);
  assert.deepEqual(
    transitions.map((transition) => transition.type),
    ['fault.opened'],
  );
  const pending = run([[missing], [unknown], [missing]]).transitions;
  assert.equal(pending[0]?.type, 'fault.opened', 'unknown does not reset the debounce');
  const inUse = run([
    [missing],
    [missing],
    [verdict('fingerprint', 'in-use', 'FINGERPRINT_IN_USE')],
    [healthy],
    [healthy],
  ]).transitions;
  assert.deepEqual(
    inUse.map((transition) => transition.type),
    ['fault.opened', 'fault.resolved'],
    'in-use counts as a pass',
  );
});

test('a warning opens a fault too; a severity change is one update, repeats are not', () => {
  const low = verdict('card-printer', 'warning', 'CARD_PRINTER_RIBBON_LOW', 'minor');
  const lowWorse = verdict('card-printer', 'fault', 'CARD_PRINTER_RIBBON_LOW', 'major');
  const { transitions } = run([[low], [low], [low], [low], [lowWorse], [lowWorse]]);
  assert.deepEqual(
    transitions.map((transition) => transition.type),
    ['fault.opened', 'fault.updated'],
  );
  assert.equal(transitions[0]!.payload.status, 'warning');
  assert.equal(transitions[1]!.payload.severity, 'major');
  assert.equal(transitions[1]!.payload.occurrences, 5);
});

test('the fault key includes the device: two faulty units are two faults', () => {
  const first = { ...missing, device: { key: 'usb:080b:0010:A' } };
  const second = { ...missing, device: { key: 'usb:080b:0010:B' } };
  const { transitions } = run([
    [first, second],
    [first, second],
  ]);
  assert.equal(transitions.length, 2);
  assert.notEqual(transitions[0]!.payload.faultId, transitions[1]!.payload.faultId);
  assert.notEqual(faultKey('fingerprint', 'X', 'a'), faultKey('fingerprint', 'X', 'b'));
});

test('a fault reopening within the recurring window is recurring; after it, it is not', () => {
  const cycle = [[missing], [missing], [healthy], [healthy], [healthy]];
  const soon = run([...cycle, ...cycle], {}, 60 * 60_000).transitions;
  assert.deepEqual(
    soon.map((transition) => transition.type),
    ['fault.opened', 'fault.resolved', 'fault.opened', 'fault.resolved'],
  );
  assert.equal(soon[0]!.payload.recurring, false);
  assert.equal(soon[2]!.payload.recurring, true, 'the repair held two hours');
  assert.notEqual(soon[2]!.payload.faultId, soon[0]!.payload.faultId);
  const later = run(
    [...cycle, ...Array.from({ length: 9 }, () => [healthy]), ...cycle],
    {},
    24 * 60 * 60_000,
  ).transitions;
  assert.equal(later[2]!.payload.recurring, false, '14 days later is a new fault, not a recurring one');
});

test('a toggling device gives one flapping fault, not a storm', () => {
  const sequence = Array.from({ length: 200 }, (_, index) =>
    Math.floor(index / 3) % 2 === 0 ? [missing] : [healthy],
  );
  const { transitions, tracks } = run(
    sequence,
    { passesToResolve: 3, flapWindowMs: 60 * 60_000, flapToggles: 4, flapQuietMs: 30 * 60_000 },
    60_000,
  );
  const opened = transitions.filter((transition) => transition.type === 'fault.opened');
  assert.ok(opened.length <= 3, `at most a few openings, got ${opened.length}`);
  assert.ok(transitions.length <= 8, `a storm of ${transitions.length} transitions`);
  const flagged = transitions.find((transition) => transition.payload.flapping);
  assert.ok(flagged, 'marked flapping');
  const track = [...tracks.values()][0]!;
  assert.equal(track.phase, 'open');
  assert.equal(track.fault!.flapping, true);
  // Once quiet for flapQuietMs the flapping fault resolves once.
  const quiet = run(
    [...sequence, ...Array.from({ length: 40 }, () => [healthy])],
    { flapQuietMs: 30 * 60_000 },
    60_000,
  ).transitions;
  assert.equal(quiet.at(-1)!.type, 'fault.resolved');
  assert.equal(quiet.at(-1)!.payload.flapping, true);
});

test('openImmediately skips the debounce and is idempotent while open', () => {
  const corrupt = verdict('pc', 'fault', 'PC_DATABASE_CORRUPT') as Verdict & { role: Role };
  const first = openImmediately(new Map(), corrupt, 1000, DEFAULT_FAULT_POLICY, 'f-x');
  assert.equal(first.transitions[0]!.type, 'fault.opened');
  const tracks = new Map(first.changed.map((track) => [track.key, track]));
  assert.equal(openImmediately(tracks, corrupt, 2000, DEFAULT_FAULT_POLICY, 'f-y').transitions.length, 0);
});

test('property: transitions per key alternate opened -> (updated)* -> resolved, and never outnumber checks', () => {
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom<Status>('ok', 'fault', 'warning', 'unknown', 'in-use'), { maxLength: 60 }),
      fc.integer({ min: 1, max: 4 }),
      (statuses, passes) => {
        const sequence = statuses.map((status) => [
          verdict('ups', status, status === 'ok' || status === 'in-use' ? 'UPS_OK' : 'UPS_ON_BATTERY'),
        ]);
        const { transitions } = run(sequence, { passesToResolve: passes, flapToggles: 6 });
        let open = false;
        for (const transition of transitions) {
          if (transition.type === 'fault.opened') {
            assert.equal(open, false);
            open = true;
          } else {
            assert.equal(open, true);
            open = transition.type !== 'fault.resolved';
          }
          assert.ok(transition.payload.occurrences >= 1);
        }
        assert.ok(transitions.length <= statuses.length);
      },
    ),
    { numRuns: 10_000 },
  );
});
