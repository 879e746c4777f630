// Text and count fields on the wire: the same limits for SQLite and PostgreSQL (see events.ts).
import * as z from 'zod';

/** UTC ISO-8601 time as `Date.prototype.toISOString()` writes it. */
export const IsoTimeSchema = z.iso.datetime();

/** Whether `value` holds a C0 control character other than tab, line feed and carriage return. */
export function hasForbiddenControl(value: string): boolean {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) {
      return true;
    }
  }
  return false;
}

/** A text field on the wire: at most `maxLength` UTF-16 units, no control characters but \t \n \r. */
export function wireText(maxLength: number): z.ZodString {
  return z
    .string()
    .max(maxLength)
    .refine((value) => !hasForbiddenControl(value), {
      message: 'control characters (U+0000-U+001F other than tab, newline, carriage return) are not allowed',
    });
}

/**
 * The largest count on the wire (occurrences, queue depth, blank cards): 2^31 - 1 fits PostgreSQL's
 * INTEGER as well as SQLite's, so both databases take or refuse the same events (a larger count
 * gave a 500 on PostgreSQL only). No real station comes near it.
 */
export const MAX_WIRE_COUNT = 2 ** 31 - 1;

/** A count on the wire: an integer from 0 (or `min`) to MAX_WIRE_COUNT. */
export function wireCount(min = 0): z.ZodNumber {
  return z.number().int().min(min).max(MAX_WIRE_COUNT);
}

/** Longest operator text (each language of a message, a repair note). */
export const MAX_MESSAGE_LENGTH = 2000;

/** An operator text on the wire, Bahasa Indonesia and English. */
export const WireTextSchema = z.object({
  id: wireText(MAX_MESSAGE_LENGTH),
  en: wireText(MAX_MESSAGE_LENGTH),
});
