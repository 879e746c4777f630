// Shared by the district benches: a district server on a temp SQLite file, stations written
// straight into the database with their own Ed25519 keys, and signed event batches.
import { createHash, generateKeyPairSync, randomInt, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDashboardWeb } from '../scripts/dashboard-web-build.mjs';
import { openDatabase } from '../district/server/db/open';
import type { Db, SqlValue } from '../district/server/db/types';
import { startServer } from '../district/server/server';
import type { RunningServer } from '../district/server/server';
import type { DashboardOptions } from '../district/server/routes/dashboard';
import type { Event, HeartbeatPayload } from '../protocol/events';
import { monotonicEventIds } from '../protocol/events';
import { PATHS } from '../protocol/requests';
import { canonicalRequest, signatureHeaders } from '../protocol/signing';

export interface BenchStation {
  id: string;
  kecamatan: string;
  privateKey: KeyObject;
  seq: number;
}

const nextId = monotonicEventIds(() => randomInt(2 ** 32) / 2 ** 32);

/** The dashboard built for production into a new temp folder (its path; the caller removes it). */
export async function buildBenchDashboard(): Promise<string> {
  const webDir = mkdtempSync(join(tmpdir(), 'siaga-bench-web-'));
  await buildDashboardWeb(webDir);
  return webDir;
}

/**
 * A rendered dashboard document as a static page of the same view: without its script, nor the links
 * that preload the script's chunks (the static page would otherwise download them for nothing).
 */
export function staticDocument(renderedHtml: string): string {
  return renderedHtml
    .replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '')
    .replace(/<link rel="modulepreload"[^>]*>/g, '');
}

/** A district server on a temp data dir: SQLite there, or the PostgreSQL at `url`. */
export async function startBenchDistrict(
  options: { dashboard?: DashboardOptions; url?: string } = {},
): Promise<{ server: RunningServer; db: Db; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'siaga-bench-'));
  const db = await openDatabase({ url: options.url, dataDir: dir });
  // Pacing and load shedding off: the bench measures the work, not the limits.
  const server = await startServer({
    db,
    port: 0,
    host: '127.0.0.1',
    maxBatchesPerSecond: 0,
    maxInFlight: 10_000,
    dashboard: options.dashboard,
  });
  return {
    server,
    db,
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** 100 rows a statement: 20,000 rows on PostgreSQL are 200 round trips, not 20,000. */
const ROWS_PER_INSERT = 100;

/** Inserts `rows` (values in the order of `columns`) into `table`, many rows a statement. */
export async function insertRows(
  db: Db,
  table: string,
  columns: readonly string[],
  rows: readonly SqlValue[][],
): Promise<void> {
  for (let first = 0; first < rows.length; first += ROWS_PER_INSERT) {
    const batch = rows.slice(first, first + ROWS_PER_INSERT);
    const values = batch.map(
      (_row, index) => `(${columns.map((_column, at) => `$${index * columns.length + at + 1}`).join(', ')})`,
    );
    await db.run(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values.join(', ')}`, batch.flat());
  }
}

export async function addBenchStations(
  db: Db,
  count: number,
  kecamatanCount: number,
): Promise<BenchStation[]> {
  const stations: BenchStation[] = [];
  const rows: SqlValue[][] = [];
  const now = new Date().toISOString();
  for (let index = 0; index < count; index++) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const id = `st-bench-${index}`;
    const kecamatan = `Kecamatan ${String(index % kecamatanCount).padStart(3, '0')}`;
    rows.push([
      id,
      `Loket ${Math.floor(index / kecamatanCount) + 1}`,
      kecamatan,
      now,
      Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('base64'),
      now,
    ]);
    stations.push({ id, kecamatan, privateKey, seq: 0 });
  }
  await db.transaction((transaction) =>
    insertRows(
      transaction,
      'stations',
      ['id', 'name', 'kecamatan', 'created_at', 'public_key', 'enrolled_at'],
      rows,
    ),
  );
  return stations;
}

/** The envelope of `station`'s next event, occurring at `atMs`: takes its next seq. */
function nextEnvelope(station: BenchStation, atMs: number) {
  station.seq++;
  return {
    v: 1 as const,
    id: nextId(atMs),
    stationId: station.id,
    seq: station.seq,
    occurredAt: new Date(atMs).toISOString(),
  };
}

/** A heartbeat's payload at `atMs`: every role ok, or the fingerprint scanner faulty. */
export function heartbeatPayload(atMs: number, canRecord = true): HeartbeatPayload {
  return {
    roleStatus: {
      camera: 'ok',
      fingerprint: canRecord ? 'ok' : 'fault',
      iris: 'ok',
      signature: 'ok',
      network: 'ok',
      'card-printer': 'ok',
    },
    canRecord,
    canPrint: true,
    appVersion: '0.1.0',
    queueDepth: 0,
    lastCheckAt: new Date(atMs).toISOString(),
  };
}

export function heartbeatEvent(station: BenchStation, atMs: number, canRecord = true): Event {
  return { ...nextEnvelope(station, atMs), type: 'heartbeat', payload: heartbeatPayload(atMs, canRecord) };
}

export function faultEvent(station: BenchStation, atMs: number, faultId: string): Event {
  return {
    ...nextEnvelope(station, atMs),
    type: 'fault.opened',
    payload: {
      faultId,
      role: 'fingerprint',
      device: {
        key: `usb:080b:0010:${station.id}`,
        vendor: 'Cross Match',
        model: 'Guardian 200',
        serialNumber: `CM-${station.id}`,
        transport: 'usb',
      },
      code: 'FINGERPRINT_MISSING',
      severity: 'critical',
      status: 'fault',
      message: { id: 'Pemindai sidik jari tidak terdeteksi', en: 'Fingerprint scanner not detected' },
      firstSeen: new Date(atMs - 3_600_000).toISOString(),
      lastSeen: new Date(atMs).toISOString(),
      occurrences: 3,
      flapping: false,
      recurring: false,
    },
  };
}

/** A signed POST /api/v1/events as a station sends it (signing is the station's cost, done here before timing when asked). */
export function signedBatch(
  station: BenchStation,
  events: Event[],
  timestampMs: number,
): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify({ events });
  const hash = createHash('sha256').update(body).digest('hex');
  const signature = sign(
    null,
    Buffer.from(canonicalRequest('POST', PATHS.events, timestampMs, hash)),
    station.privateKey,
  );
  return {
    body,
    headers: {
      'content-type': 'application/json',
      ...signatureHeaders(station.id, timestampMs, signature.toString('base64')),
    },
  };
}

export function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

/** A positive number from the environment variable `name`, else `fallback`; anything else stops the bench with a clear message. */
export function benchSetting(name: string, fallback: number): number {
  const text = process.env[name];
  const value = text === undefined || text === '' ? fallback : Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${name}=${text}: a positive number is needed`);
  }
  return value;
}
