// The request's scope (tenancy/scope.ts), resolved once per dashboard request after the auth hook:
// the signed-in user's own scope, narrowed to one district by `?district=CODE` (a province or
// national user drilling down). Ids of stations, devices, loans and letters in the path, the query or the
// body must lie within it: another district's id answers 404 as if it did not exist, so nothing
// leaks. Routes read the scope with `scopeOf` (lists) or `districtOf` (one district's calendar,
// board, figures, new rows) and pass it to the repositories.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Scope } from '../../../../dash-api';
import { InvalidInputError, NotFoundError } from '../../../errors';
import { DEFAULT_DISTRICT, districtOfId, districtWithin, singleDistrict } from '../../../tenancy/scope';

declare module 'fastify' {
  interface FastifyRequest {
    /** Null on public routes and before sign-in. */
    scope: Scope | null;
  }
}

/** Request fields that carry an id of a district's thing, by the kind of thing. */
export const ID_FIELDS = {
  stationId: 'station',
  toStationId: 'station',
  station: 'station',
  deviceId: 'device',
  loanId: 'loan',
  letterId: 'letter',
} as const;

/** Bahasa Indonesia first in the refusal staff read. */
const KIND_NAMES = { station: 'Stasiun', device: 'Perangkat', loan: 'Pinjaman', letter: 'Surat' } as const;

export const fieldsOf = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};

export function installScopeHook(app: FastifyInstance): void {
  app.decorateRequest('scope', null);
  app.addHook('preHandler', async (request) => {
    const staff = request.staff;
    const access = request.routeOptions.config.access;
    if (staff === null || access === 'public' || access === undefined) {
      return;
    }
    const db = app.district.db;
    let scope = staff.user.scope;
    const asked = fieldsOf(request.query).district;
    if (typeof asked === 'string' && asked !== '') {
      if (!(await districtWithin(db, asked, scope))) {
        throw new NotFoundError('Kabupaten/kota tidak ditemukan (no such district)');
      }
      scope = { level: 'district', code: asked };
    }
    for (const source of [request.params, request.query, request.body]) {
      for (const [field, value] of Object.entries(fieldsOf(source))) {
        const kind = ID_FIELDS[field as keyof typeof ID_FIELDS];
        if (kind === undefined || typeof value !== 'string' || value === '') {
          continue;
        }
        const owner = await districtOfId(db, kind, value);
        // An unknown id is left to the route (its own 404 or refusal); another district's is unknown here.
        if (owner !== null && !(scope.level === 'district' ? owner === scope.code : await districtWithin(db, owner, scope))) {
          throw new NotFoundError(`${KIND_NAMES[kind]} tidak ditemukan (no such ${kind})`);
        }
      }
    }
    request.scope = scope;
  });
}

/** The scope of a signed-in request (the hook sets it on every staff route). */
export function scopeOf(request: FastifyRequest): Scope {
  if (request.scope === null) {
    throw new InvalidInputError('no scope on this request');
  }
  return request.scope;
}

/**
 * The one district a request works on (its calendar, board, figures, new stations and spares): the
 * user's own, or the one named by `?district=` for a province or national user.
 */
export function districtOf(request: FastifyRequest): string {
  const code = singleDistrict(scopeOf(request));
  if (code === null) {
    throw new InvalidInputError('pilih kabupaten/kota: ?district=KODE (choose a district)', 'district-required');
  }
  return code;
}

/** A public page's district: `?district=CODE`, else the default district (a district's own server). */
export async function publicDistrictOf(app: FastifyInstance, request: FastifyRequest): Promise<string> {
  const asked = fieldsOf(request.query).district;
  if (typeof asked !== 'string' || asked === '') {
    return DEFAULT_DISTRICT;
  }
  // An unknown code is told as such, not shown as a board with no kecamatan (residents would read "nothing works").
  if ((await app.district.db.query('SELECT code FROM districts WHERE code = $1', [asked])).length === 0) {
    throw new NotFoundError('Kabupaten/kota tidak dikenal (no such district)');
  }
  return asked;
}
