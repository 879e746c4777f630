// Request signing between an enrolled station and its district (scheme SIAGA1).
//
// The station holds an Ed25519 key pair made at enrollment; the district stores the public key
// (POST /api/v1/enroll). Every later request carries three headers:
//   x-siaga-station    the station id the district assigned at enrollment
//   x-siaga-timestamp  the station's clock when signing, integer ms since the Unix epoch (decimal)
//   x-siaga-signature  standard base64 (with padding) of the 64-byte Ed25519 signature
// The signature covers the UTF-8 bytes of the canonical request:
//   "SIAGA1\n" + METHOD + "\n" + PATH + "\n" + TIMESTAMP + "\n" + BODY_SHA256_HEX
// METHOD is upper case; PATH is the request target exactly as sent on the request line (path plus
// query string, if any, e.g. `/api/v1/events`); TIMESTAMP is the header's value; BODY_SHA256_HEX is
// the lower-case hex SHA-256 of the exact body bytes sent (of zero bytes for a bodyless request).
// In Node: `crypto.sign(null, Buffer.from(canonical, 'utf8'), privateKey)` and
// `crypto.verify(null, data, publicKey, signature)`.
//
// The district refuses (and logs) a request when:
//   - a header is missing or malformed                         401 {error:'unsigned'}
//   - the station is unknown or not enrolled                   401 {error:'unknown-station'}
//   - |timestamp - server time| > TIMESTAMP_WINDOW_MS          401 {error:'stale-timestamp'}
//   - the signature does not verify with the station's key     401 {error:'bad-signature'}
//   - the same signature was already used (replay)             409 {error:'replayed'}
// Every reply, refusals included, carries `serverTime` (ms). A station whose clock drifts keeps
// `offset = serverTime - localNow`, signs later requests with `localNow + offset`, and re-signs
// and re-sends a refused batch: a wrong clock delays reports, it never loses them.
// A signature is good for one use: a retry must be signed again (new timestamp), never replayed
// byte for byte. Re-sending the same events is safe; the district deduplicates them by event id.

/** First line of the canonical request; names this scheme and its version. */
export const SIGNATURE_SCHEME = 'SIAGA1';
export const HEADER_STATION = 'x-siaga-station';
export const HEADER_TIMESTAMP = 'x-siaga-timestamp';
export const HEADER_SIGNATURE = 'x-siaga-signature';
/** How far a request's timestamp may differ from the district's clock, either way. */
export const TIMESTAMP_WINDOW_MS = 5 * 60 * 1000;
/** SHA-256 of zero bytes, the body hash of a request without a body. */
export const EMPTY_BODY_SHA256_HEX = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** The string a station signs (UTF-8) for one request. */
export function canonicalRequest(
  method: string,
  path: string,
  timestampMs: number,
  bodySha256Hex: string,
): string {
  return `${SIGNATURE_SCHEME}\n${method.toUpperCase()}\n${path}\n${timestampMs}\n${bodySha256Hex.toLowerCase()}`;
}

/** The three headers for a signed request, given the signature's base64. */
export function signatureHeaders(
  stationId: string,
  timestampMs: number,
  signatureBase64: string,
): Record<string, string> {
  return {
    [HEADER_STATION]: stationId,
    [HEADER_TIMESTAMP]: String(timestampMs),
    [HEADER_SIGNATURE]: signatureBase64,
  };
}

export interface SignatureHeaderValues {
  stationId: string;
  timestampMs: number;
  signatureBase64: string;
}

export type ParsedSignatureHeaders =
  { ok: true; value: SignatureHeaderValues } | { ok: false; reason: string };

const STATION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const TIMESTAMP_PATTERN = /^\d{1,15}$/;
/** 64 bytes in standard base64: 86 characters and `==`. */
const SIGNATURE_PATTERN = /^[A-Za-z0-9+/]{86}==$/;

/** Reads and validates the signature headers (names lower case, as Node delivers them). */
export function parseSignatureHeaders(
  headers: Record<string, string | string[] | undefined>,
): ParsedSignatureHeaders {
  const station = headers[HEADER_STATION];
  const timestamp = headers[HEADER_TIMESTAMP];
  const signature = headers[HEADER_SIGNATURE];
  if (station === undefined || timestamp === undefined || signature === undefined) {
    return { ok: false, reason: 'missing signature headers' };
  }
  if (typeof station !== 'string' || typeof timestamp !== 'string' || typeof signature !== 'string') {
    return { ok: false, reason: 'repeated signature headers' };
  }
  if (!STATION_PATTERN.test(station)) {
    return { ok: false, reason: `malformed ${HEADER_STATION}` };
  }
  if (!TIMESTAMP_PATTERN.test(timestamp)) {
    return { ok: false, reason: `malformed ${HEADER_TIMESTAMP} (integer ms since the epoch)` };
  }
  if (!SIGNATURE_PATTERN.test(signature)) {
    return { ok: false, reason: `malformed ${HEADER_SIGNATURE} (base64 of 64 bytes)` };
  }
  return {
    ok: true,
    value: { stationId: station, timestampMs: Number(timestamp), signatureBase64: signature },
  };
}

/** Whether a request signed at `timestampMs` is fresh at district time `nowMs`. */
export function isWithinWindow(
  timestampMs: number,
  nowMs: number,
  windowMs: number = TIMESTAMP_WINDOW_MS,
): boolean {
  return Math.abs(timestampMs - nowMs) <= windowMs;
}

// ---------------------------------------------------------------------------------------------
// Replies signed by the district (scheme SIAGA1-REPLY)
//
// The district has its own Ed25519 key; its public key comes in the enrollment reply and the
// station pins it in identity.json. A station sends a fresh random nonce with every request
// (`x-siaga-nonce`, 16 to 128 characters of base64url); the district answers every request that
// carries one, refusals included, with
//   x-siaga-reply-signature  standard base64 of the Ed25519 signature over the UTF-8 bytes of
//   "SIAGA1-REPLY\n" + NONCE + "\n" + STATUS + "\n" + BODY_SHA256_HEX
// STATUS is the HTTP status code (decimal), BODY_SHA256_HEX the lower-case hex SHA-256 of the exact
// body bytes of the reply. The nonce binds a reply to one request: a recorded reply is useless for
// any other. A station acts on a reply (deletes acknowledged events, adopts serverTime, shows fault
// states, runs commands, parks a refused event) only when its signature verifies with the pinned
// key; anything else is logged and treated as no answer at all.

export const REPLY_SIGNATURE_SCHEME = 'SIAGA1-REPLY';
export const HEADER_NONCE = 'x-siaga-nonce';
export const HEADER_REPLY_SIGNATURE = 'x-siaga-reply-signature';
const NONCE_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

/** Whether a header value is a usable request nonce. */
export function isNonce(value: unknown): value is string {
  return typeof value === 'string' && NONCE_PATTERN.test(value);
}

/** The string the district signs (UTF-8) for its reply to the request that carried `nonce`. */
export function canonicalReply(nonce: string, status: number, bodySha256Hex: string): string {
  return `${REPLY_SIGNATURE_SCHEME}\n${nonce}\n${status}\n${bodySha256Hex.toLowerCase()}`;
}

/** Whether a reply signature header has the shape of one (base64 of 64 bytes). */
export function isSignatureBase64(value: unknown): value is string {
  return typeof value === 'string' && SIGNATURE_PATTERN.test(value);
}
