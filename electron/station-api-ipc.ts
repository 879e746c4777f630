// StationApi across a process boundary, derived from the contract's one table (STATION_CALLS in
// station-api.ts): one channel per call, the client the preload (IPC) and the test shim (HTTP) build
// over an `invoke(channel, ...args)`, and the dispatch main.ts (IPC) and the test server (HTTP) run,
// which validates every argument before it reaches the agent. Pure: no Node, no Electron.
import type { CallName, StationApi } from './station-api';
import { CALL_NAMES, STATION_CALLS } from './station-api';

export type IpcChannel = `siaga:${CallName}`;
/** Channel the main process pushes StationEvents on. */
export const EVENT_CHANNEL = 'siaga:event';

export function ipcChannel<Name extends CallName>(name: Name): `siaga:${Name}` {
  return `siaga:${name}`;
}

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

/** Where a call lives on a StationApi: `getStatus` on the api itself, `technician.usbTree` on api.technician. */
function locate(name: CallName): { group: string | null; method: string } {
  const dot = name.indexOf('.');
  return dot < 0 ? { group: null, method: name } : { group: name.slice(0, dot), method: name.slice(dot + 1) };
}

/**
 * Runs the call a channel names on `api` with validated arguments (defaults filled in). Rejects an
 * unknown channel, extra arguments and malformed values before the agent sees them.
 */
export async function dispatchIpcCall(api: StationApi, channel: string, args: unknown[]): Promise<unknown> {
  const name = callOfChannel(channel);
  const valid = parseIpcArguments(channel, args);
  const { group, method } = locate(name);
  const target = (group === null ? api : api[group as keyof StationApi]) as unknown as Record<
    string,
    AnyCall
  >;
  return target[method]!.apply(target, valid);
}

/**
 * A StationApi whose every call is `invoke(channel, ...args)`. Trailing undefined arguments are left
 * out (JSON would send them as null, which an optional argument refuses).
 */
export function createIpcClient(
  invoke: (channel: IpcChannel, ...args: unknown[]) => Promise<unknown>,
  subscribe: StationApi['subscribe'],
): StationApi {
  const api: Record<string, unknown> = { subscribe };
  for (const name of CALL_NAMES) {
    const channel = ipcChannel(name);
    const call: AnyCall = (...args) => {
      while (args.length > 0 && args[args.length - 1] === undefined) {
        args.pop();
      }
      return invoke(channel, ...args);
    };
    const { group, method } = locate(name);
    if (group === null) {
      api[method] = call;
    } else {
      ((api[group] ??= {}) as Record<string, AnyCall>)[method] = call;
    }
  }
  return api as unknown as StationApi;
}
