// The station PC itself (disk, memory, clock) and the network link to central and the district.
import type { ReachabilityResult, SystemSnapshot } from '../../../native/system/types';
import type { Profile } from '../profile';
import type { Outcome } from './outcome';
import { ok } from './outcome';

const GB = 1024 ** 3;

/** serverDate: an HTTP Date header from a reached endpoint, to detect a wrong PC clock. */
export function checkPc(
  snapshot: SystemSnapshot,
  thresholds: Profile['thresholds'],
  serverDate?: string,
): Outcome {
  const measurements: Record<string, unknown> = { ...snapshot };
  if (serverDate) {
    const serverMs = Date.parse(serverDate);
    if (Number.isFinite(serverMs)) {
      const skewMs = snapshot.clockMs - serverMs;
      measurements.clockSkewMs = skewMs;
      if (Math.abs(skewMs) > thresholds.clockSkewMaxMs) {
        return {
          status: 'warning',
          code: 'PC_CLOCK_SKEW',
          params: { skewMinutes: Math.round(Math.abs(skewMs) / 60_000) },
          measurements,
        };
      }
    }
  }
  if (snapshot.diskFreeBytes < thresholds.diskFreeMinBytes) {
    return {
      status: 'warning',
      code: 'PC_DISK_LOW',
      params: { freeGb: (snapshot.diskFreeBytes / GB).toFixed(1) },
      measurements,
    };
  }
  if (snapshot.memoryFreeBytes < thresholds.memoryFreeMinBytes) {
    return { status: 'warning', code: 'PC_MEMORY_LOW', measurements };
  }
  return ok(measurements);
}

export interface EndpointResult {
  name: 'central' | 'district' | 'other';
  url: string;
  result: ReachabilityResult;
}

export function checkNetwork(endpoints: EndpointResult[], thresholds: Profile['thresholds']): Outcome {
  const measurements: Record<string, unknown> = {
    endpoints: endpoints.map(({ name, url, result }) => ({
      name,
      url,
      ok: result.ok,
      latencyMs: Math.round(result.latencyMs),
      ...(result.ok ? { httpStatus: result.httpStatus } : { reason: result.reason, error: result.message }),
    })),
  };
  const down = (name: EndpointResult['name']) =>
    endpoints.some((endpoint) => endpoint.name === name && !endpoint.result.ok);
  if (down('central')) {
    return { status: 'fault', code: 'CENTRAL_UNREACHABLE', measurements };
  }
  if (down('district')) {
    return { status: 'warning', code: 'DISTRICT_UNREACHABLE', measurements };
  }
  const slowest = Math.max(0, ...endpoints.map((endpoint) => endpoint.result.latencyMs));
  if (slowest > thresholds.latencyWarnMs) {
    return {
      status: 'warning',
      code: 'NETWORK_SLOW',
      params: { latencyMs: Math.round(slowest) },
      measurements,
    };
  }
  if (endpoints.some((endpoint) => !endpoint.result.ok)) {
    return { status: 'warning', suffix: 'NOT_RESPONDING', measurements };
  }
  return ok(measurements);
}
