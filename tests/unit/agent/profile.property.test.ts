// The station profile parser on random input: a profile or a ProfileError naming a field, never
// anything else, for arbitrary JSON, mutated valid profiles and random file bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { loadProfile, parseProfile, ProfileError, ProfileSchema } from '../../../electron/agent/profile';
import { SIMULATED_PROFILE } from '../../../electron/agent/simulate';

const RUNS = 10_000;

function outcome(run: () => unknown): 'ok' | 'error' {
  try {
    const profile = run();
    // Whatever is accepted is a complete, valid profile.
    ProfileSchema.parse(profile);
    return 'ok';
  } catch (error) {
    assert.ok(error instanceof ProfileError, `not a ProfileError: ${String(error)}`);
    assert.match(error.message, /field "|cannot read|not valid JSON/);
    return 'error';
  }
}

test('random JSON values: a profile or a ProfileError naming the field', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      outcome(() => parseProfile(value));
    }),
    { numRuns: RUNS },
  );
});

/** A valid profile with one value somewhere replaced by something random. */
const mutatedProfile = fc
  .tuple(fc.nat(), fc.oneof(fc.jsonValue(), fc.string(), fc.integer(), fc.constant(undefined)))
  .map(([pick, replacement]) => {
    const copy = structuredClone(SIMULATED_PROFILE) as unknown as Record<string, unknown>;
    const paths: { parent: Record<string, unknown>; key: string }[] = [];
    const walk = (node: unknown) => {
      if (node && typeof node === 'object') {
        for (const [key, child] of Object.entries(node)) {
          paths.push({ parent: node as Record<string, unknown>, key });
          walk(child);
        }
      }
    };
    walk(copy);
    const target = paths[pick % paths.length]!;
    target.parent[target.key] = replacement;
    return copy;
  });

test('mutated valid profiles: accepted only when still valid, otherwise the error names a field', () => {
  let errors = 0;
  fc.assert(
    fc.property(mutatedProfile, (value) => {
      if (outcome(() => parseProfile(value)) === 'error') {
        errors += 1;
        assert.throws(
          () => parseProfile(value),
          (error: ProfileError) => error.field.length > 0,
        );
      }
    }),
    { numRuns: RUNS },
  );
  assert.ok(errors > RUNS / 4, `only ${errors} mutations were refused: the generator is too tame`);
});

test('random file contents: loadProfile refuses with a clear error, never crashes', (t) => {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'siaga-profile-'));
  t.after(() => rmSync(directory, { recursive: true, force: true }));
  const file = path.join(directory, 'profile.json');
  fc.assert(
    fc.property(
      fc.oneof(
        fc.uint8Array({ maxLength: 200 }),
        fc.string().map((text) => Buffer.from(text)),
      ),
      (bytes) => {
        writeFileSync(file, bytes);
        outcome(() => loadProfile(file));
      },
    ),
    { numRuns: RUNS },
  );
});
