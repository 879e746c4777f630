// One full check of a station: every probe in parallel, each under its own timeout, so one hung
// device never delays the verdicts of the others. Produces one verdict per expected role plus one per
// attached device that no role claims.
import type { Role, Status, Verdict } from '../../protocol/verdict';
import { worstOf } from '../../protocol/verdict';
import { canPrint, canRecord, severityOf } from '../../protocol/rules';
import type { UsbDeviceInfo } from '../../native/usb/types';
import type { Adapters } from './adapters';
import type { Catalog } from './catalog';
import type { Profile, RoleSpec } from './profile';
import { checkedRoles, expectedRoles } from './profile';
import type { CheckReport } from './types';
import type { Outcome } from './checks/outcome';
import { checkUnclaimedDevices, checkUsbRole, findRoleDevice } from './checks/usb';
import { checkPrinterStatus } from './checks/printer';
import { checkUpsReading } from './checks/ups';
import { checkNetwork, checkPc, type EndpointResult } from './checks/system';
import { checkExternalResult } from './checks/external';
import { describe, roleCode } from './messages';
import { RATING_TIMEOUT_MS, readMegatec } from '../../native/serial/megatec-read';
import { readEvolisStatus } from '../../native/serial/evolis';
import { printerPath } from '../../native/printer/ipp-source';
import { checkEvolisStatus } from './checks/evolis';

export interface CheckContext {
  adapters: Adapters;
  profile: Profile;
  catalog: Catalog;
  /** Where the station keeps its data: the disk whose free space matters. */
  dataDir: string;
  /** passive never opens a device that recording may use; active may (startup, daily check, technician). */
  mode: 'passive' | 'active';
  now?: () => number;
  /** Verdicts measured elsewhere (the renderer's camera analysis), merged into their role. */
  extraVerdicts?: Verdict[];
  /** Called as each role's verdict is ready. */
  onVerdict?: (verdict: Verdict, done: number, total: number) => void;
}

interface UsbEnumeration {
  devices: UsbDeviceInfo[];
  /** Why the enumeration failed as a whole; then `devices` is empty. */
  error?: string;
}

/** Extra time granted past a probe's own timeout before the runner stops waiting for it. */
const GRACE_MS = 250;

const USB_ROLES: readonly Role[] = ['camera', 'fingerprint', 'iris', 'signature', 'card-reader'];

