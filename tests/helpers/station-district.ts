// A real district server over HTTP on 127.0.0.1 (random port) for station-side tests, and helpers
// to enroll a station data dir with the station's own enrollment code.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../district/server/db/open';
import type { Db } from '../../district/server/db/types';
import { startServer } from '../../district/server/server';
import type { RunningServer } from '../../district/server/server';
import type { AppOptions } from '../../district/server/app';
import { addStation } from '../../district/server/stations/stations';
import { enroll } from '../../electron/agent/enroll';

export interface HttpDistrict {
  url: string;
  db: Db;
  server: RunningServer;
  dir: string;
  /** Events the district stored for a station, in seq order. */
  events(
    stationId?: string,
  ): Promise<{ id: string; station_id: string; seq: number; type: string; payload: string }[]>;
  close(): Promise<void>;
}

export async function startHttpDistrict(
  options: Partial<Omit<AppOptions, 'db'>> & { port?: number; dir?: string; url?: string } = {},
): Promise<HttpDistrict> {
  const dir = options.dir ?? mkdtempSync(path.join(tmpdir(), 'siaga-district-http-'));
  const db = await openDatabase({ url: options.url, dataDir: dir });
  const { url: _databaseUrl, ...appOptions } = options;
  const server = await startServer({ ...appOptions, db, port: options.port ?? 0, host: '127.0.0.1' });
  return {
    url: server.url,
    db,
    server,
    dir,
    async events(stationId) {
      return stationId
        ? db.query(
            'SELECT id, station_id, seq, type, payload FROM events WHERE station_id = $1 ORDER BY seq',
            [stationId],
          )
        : db.query('SELECT id, station_id, seq, type, payload FROM events ORDER BY station_id, seq');
    },
    async close() {
      await server.close();
      if (options.dir === undefined) {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Adds a station at the district and enrolls `dataDir` with its one-time code over HTTP. */
export async function enrollStation(
  district: { url: string; db: Db },
  dataDir: string,
  name = 'Loket 1',
): Promise<string> {
  const station = await addStation(district.db, { name, kecamatan: 'Sragen Kota' });
  const identity = await enroll({
    dataDir,
    districtUrl: district.url,
    code: station.code,
    appVersion: '0.1.0',
  });
  return identity.stationId;
}
