// Loan suggestions ("Cari pinjaman") and the map they rank by:
//   GET  /api/dash/faults/:stationId/:faultId/loan-suggestions         (viewer) nearest first
//   POST /api/dash/faults/:stationId/:faultId/loan-suggestions/accept  (technician) creates the loan, emails both offices
//   GET  /api/dash/offices                                             (viewer) coordinates, technicians, distance table
//   POST /api/dash/offices                                             (admin) an office's coordinates and technicians
//   POST /api/dash/offices/distances                                   (admin) one entry of the distance table
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AcceptLoanRequestSchema, DistanceRequestSchema, OfficeRequestSchema } from '../../../../dash-api';
import { acceptLoanSuggestion, loanSuggestions } from '../../../inventory/loan-suggestions';
import { officeMap, setDistance, setOffice } from '../../../inventory/offices';
import { auditByStaff, parseBody, staffOf } from './context';
import { scopeOf } from './scope';

const ParamsSchema = z.object({ stationId: z.string().max(64), faultId: z.string().max(128) });

export default async function loanSuggestionRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/api/dash/faults/:stationId/:faultId/loan-suggestions',
    { config: { access: 'viewer' } },
    async (request) => {
      const { stationId, faultId } = ParamsSchema.parse(request.params);
      return loanSuggestions(app.district.db, {
        stationId,
        faultId,
        nowMs: app.district.now(),
        heartbeatWindowMs: app.dashboard.heartbeatWindowMs,
      });
    },
  );

  app.post(
    '/api/dash/faults/:stationId/:faultId/loan-suggestions/accept',
    { config: { access: 'technician' } },
    async (request) => {
      const staff = staffOf(request);
      const { stationId, faultId } = ParamsSchema.parse(request.params);
      const body = parseBody(request, AcceptLoanRequestSchema);
      const nowMs = app.district.now();
      const accepted = await acceptLoanSuggestion(app.district.db, app.dashboard.notifier, {
        stationId,
        faultId,
        request: body,
        createdBy: staff.user.username,
        nowMs,
        heartbeatWindowMs: app.dashboard.heartbeatWindowMs,
        districtName: app.dashboard.districtName,
        dashboardUrl: app.dashboard.dashboardUrl,
      });
      // The same audit entry as any loan (its sentence names the letter and the station), with
      // where the device came from, for which fault, and who was told.
      await auditByStaff(request, {
        nowMs,
        action: 'inventory.loan-created',
        target: accepted.loan.id,
        detail: {
          ...body,
          deviceId: accepted.loan.deviceId,
          toStationId: stationId,
          fromStationId: accepted.loan.fromStationId,
          faultId,
          suggested: true,
          notified: accepted.notified,
          notDelivered: accepted.notDelivered.map((failure) => failure.email),
        },
      });
      return accepted;
    },
  );

  app.get('/api/dash/offices', { config: { access: 'viewer' } }, async (request) =>
    officeMap(app.district.db, scopeOf(request)),
  );

  app.post('/api/dash/offices', { config: { access: 'admin' } }, async (request) => {
    const office = parseBody(request, OfficeRequestSchema);
    const nowMs = app.district.now();
    await setOffice(app.district.db, office, nowMs);
    await auditByStaff(request, {
      nowMs,
      action: 'office.set',
      target: office.kecamatan ?? 'Disdukcapil',
      detail: office,
    });
    return officeMap(app.district.db, scopeOf(request));
  });

  app.post('/api/dash/offices/distances', { config: { access: 'admin' } }, async (request) => {
    const distance = parseBody(request, DistanceRequestSchema);
    const nowMs = app.district.now();
    await setDistance(app.district.db, { ...distance, nowMs });
    await auditByStaff(request, {
      nowMs,
      action: distance.remove ? 'office.distance-removed' : 'office.distance-set',
      target: `${distance.from ?? 'Disdukcapil'} – ${distance.to ?? 'Disdukcapil'}`,
      detail: distance,
    });
    return officeMap(app.district.db, scopeOf(request));
  });
}
