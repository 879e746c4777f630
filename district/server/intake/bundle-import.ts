// `siaga-district bundle import FILE`: events a station carried on a USB stick (protocol/bundle.ts).
import { BundleSchema } from '../../../protocol/bundle';
import type { EventsRequest } from '../../../protocol/requests';
import { MAX_BODY_BYTES } from '../../../protocol/requests';
import { signatureHeaders } from '../../../protocol/signing';
import type { Db } from '../db/types';
import { parseEventsBody, storeEvents, verifySignedRequest } from './intake';
import { Refusal } from './refusal';
import type { RejectionLog } from './rejections';

export interface BundleImportResult {
  stationId: string;
  requests: number;
  accepted: number;
  duplicates: number;
  refused: { index: number; error: string; message: string }[];
}

/**
 * Verifies each signed request of the bundle with the station's key (no timestamp window, no
 * replay refusal), then stores the events of the verified ones once each, in seq order. A refused
 * entry is logged and skipped.
 * Throws a Refusal when the file itself is not a bundle.
 */
export async function importBundle(
  db: Db,
  fileText: string,
  options: { nowMs?: number; rejections?: RejectionLog; source?: string } = {},
): Promise<BundleImportResult> {
  const nowMs = options.nowMs ?? Date.now();
  let json: unknown;
  try {
    json = JSON.parse(fileText);
  } catch (error) {
    throw new Refusal('malformed', `not a bundle (not JSON): ${(error as Error).message}`);
  }
  const parsed = BundleSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Refusal('invalid-schema', `not a siaga-bundle v1: ${issue.path.join('.')}: ${issue.message}`);
  }
  const bundle = parsed.data;
  const result: BundleImportResult = {
    stationId: bundle.stationId,
    requests: bundle.requests.length,
    accepted: 0,
    duplicates: 0,
    refused: [],
  };
  const refuse = (index: number, error: Refusal): void => {
    result.refused.push({ index, error: error.error, message: error.message });
    options.rejections?.record({
      atMs: nowMs,
      ip: null,
      method: 'BUNDLE',
      path: `${options.source ?? 'bundle'}#${index}`,
      stationId: bundle.stationId,
      status: error.status,
      reason: error.error,
      detail: error.message,
    });
  };
  const verified: { index: number; stationId: string; batch: EventsRequest }[] = [];
  for (const [index, request] of bundle.requests.entries()) {
    try {
      if (Buffer.byteLength(request.body, 'utf8') > MAX_BODY_BYTES) {
        throw new Refusal('too-large', `entry body exceeds ${MAX_BODY_BYTES} bytes`, bundle.stationId);
      }
      const station = await verifySignedRequest(
        db,
        {
          method: request.method,
          path: request.path,
          headers: signatureHeaders(bundle.stationId, request.timestampMs, request.signature),
          body: request.body,
        },
        { nowMs, checkWindow: false },
      );
      verified.push({ index, stationId: station.id, batch: parseEventsBody(request.body, station.id) });
    } catch (error) {
      if (!(error instanceof Refusal)) {
        throw error;
      }
      refuse(index, error);
    }
  }
  // Stored in the station's seq order, whatever the order in the file: entries reordered on the
  // stick would otherwise be refused as going backwards, and the station's own re-sends with them.
  const lowestSeq = (batch: EventsRequest) => Math.min(...batch.events.map((event) => event.seq));
  verified.sort((left, right) => lowestSeq(left.batch) - lowestSeq(right.batch));
  for (const { index, stationId, batch } of verified) {
    try {
      const stored = await storeEvents(db, stationId, batch.events, { nowMs, source: 'bundle' });
      result.accepted += stored.accepted.length;
      result.duplicates += stored.duplicates.length;
    } catch (error) {
      if (!(error instanceof Refusal)) {
        throw error;
      }
      refuse(index, error);
    }
  }
  result.refused.sort((left, right) => left.index - right.index);
  await options.rejections?.flush();
  return result;
}
