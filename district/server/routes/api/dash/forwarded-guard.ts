// Refuses every state-changing dashboard request that names a forwarded district's station or
// device (peering/forwarded.ts): 409 `forwarded`, in Bahasa Indonesia and English, and one audit
// row saying who tried what (in the station's district, so that district's admin sees it too).
// It runs after the scope hook, on the same id fields of the path, query and body, so a route
// added later is covered without a line of its own. Reads stay open: the province sees the copy.
// Recording the return of a loan (named by loan id only) stays possible, so a loan made here before
// this rule can still be ended.
import type { FastifyInstance } from 'fastify';
import { audit } from '../../../auth/audit';
import { ForwardedRefusal, forwardedOwner } from '../../../peering/forwarded';
import { fieldsOf, ID_FIELDS } from './scope';

const SAFE_METHODS = ['GET', 'HEAD', 'OPTIONS'];

export function installForwardedGuard(app: FastifyInstance): void {
  app.addHook('preHandler', async (request) => {
    const staff = request.staff;
    const access = request.routeOptions.config.access;
    if (staff === null || access === 'public' || access === undefined || SAFE_METHODS.includes(request.method)) {
      return;
    }
    const db = app.district.db;
    for (const source of [request.params, request.query, request.body]) {
      for (const [field, value] of Object.entries(fieldsOf(source))) {
        const kind = ID_FIELDS[field as keyof typeof ID_FIELDS];
        if ((kind !== 'station' && kind !== 'device') || typeof value !== 'string' || value === '') {
          continue;
        }
        const owner = await forwardedOwner(db, kind, value);
        if (owner === null) {
          continue;
        }
        await audit(db, {
          nowMs: app.district.now(),
          user: staff.user,
          action: 'forwarded.refused',
          target: value,
          detail: { kind, method: request.method, route: request.routeOptions.url, peerId: owner.peerId },
          ip: request.ip,
          district: owner.districtCode,
        });
        throw new ForwardedRefusal(kind, value, owner);
      }
    }
  });
}