class ProbeTimeout extends Error {}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProbeTimeout(`no result in ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

interface Probe {
  role: Role;
  name: string;
  timeoutMs: number;
  run: () => Promise<Outcome>;
}

/** A probe that throws or overruns becomes a verdict, never a crash. */
async function settle(probe: Probe): Promise<Outcome> {
  const started = performance.now();
  try {
    return await withTimeout(probe.run(), probe.timeoutMs + GRACE_MS);
  } catch (error) {
    const measurements = {
      probe: probe.name,
      error: (error as Error).message,
      elapsedMs: Math.round(performance.now() - started),
    };
    if (error instanceof ProbeTimeout) {
      return {
        status: 'fault',
        suffix: 'NOT_RESPONDING',
        measurements: { ...measurements, timeoutMs: probe.timeoutMs },
      };
    }
    return { status: 'unknown', suffix: 'CHECK_ERROR', measurements };
  }
}

export function toVerdict(
  role: Role | null,
  outcome: Outcome,
  checkedAt: string,
  durationMs: number,
): Verdict {
  const code = outcome.code ?? roleCode(role, outcome.suffix ?? 'CHECK_ERROR');
  return {
    role,
    status: outcome.status,
    code,
    severity: severityOf(code, outcome.status, role),
    ...describe(code, role, outcome.params),
    device: outcome.device,
    measurements: outcome.measurements,
    checkedAt,
    durationMs: Math.round(durationMs),
  };
}

/** One role's verdict from its probes: the worst outcome speaks, every probe's measurements are kept. */
function combine(outcomes: [Outcome, ...Outcome[]]): Outcome {
  const worst = worstOf(outcomes);
  const measurements: Record<string, unknown> = {};
  for (const outcome of outcomes) {
    Object.assign(measurements, outcome.measurements);
  }
  Object.assign(measurements, worst.measurements);
  return {
    ...worst,
    device: worst.device ?? outcomes.find((outcome) => outcome.device)?.device,
    measurements,
  };
}

function probesForRole(
  role: Role,
  spec: RoleSpec,
  context: CheckContext,
  usbList: Promise<UsbEnumeration>,
  network: Promise<EndpointResult[]>,
): Probe[] {
  const { adapters, profile, catalog, mode } = context;
  const { timeouts, thresholds } = profile;
  const probes: Probe[] = [];
  const usbProbe = (): Probe => ({
    role,
    name: 'usb',
    timeoutMs: timeouts.usbMs,
    run: async () => {
      const { devices, error } = await usbList;
      return checkUsbRole(role, spec, devices, catalog, adapters.usbHistory, thresholds, error);
    },
  });

  if (spec.usb || USB_ROLES.includes(role)) {
    probes.push(usbProbe());
  }
  if (spec.printer) {
    const { queue, spooler } = spec.printer;
    const source = adapters.printers[spooler];
    probes.push({
      role,
      name: 'spooler',
      timeoutMs: timeouts.printerMs,
      run: async () => {
        if (!source) {
          return {
            status: 'unknown',
            suffix: 'CHECK_ERROR',
            measurements: { queue, error: `no ${spooler} spooler on this PC` },
          };
        }
        return checkPrinterStatus(
          role,
          queue,
          await source.getStatus(queue, { timeoutMs: timeouts.printerMs }),
          spooler === 'windows' ? 'spooler' : printerPath(queue),
        );
      },
    });
  }
  if (spec.serial?.protocol === 'megatec-q1') {
    const { path, baudRate } = spec.serial;
    probes.push({
      role,
      name: 'megatec-q1',
      // Q1, then (at most once an hour) the short F rating query.
      timeoutMs: timeouts.serialMs + Math.min(timeouts.serialMs, RATING_TIMEOUT_MS),
      run: async () =>
        checkUpsReading(
          path,
          await readMegatec(adapters.serial, { path, baudRate, timeoutMs: timeouts.serialMs }),
        ),
    });
  }
  if (spec.serial?.protocol === 'evolis' && mode === 'active') {
    const { path, baudRate } = spec.serial;
    probes.push({
      role,
      name: 'evolis-status',
      // Two commands: the status word, then the ribbon count.
      timeoutMs: 2 * timeouts.serialMs,
      run: async () =>
        checkEvolisStatus(
          path,
          await readEvolisStatus(adapters.serial, { path, baudRate, timeoutMs: timeouts.serialMs }),
        ),
    });
  }
  if (role === 'network') {
    probes.push({
      role,
      name: 'reachability',
      timeoutMs: timeouts.networkMs,
      run: async () => {
        const endpoints = await network;
        if (endpoints.length === 0) {
          return { status: 'unknown', suffix: 'NOT_CONFIGURED', measurements: {} };
        }
        return checkNetwork(endpoints, thresholds);
      },
    });
  }
  if (role === 'pc') {
    probes.push({
      role,
      name: 'system',
      timeoutMs: timeouts.systemMs + timeouts.networkMs,
      run: async () => {
        const [snapshot, endpoints] = await Promise.all([
          withTimeout(adapters.system.snapshot(context.dataDir), timeouts.systemMs),
          network,
        ]);
        const serverDate = endpoints.find(
          (endpoint) => endpoint.result.ok && endpoint.result.serverDate,
        )?.result;
        return checkPc(snapshot, thresholds, serverDate?.ok ? serverDate.serverDate : undefined);
      },
    });
  }
  // Vendor tools may open the device: only when a check is allowed to disturb it.
  if (mode === 'active') {
    for (const check of spec.external ?? []) {
      probes.push({
        role,
        name: `external:${check.name}`,
        timeoutMs: check.timeoutMs,
        run: async () =>
          checkExternalResult(
            check,
            await adapters.commands.run(check.command, check.args, { timeoutMs: check.timeoutMs }),
          ),
      });
    }
  }
  if (probes.length === 0) {
    probes.push(usbProbe());
  }
  return probes;
}

export async function runCheck(context: CheckContext): Promise<CheckReport> {
  const now = context.now ?? Date.now;
  const startedAtMs = now();
  const started = performance.now();
  const { profile, adapters } = context;

  // One enumeration for every role. A failed or hung one is an error for all, never a list of
  // missing devices.
  const usbList: Promise<UsbEnumeration> = withTimeout(adapters.usb.list(), profile.timeouts.usbMs).then(
    (devices) => ({ devices, error: adapters.usb.lastError }),
    (error: Error) => ({ devices: [], error: `USB enumeration failed: ${error.message}` }),
  );
  const endpointSpecs = profile.roles.network?.endpoints ?? [];
  const network: Promise<EndpointResult[]> = Promise.all(
    endpointSpecs.map(async ({ name, url }) => ({
      name,
      url,
      result: await adapters.network.reach(url, { timeoutMs: profile.timeouts.networkMs }),
    })),
  );

  const roles = checkedRoles(profile).map((role): [Role, RoleSpec] => [role, profile.roles[role] ?? {}]);
  const total = roles.length;
  let done = 0;
  const roleVerdicts = await Promise.all(
    roles.map(async ([role, spec]) => {
      const roleStarted = performance.now();
      const outcomes = await Promise.all(probesForRole(role, spec, context, usbList, network).map(settle));
      const verdict = toVerdict(
        role,
        // probesForRole always gives at least one probe.
        combine(outcomes as [Outcome, ...Outcome[]]),
        new Date(now()).toISOString(),
        performance.now() - roleStarted,
      );
      const extra = (context.extraVerdicts ?? []).filter((candidate) => candidate.role === role);
      const merged = worstOf([verdict, ...extra]);
      done += 1;
      context.onVerdict?.(merged, done, total);
      return merged;
    }),
  );

  const { devices: usbDevices, error: usbError } = await usbList;
  const claimed = new Set<string>();
  for (const [role, spec] of roles) {
    const device = findRoleDevice(role, spec, usbDevices, context.catalog);
    if (device) {
      claimed.add(device.key);
    }
  }
  const checkedAt = new Date(now()).toISOString();
  const deviceVerdicts = checkUnclaimedDevices(usbDevices, claimed, context.catalog).map((outcome) =>
    toVerdict(null, outcome, checkedAt, 0),
  );
  if (usbError !== undefined) {
    deviceVerdicts.unshift(
      toVerdict(
        null,
        {
          status: 'unknown',
          code: 'USB_ENUMERATION_FAILED',
          measurements: { error: usbError },
        },
        checkedAt,
        0,
      ),
    );
  }

  const roleStatus: Partial<Record<Role, Status>> = {};
  for (const verdict of roleVerdicts) {
    // One verdict per expected role.
    roleStatus[verdict.role!] = verdict.status;
  }
  const expected = expectedRoles(profile);
  const recording = canRecord(roleStatus, expected);
  const printing = canPrint(roleStatus, expected);
  return {
    startedAt: new Date(startedAtMs).toISOString(),
    durationMs: Math.round(performance.now() - started),
    verdicts: [...roleVerdicts, ...deviceVerdicts],
    roleStatus,
    recording,
    printing,
    canRecord: recording === 'yes',
    canPrint: printing === 'yes',
    usbDevices,
    mode: context.mode,
  };
}
