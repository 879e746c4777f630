// Browser side of the kiosk test server: window.siaga implemented over fetch + server-sent events,
// the same role the preload plays over IPC.
import { createIpcClient } from '../../../electron/station-api-client';
import type { StationEvent } from '../../../electron/station-api';

const listeners = new Set<(event: StationEvent) => void>();
const source = new EventSource('/api/events');
source.onmessage = (message) => {
  const event = JSON.parse(message.data as string) as StationEvent;
  for (const listener of listeners) {
    listener(event);
  }
};

(window as unknown as { siaga: unknown }).siaga = createIpcClient(
  async (channel, ...args) => {
    const response = await fetch(`/api/${channel}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(args),
    });
    const body = (await response.json()) as { ok: boolean; value?: unknown; error?: string };
    if (!body.ok) {
      throw new Error(body.error);
    }
    return body.value;
  },
  (listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
);
