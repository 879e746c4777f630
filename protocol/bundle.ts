// The USB-stick bundle: events carried by hand from a station with no link to its district.
//
// `siaga bundle export FILE` (station) writes one UTF-8 JSON file:
//   { "format": "siaga-bundle", "v": 1, "stationId": "...", "createdAt": "<ISO>",
//     "requests": [ { "method": "POST", "path": "/api/v1/events", "timestampMs": 1700000000000,
//                     "signature": "<base64>", "body": "{\"events\":[...]}" }, ... ] }
// Each entry is a signed request exactly as the station would have POSTed it (signing.ts): `body`
// is the exact body text whose SHA-256 was signed, `timestampMs` and `signature` the header values.
// `siaga-district bundle import FILE` verifies every entry with the same code and the station's
// enrolled key, and stores its events as the events route would, with two differences:
//   - the timestamp window is NOT applied (a bundle may be weeks old), and
//   - a signature may be used again (importing the same bundle twice is harmless: events are
//     deduplicated by id, exactly as for a re-sent batch).
// An entry that fails verification or validation is refused and logged; the others are still
// imported, in the station's seq order whatever their order in the file. Each entry obeys the same limits as a request (MAX_BODY_BYTES, MAX_EVENTS_PER_BATCH).
// Exporting does not remove events from the station's outbox: they are still sent when the link
// returns, and the district stores them once.
import * as z from 'zod';
import { StationIdSchema, IsoTimeSchema } from './events';
import { MAX_BODY_BYTES, PATHS } from './requests';

export const BUNDLE_FORMAT = 'siaga-bundle';
export const BUNDLE_VERSION = 1 as const;

export const BundleRequestSchema = z.strictObject({
  method: z.literal('POST'),
  path: z.literal(PATHS.events),
  timestampMs: z.number().int().min(0),
  /** Standard base64 of the Ed25519 signature over the canonical request. */
  signature: z.string().max(200),
  /** The exact JSON body text that was signed (an EventsRequest). */
  body: z.string().max(MAX_BODY_BYTES),
});
export type BundleRequest = z.infer<typeof BundleRequestSchema>;

export const BundleSchema = z.strictObject({
  format: z.literal(BUNDLE_FORMAT),
  v: z.literal(BUNDLE_VERSION),
  stationId: StationIdSchema,
  createdAt: IsoTimeSchema,
  requests: z.array(BundleRequestSchema),
});
export type Bundle = z.infer<typeof BundleSchema>;
