// Reads a Megatec UPS over a SerialTransport: the Q1 status, and the F rating when the battery
// reading needs it (a total bank voltage is judged against the nominal voltage). The rating of a
// unit does not change, so it is asked once an hour per port at most, and a unit that does not
// answer F costs one short timeout an hour, not one per check.
import {
  MEGATEC_MAX_REPLY_BYTES,
  MEGATEC_Q1_REQUEST,
  MEGATEC_RATING_REQUEST,
  MEGATEC_TERMINATOR,
  parseQ1,
  parseRating,
} from './megatec';
import type { SerialQueryResult, SerialTransport, UpsRating } from './types';

/** The F reply is 22 bytes: at 2400 baud about 100 ms; a unit that answers Q1 answers F at once. */
export const RATING_TIMEOUT_MS = 500;
const RATING_CACHE_MS = 60 * 60 * 1000;

export interface MegatecReading {
  q1: SerialQueryResult;
  rating?: UpsRating;
  /** Why no rating is given, when it was asked and not read. */
  ratingError?: string;
}

const ratingCache = new WeakMap<
  SerialTransport,
  Map<string, { at: number; rating?: UpsRating; error?: string }>
>();

export async function readMegatec(
  transport: SerialTransport,
  options: { path: string; baudRate: number; timeoutMs: number; now?: () => number },
): Promise<MegatecReading> {
  const common = {
    path: options.path,
    baudRate: options.baudRate,
    terminator: MEGATEC_TERMINATOR,
    maxReplyBytes: MEGATEC_MAX_REPLY_BYTES,
  };
  const q1 = await transport.query({ ...common, request: MEGATEC_Q1_REQUEST, timeoutMs: options.timeoutMs });
  if (!q1.ok) {
    return { q1 };
  }
  const parsed = parseQ1(q1.reply);
  // A per-cell reading (under 3 V) is judged without the rating.
  if (!parsed.ok || parsed.status.batteryVoltage < 3) {
    return { q1 };
  }
  const now = (options.now ?? Date.now)();
  let cache = ratingCache.get(transport);
  if (cache === undefined) {
    cache = new Map();
    ratingCache.set(transport, cache);
  }
  const cached = cache.get(options.path);
  if (cached !== undefined && now - cached.at < RATING_CACHE_MS) {
    return { q1, ...(cached.rating ? { rating: cached.rating } : { ratingError: cached.error }) };
  }
  const reply = await transport.query({
    ...common,
    request: MEGATEC_RATING_REQUEST,
    timeoutMs: Math.min(options.timeoutMs, RATING_TIMEOUT_MS),
  });
  if (!reply.ok && reply.reason === 'disconnected') {
    // The UPS answered Q1, then its port went away: it vanished in the middle of the check.
    return {
      q1: {
        ...reply,
        message: `after the status reply: ${reply.message}`,
        elapsedMs: q1.elapsedMs + reply.elapsedMs,
      },
    };
  }
  if (!reply.ok) {
    // Another program taking the port is not a unit without F: ask again next time.
    if (reply.reason !== 'busy') {
      cache.set(options.path, { at: now, error: `${reply.reason}: ${reply.message}` });
    }
    return { q1, ratingError: `${reply.reason}: ${reply.message}` };
  }
  const rating = parseRating(reply.reply);
  const entry = rating.ok ? { at: now, rating: rating.rating } : { at: now, error: rating.error };
  cache.set(options.path, entry);
  return { q1, ...(entry.rating ? { rating: entry.rating } : { ratingError: entry.error }) };
}
