// Ids and secrets the district makes: time-ordered ids (the protocol's ULIDs) with node:crypto randomness.
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { CROCKFORD_ALPHABET, monotonicEventIds } from '../../../protocol/events';

const nextId = monotonicEventIds(() => randomInt(2 ** 32) / 2 ** 32);

/** A new ULID (time-ordered, unique within this process even within one millisecond). */
export function newId(nowMs: number = Date.now()): string {
  return nextId(nowMs);
}

/** A station id as the district assigns it at `station add`: `st-` and a ULID in lower case. */
export function newStationId(nowMs: number = Date.now()): string {
  return `st-${newId(nowMs).toLowerCase()}`;
}

/** A one-time enrollment code: 16 Crockford base32 characters (80 random bits) in groups of four. */
export function newEnrollmentCode(): string {
  const bytes = randomBytes(16);
  const characters = Array.from(bytes, (byte) => CROCKFORD_ALPHABET[byte % 32]).join('');
  return characters.match(/.{4}/g)!.join('-');
}

/** What a person may type for a code: any case, with or without dashes or spaces, I/L for 1 and O for 0. */
export function normalizeEnrollmentCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
}

/** Codes are stored only as this hash, so a copy of the database cannot enroll a station. */
export function hashEnrollmentCode(code: string): string {
  return createHash('sha256').update(normalizeEnrollmentCode(code)).digest('hex');
}
