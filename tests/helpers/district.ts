// Test helpers for the district: a real SQLite district in a temp dir, and a test station that
// signs requests the way the station agent must (protocol/signing.ts) with its own Ed25519 key.
import { createHash, generateKeyPairSync, randomInt, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../district/server/app';
import type { AppOptions } from '../../district/server/app';
import { openDatabase } from '../../district/server/db/open';
import type { Db } from '../../district/server/db/types';
import { addStation } from '../../district/server/stations/stations';
import type { Event, EventType, PayloadOf } from '../../protocol/events';
import { monotonicEventIds } from '../../protocol/events';
import { PATHS } from '../../protocol/requests';
import { canonicalRequest, signatureHeaders } from '../../protocol/signing';

export interface TestDistrict {
  dir: string;
  db: Db;
  app: FastifyInstance;
  /** Row counts of the tables a refused request must not touch, plus rejected_requests (flushed first). */
  counts(): Promise<{
    events: number;
    faults: number;
    stations: number;
    enrolledStations: number;
    rejected: number;
  }>;
  close(): Promise<void>;
}

export async function startTestDistrict(
  options: Partial<Omit<AppOptions, 'db'>> & { url?: string } = {},
): Promise<TestDistrict> {
  const dir = mkdtempSync(join(tmpdir(), 'siaga-district-'));
  const db = await openDatabase({ url: options.url, dataDir: dir });
  const app = await buildApp({ ...options, db });
  const count = async (sql: string): Promise<number> =>
    Number((await db.query<{ n: number | string }>(sql))[0].n);
  return {
    dir,
    db,
    app,
    async counts() {
      await app.district.rejections.flush();
      return {
        events: await count('SELECT COUNT(*) AS n FROM events'),
        faults: await count('SELECT COUNT(*) AS n FROM faults'),
        stations: await count('SELECT COUNT(*) AS n FROM stations'),
        enrolledStations: await count('SELECT COUNT(*) AS n FROM stations WHERE public_key IS NOT NULL'),
        rejected: await count('SELECT COUNT(*) AS n FROM rejected_requests'),
      };
    },
    async close() {
      await app.close();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A station with its own key pair, event ids and sequence numbers. */
export class TestStation {
  readonly privateKey: KeyObject;
  readonly publicKeyBase64: string;
  stationId = '';
  private seq = 0;
  private readonly nextId = monotonicEventIds(() => randomInt(2 ** 32) / 2 ** 32);

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    this.privateKey = privateKey;
    this.publicKeyBase64 = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url').toString(
      'base64',
    );
  }

  /** Adds a station to the district and enrolls this key with its one-time code through the API. */
  async enroll(
    district: TestDistrict,
    name = 'Loket 1',
    kecamatan = 'Sragen Kota',
    districtCode?: string,
  ): Promise<void> {
    const station = await addStation(district.db, { name, kecamatan, district: districtCode });
    const response = await district.app.inject({
      method: 'POST',
      url: PATHS.enroll,
      payload: { code: station.code, publicKey: this.publicKeyBase64, appVersion: '0.1.0' },
    });
    if (response.statusCode !== 200) {
      throw new Error(`enroll failed: ${response.statusCode} ${response.body}`);
    }
    this.stationId = (response.json() as { stationId: string }).stationId;
  }

  /** As `enroll`, over real HTTP to a server process at `url` (its station added through `db`). */
  async enrollOverHttp(url: string, db: Db, name: string, kecamatan = 'Sragen Kota'): Promise<void> {
    const station = await addStation(db, { name, kecamatan });
    const response = await fetch(url + PATHS.enroll, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: station.code, publicKey: this.publicKeyBase64, appVersion: '0.1.0' }),
    });
    if (response.status !== 200) {
      throw new Error(`enroll failed: ${response.status} ${await response.text()}`);
    }
    this.stationId = ((await response.json()) as { stationId: string }).stationId;
  }

  /** Signature headers for a request (content type included when there is a body). */
  headers(
    method: string,
    path: string,
    body: string,
    timestampMs: number,
    stationId = this.stationId,
  ): Record<string, string> {
    const hash = createHash('sha256').update(body, 'utf8').digest('hex');
    const signature = sign(
      null,
      Buffer.from(canonicalRequest(method, path, timestampMs, hash), 'utf8'),
      this.privateKey,
    );
    return {
      'content-type': 'application/json',
      ...signatureHeaders(stationId, timestampMs, signature.toString('base64')),
    };
  }

  event<Type extends EventType>(type: Type, payload: PayloadOf<Type>, occurredAtMs = Date.now()): Event {
    this.seq++;
    return {
      v: 1,
      id: this.nextId(occurredAtMs),
      stationId: this.stationId,
      seq: this.seq,
      occurredAt: new Date(occurredAtMs).toISOString(),
      type,
      payload,
    } as Event;
  }

  heartbeat(occurredAtMs = Date.now()): Event {
    return this.event(
      'heartbeat',
      {
        roleStatus: { camera: 'ok', fingerprint: 'fault' },
        canRecord: false,
        canPrint: true,
        appVersion: '0.1.0',
        queueDepth: 3,
        lastCheckAt: new Date(occurredAtMs).toISOString(),
      },
      occurredAtMs,
    );
  }

  fault(
    type: 'fault.opened' | 'fault.updated' | 'fault.resolved',
    faultId: string,
    overrides: Partial<PayloadOf<'fault.opened'>> = {},
    occurredAtMs = Date.now(),
  ): Event {
    return this.event(
      type,
      {
        faultId,
        role: 'fingerprint',
        device: {
          key: 'usb:080b:0010:CM123',
          vendor: 'Cross Match',
          model: 'Guardian',
          serialNumber: 'CM123',
          transport: 'usb',
        },
        code: 'FINGERPRINT_MISSING',
        severity: 'critical',
        status: type === 'fault.resolved' ? 'ok' : 'fault',
        message: { id: 'Pemindai sidik jari tidak terdeteksi', en: 'Fingerprint scanner not detected' },
        firstSeen: new Date(occurredAtMs - 60_000).toISOString(),
        lastSeen: new Date(occurredAtMs).toISOString(),
        occurrences: 2,
        flapping: false,
        recurring: false,
        ...overrides,
      },
      occurredAtMs,
    );
  }
}

const BASE64_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * The same 64-byte signature spelled otherwise in base64: the letter before `==` carries 4 unused
 * bits, flipped here. It decodes to the same bytes, so it verifies; a replay guard must see through it.
 */
export function respellSignature(signatureBase64: string): string {
  const last = BASE64_LETTERS.indexOf(signatureBase64[85]);
  return `${signatureBase64.slice(0, 85)}${BASE64_LETTERS[(last & ~15) | (~last & 15)]}==`;
}

/** Every route fastify knows, from its own route table (printRoutes: a tree, 4 columns per level, paths relative to the parent). */
export function registeredRoutes(app: FastifyInstance): { method: string; url: string }[] {
  const routes: { method: string; url: string }[] = [];
  const parents: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([└├│─\s]*)(\S+) \(([A-Z, ]+)\)$/.exec(line);
    if (match === null) {
      continue;
    }
    const depth = match[1].length / 4;
    const url = (parents[depth - 1] ?? '') + match[2];
    parents[depth] = url;
    for (const method of match[3].split(', ')) {
      routes.push({ method, url });
    }
  }
  return routes;
}
