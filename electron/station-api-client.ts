// The client half of StationApi across a process boundary: the call names, their channels and the
// client the preload (IPC) and the test shim (HTTP) build over an `invoke(channel, ...args)`.
// Free of zod and of the argument schemas on purpose: the preload runs before the kiosk's first
// paint, and bundling the schemas put all of zod (about 780 KB unminified) in front of it. The
// validating dispatch stays in station-api-ipc.ts; STATION_CALLS in station-api.ts must name exactly
// these calls (the compiler checks both ways).
import type { StationApi } from './station-api';

/** Every call of STATION_CALLS; `group.method` is reached as `api.group.method`. */
export const CALL_NAMES = [
  'getStatus',
  'runCheck',
  'listFaults',
  'startDailyCheck',
  'submitDailyCheck',
  'getConsumables',
  'reportCamera',
  'getSettings',
  'updateSettings',
  'unlockTechnician',
  'lockTechnician',
  'technician.usbTree',
  'technician.history',
  'technician.logs',
  'technician.serial',
  'technician.rerun',
  'technician.adoptBaseline',
  'technician.enroll',
  'technician.exportDiagnostics',
  'technician.changePin',
  'technician.forecasts',
] as const;
export type CallName = (typeof CALL_NAMES)[number];

export type IpcChannel = `siaga:${CallName}`;
/** Channel the main process pushes StationEvents on. */
export const EVENT_CHANNEL = 'siaga:event';

export function ipcChannel<Name extends CallName>(name: Name): `siaga:${Name}` {
  return `siaga:${name}`;
}

type AnyCall = (...args: unknown[]) => Promise<unknown>;

/** Where a call lives on a StationApi: `getStatus` on the api itself, `technician.usbTree` on api.technician. */
export function locateCall(name: CallName): { group: string | null; method: string } {
  const dot = name.indexOf('.');
  return dot < 0 ? { group: null, method: name } : { group: name.slice(0, dot), method: name.slice(dot + 1) };
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
    const { group, method } = locateCall(name);
    if (group === null) {
      api[method] = call;
    } else {
      ((api[group] ??= {}) as Record<string, AnyCall>)[method] = call;
    }
  }
  return api as unknown as StationApi;
}
