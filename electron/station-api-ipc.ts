// StationApi across a process boundary, derived from the contract's one table (STATION_CALLS in
// station-api.ts): one channel per call and the dispatch main.ts (IPC) and the test server (HTTP)
// run, which validates every argument before it reaches the agent. The client the preload and the
// test shim build lives in station-api-client.ts (no zod) and is re-exported here. Pure: no Node,
// no Electron.
import type { StationApi } from './station-api';
import { STATION_CALLS } from './station-api';
import type { CallName, IpcChannel } from './station-api-client';
import { CALL_NAMES, ipcChannel, locateCall } from './station-api-client';

export type { IpcChannel } from './station-api-client';
export { createIpcClient, EVENT_CHANNEL, ipcChannel } from './station-api-client';

export const IPC_CHANNELS: readonly IpcChannel[] = CALL_NAMES.map(ipcChannel);
/** A Map, not an object: 'constructor' or '__proto__' must not name a call. */
const CALL_OF_CHANNEL = new Map<string, CallName>(CALL_NAMES.map((name) => [ipcChannel(name), name]));

function callOfChannel(channel: string): CallName {
  const name = CALL_OF_CHANNEL.get(channel);
  if (name === undefined) {
    throw new Error(`unknown channel ${channel}`);
  }
  return name;
}

/** Validates the arguments of one channel; throws for an unknown channel or a ZodError naming the bad argument. */
export function parseIpcArguments(channel: string, args: unknown[]): unknown[] {
  return STATION_CALLS[callOfChannel(channel)].args.parse(args);
}

type AnyCall = (...args: unknown[]) => Promise<unknown>;

/**
 * Runs the call a channel names on `api` with validated arguments (defaults filled in). Rejects an
 * unknown channel, extra arguments and malformed values before the agent sees them.
 */
export async function dispatchIpcCall(api: StationApi, channel: string, args: unknown[]): Promise<unknown> {
  const name = callOfChannel(channel);
  const valid = parseIpcArguments(channel, args);
  const { group, method } = locateCall(name);
  const target = (group === null ? api : api[group as keyof StationApi]) as unknown as Record<
    string,
    AnyCall
  >;
  return target[method]!.apply(target, valid);
}
