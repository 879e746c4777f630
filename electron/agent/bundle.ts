// USB-stick export (protocol/bundle.ts): every queued event, as signed requests exactly as the
// outbox would POST them. Exporting removes nothing: the events are still sent when the link
// returns, and the district stores each once.
import { BUNDLE_FORMAT, BUNDLE_VERSION } from '../../protocol/bundle';
import type { Bundle, BundleRequest } from '../../protocol/bundle';
import { MAX_EVENTS_PER_BATCH, PATHS } from '../../protocol/requests';
import type { Identity } from './identity';
import { signRequest } from './identity';
import { buildBody } from './outbox';
import type { Store } from './store/store';
import { writeFileAtomic } from './store/store';

export interface ExportResult {
  events: number;
  requests: number;
  bytes: number;
}

/** Builds the bundle of all queued events; `timestampMs` is the (district-corrected) signing time. */
export function buildBundle(
  store: Store,
  identity: Identity,
  timestampMs: number,
): { bundle: Bundle; events: number } {
  const requests: BundleRequest[] = [];
  let events = 0;
  let afterSeq = 0;
  for (;;) {
    const batch = store.pendingAfter(afterSeq, MAX_EVENTS_PER_BATCH);
    if (batch.length === 0) {
      break;
    }
    const { body, included } = buildBody(batch, identity.stationId);
    const timestamp = Math.round(timestampMs) + requests.length;
    requests.push({
      method: 'POST',
      path: PATHS.events,
      timestampMs: timestamp,
      signature: signRequest(identity.privateKey, 'POST', PATHS.events, timestamp, body),
      body,
    });
    events += included.length;
    afterSeq = included[included.length - 1]!.seq;
  }
  return {
    bundle: {
      format: BUNDLE_FORMAT,
      v: BUNDLE_VERSION,
      stationId: identity.stationId,
      createdAt: new Date(timestampMs).toISOString(),
      requests,
    },
    events,
  };
}

export function exportBundle(
  store: Store,
  identity: Identity,
  file: string,
  timestampMs: number,
): ExportResult {
  const { bundle, events } = buildBundle(store, identity, timestampMs);
  const text = `${JSON.stringify(bundle)}\n`;
  writeFileAtomic(file, text);
  return { events, requests: bundle.requests.length, bytes: Buffer.byteLength(text) };
}
