// Provinces and districts (tables provinces, districts): added by the service's operator with
// `siaga-district district add` or by a seed; a district's code is its Kemendagri code (e.g. 33.14),
// a province's its two digits (33). Codes are immutable: every row of a district refers to it.
import type { TimeZoneName } from '../../dash-api';
import { TimeZoneNameSchema } from '../../dash-api';
import type { Db } from '../db/types';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors';

const CODE = /^[0-9A-Za-z][0-9A-Za-z._-]{0,31}$/;

function checked(code: string, name: string): { code: string; name: string } {
  const trimmedCode = code.trim();
  const trimmedName = name.trim();
  if (!CODE.test(trimmedCode)) {
    throw new InvalidInputError('a code is 1-32 letters, digits, dots, dashes or underscores (e.g. 33.14)');
  }
  if (trimmedName === '' || trimmedName.length > 100) {
    throw new InvalidInputError('a name is 1 to 100 characters');
  }
  return { code: trimmedCode, name: trimmedName };
}

export async function addProvince(db: Db, input: { code: string; name: string }): Promise<void> {
  const { code, name } = checked(input.code, input.name);
  const added = await db.run('INSERT INTO provinces (code, name) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
    code,
    name,
  ]);
  if (added === 0) {
    throw new ConflictError(`province ${code} exists already`);
  }
}

export async function addDistrict(
  db: Db,
  input: { code: string; name: string; province: string; timeZone: TimeZoneName },
): Promise<void> {
  const { code, name } = checked(input.code, input.name);
  const timeZone = TimeZoneNameSchema.safeParse(input.timeZone);
  if (!timeZone.success) {
    throw new InvalidInputError('the time zone is WIB, WITA or WIT');
  }
  await db.transaction(async (transaction) => {
    const [province] = await transaction.query('SELECT code FROM provinces WHERE code = $1', [input.province]);
    if (province === undefined) {
      throw new NotFoundError(`no province ${input.province}`);
    }
    const added = await transaction.run(
      'INSERT INTO districts (code, name, province_code, time_zone) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
      [code, name, input.province, timeZone.data],
    );
    if (added === 0) {
      throw new ConflictError(`district ${code} exists already`);
    }
  });
}

/**
 * The districts residents may choose on `/publik`, by province then name: every district of the
 * service, the default one only once it has stations (as in the province and national views).
 */
export async function publicDistricts(db: Db): Promise<{ code: string; name: string; provinceName: string }[]> {
  const rows = await db.query<{ code: string; name: string; province_name: string }>(
    `SELECT d.code, d.name, p.name AS province_name FROM districts d JOIN provinces p ON p.code = d.province_code
     WHERE d.code <> 'default' OR EXISTS (SELECT 1 FROM stations WHERE district_code = 'default')
     ORDER BY p.name, d.name, d.code`,
  );
  return rows.map((row) => ({ code: row.code, name: row.name, provinceName: row.province_name }));
}
