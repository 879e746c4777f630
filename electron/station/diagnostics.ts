// The diagnostics bundle a technician exports: a zip of what is needed to diagnose remotely.
// Never includes identity.json (the station's private key).
import { strToU8, zipSync } from 'fflate';
import type { DiagnosticsBundle, LogLine, StationStatus } from '../station-api';
import type { Adapters } from '../agent/adapters';
import type { Profile } from '../agent/profile';
import type { Store } from '../agent/store/store';
import type { CheckReport } from '../agent/types';

export interface DiagnosticsInput {
  adapters: Adapters;
  dataDir: string;
  appVersion: string;
  profile: Profile;
  store: Store;
  status: StationStatus;
  lastReport: CheckReport | null;
  log: readonly LogLine[];
  now: number;
}

/** At most this many recent check results go into the bundle. */
const CHECK_RESULTS = 1000;

export async function buildDiagnosticsBundle(input: DiagnosticsInput): Promise<DiagnosticsBundle> {
  const system = await input.adapters.system
    .snapshot(input.dataDir)
    .catch((error: unknown) => ({ error: String(error) }));
  const checks = input.store.db
    .prepare(
      `SELECT checked_at, mode, role, code, status, severity, device_key, duration_ms, measurements
       FROM check_results ORDER BY id DESC LIMIT ${CHECK_RESULTS}`,
    )
    .all();
  const json = (value: unknown) => strToU8(`${JSON.stringify(value, null, 2)}\n`);
  const files: Record<string, Uint8Array> = {
    'system.json': json({
      ...system,
      appVersion: input.appVersion,
      node: process.version,
      generatedAt: new Date(input.now).toISOString(),
    }),
    'profile.json': json(input.profile),
    'status.json': json(input.status),
    'last-check.json': json(input.lastReport),
    'check-results.json': json(checks),
    'faults.json': json(input.store.listFaults({ includeResolved: true })),
    'outbox.json': json({ pending: input.store.pendingCount(), rejected: input.store.rejectedCount() }),
    'log.txt': strToU8(input.log.map((line) => `${line.at} ${line.level} ${line.message}`).join('\n')),
  };
  const zip = zipSync(files, { level: 6 });
  const stamp = new Date(input.now).toISOString().replace(/[:.]/g, '-');
  return {
    fileName: `siaga-diagnostics-${stamp}.zip`,
    base64: Buffer.from(zip).toString('base64'),
    bytes: zip.length,
    entries: Object.keys(files),
  };
}
