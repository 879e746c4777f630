// `siaga-district province add` and `district add`: the provinces and districts of a service that
// holds many districts (tenancy/districts.ts). A district running its own server needs neither: its
// data is the default district.
import { UsageError, writeLine } from '../../cli/command';
import { TimeZoneNameSchema } from '../dash-api';
import { addDistrict, addProvince } from '../server/tenancy/districts';
import { defineCommand, noPositionals, withDb } from './io';

export const provinceAdd = defineCommand({
  usage: 'province add --code 33 --name NAME',
  options: { code: { type: 'string' }, name: { type: 'string' } },
  run: async ({ values, positionals }, io) => {
    noPositionals(positionals);
    const { code, name } = values;
    if (code === undefined || name === undefined) {
      throw new UsageError('province add needs --code and --name');
    }
    await withDb(values, (db) => addProvince(db, { code, name }));
    writeLine(io.stdout, `province ${code} (${name}) added`);
    return 0;
  },
});

export const districtAdd = defineCommand({
  usage: 'district add --code 33.14 --name NAME --province 33 [--time-zone WIB|WITA|WIT]',
  options: {
    code: { type: 'string' },
    name: { type: 'string' },
    province: { type: 'string' },
    'time-zone': { type: 'string', default: 'WIB' },
  },
  run: async ({ values, positionals }, io) => {
    noPositionals(positionals);
    const { code, name, province } = values;
    if (code === undefined || name === undefined || province === undefined) {
      throw new UsageError('district add needs --code, --name and --province');
    }
    const timeZone = TimeZoneNameSchema.safeParse(values['time-zone']);
    if (!timeZone.success) {
      throw new UsageError('--time-zone is WIB, WITA or WIT');
    }
    await withDb(values, (db) => addDistrict(db, { code, name, province, timeZone: timeZone.data }));
    writeLine(io.stdout, `district ${code} (${name}, province ${province}, ${timeZone.data}) added`);
    return 0;
  },
});
