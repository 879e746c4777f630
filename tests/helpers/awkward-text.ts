// Characters for fast-check string units: uniform code points almost never hit the control and
// edge characters that device descriptors and sysfs files really carry; this mix does.
import fc from 'fast-check';

const CONTROL_AND_EDGE = [
  '\u0000',
  '\u0001',
  '\t',
  '\r',
  '\n',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u00a0',
  ' ',
  '\ufffd',
];

/** One character: a control or edge character, one of `extra`, or any single character. */
export function awkwardCharacter(extra: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...CONTROL_AND_EDGE),
    fc.constantFrom(...extra),
    fc.string({ minLength: 1, maxLength: 1 }),
  );
}
