// `siaga-district station add|code` (a station and its one-time enrollment code) and `stations`.
import { UsageError, writeLine } from '../../cli/command';
import { addStation, newCodeForStation } from '../server/stations/stations';
import { defineCommand, noPositionals, numberOption, onePositional, withDb } from './io';

const CODE_OPTIONS = {
  'code-hours': { type: 'string', default: '72' },
  json: { type: 'boolean', default: false },
} as const;

export const stationAdd = defineCommand({
  usage:
    'station add --name NAME --kecamatan KECAMATAN [--district CODE] [--code-hours 72] [--json]   prints the one-time enrollment code',
  options: { name: { type: 'string' }, kecamatan: { type: 'string' }, district: { type: 'string' }, ...CODE_OPTIONS },
  run: async ({ values, positionals }, io) => {
    noPositionals(positionals);
    const { name, kecamatan } = values;
    if (name === undefined || kecamatan === undefined) {
      throw new UsageError('station add needs --name and --kecamatan');
    }
    const codeLifetimeMs = numberOption(values['code-hours'], 'code-hours') * 3_600_000;
    const district = values.district;
    const station = await withDb(values, async (db) => {
      if (district !== undefined && (await db.query('SELECT code FROM districts WHERE code = $1', [district])).length === 0) {
        throw new UsageError(`no district ${district} (siaga-district district add)`);
      }
      return addStation(db, { name, kecamatan, codeLifetimeMs, district });
    });
    if (values.json) {
      writeLine(io.stdout, JSON.stringify(station));
    } else {
      writeLine(io.stdout, `station ${station.stationId} (${station.name}, kecamatan ${station.kecamatan})`);
      writeLine(io.stdout, `enrollment code: ${station.code}  (one use, valid until ${station.expiresAt})`);
    }
    return 0;
  },
});

export const stationCode = defineCommand({
  usage: 'station code STATION_ID [--code-hours 72] [--json]   a new code to re-enroll a station',
  options: CODE_OPTIONS,
  run: async ({ values, positionals }, io) => {
    const stationId = onePositional(positionals, 'STATION_ID');
    const codeLifetimeMs = numberOption(values['code-hours'], 'code-hours') * 3_600_000;
    const code = await withDb(values, (db) => newCodeForStation(db, stationId, { codeLifetimeMs }));
    writeLine(
      io.stdout,
      values.json
        ? JSON.stringify(code)
        : `enrollment code: ${code.code}  (one use, valid until ${code.expiresAt})`,
    );
    return 0;
  },
});

export const stations = defineCommand({
  usage: 'stations [--json]',
  options: { json: { type: 'boolean', default: false } },
  run: async ({ values, positionals }, io) => {
    noPositionals(positionals);
    const rows = await withDb(values, (db) =>
      db.query<Record<string, unknown>>(
        'SELECT id, name, kecamatan, enrolled_at, last_seen_at, app_version, last_heartbeat FROM stations ORDER BY kecamatan, name',
      ),
    );
    if (values.json) {
      writeLine(io.stdout, JSON.stringify(rows, null, 2));
    } else {
      for (const station of rows) {
        writeLine(
          io.stdout,
          `${station.id}  ${station.kecamatan} / ${station.name}  enrolled ${station.enrolled_at ?? 'no'}  last seen ${station.last_seen_at ?? 'never'}`,
        );
      }
    }
    return 0;
  },
});
