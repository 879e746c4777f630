// Read-only reports: GET /api/dash/consumables, GET /api/dash/figures?months=N, and the CSV
// exports GET /api/dash/export/{faults,inventory,availability}.csv.
import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { findFaults } from '../../../faults/repository';
import { stockReport } from '../../../consumables/stock';
import { toCsv } from '../../../figures/csv';
import { figures } from '../../../figures/report';
import { listDevices } from '../../../inventory/devices';
import { sendCsv } from './context';
import { districtOf, scopeOf } from './scope';
import { DEFAULT_THRESHOLDS } from '../../../consumables/stock';

const FiguresQuery = z.object({ months: z.coerce.number().int().min(1).max(24).default(6) });

export default async function reportRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/dash/consumables', { config: { access: 'viewer' } }, async (request) =>
    stockReport(app.district.db, app.district.now(), DEFAULT_THRESHOLDS, scopeOf(request)),
  );

  app.get('/api/dash/figures', { config: { access: 'viewer' } }, async (request) => {
    const { months } = FiguresQuery.parse(request.query);
    return figures(app.district.db, {
      nowMs: app.district.now(),
      windowMs: app.dashboard.heartbeatWindowMs,
      months,
      district: districtOf(request),
    });
  });

  app.get('/api/dash/export/faults.csv', { config: { access: 'viewer' } }, async (request, reply) => {
    const faults = await findFaults(app.district.db, app.district.now(), {
      state: 'all',
      scope: scopeOf(request),
    });
    return sendCsv(
      reply,
      'gangguan.csv',
      toCsv(
        [
          'kecamatan',
          'station',
          'station_id',
          'fault_id',
          'role',
          'code',
          'severity',
          'state',
          'vendor',
          'model',
          'serial_number',
          'first_seen',
          'resolved_at',
          'age_hours',
          'acknowledged_by',
          'acknowledged_at',
          'assignee',
          'repair_note',
          'closed_at',
          'flapping',
          'recurring',
          'reopened',
          'message_id',
          'message_en',
        ],
        faults.map((fault) => [
          fault.kecamatan,
          fault.stationName,
          fault.stationId,
          fault.faultId,
          fault.role,
          fault.code,
          fault.severity,
          fault.state,
          fault.device?.vendor,
          fault.device?.model,
          fault.device?.serialNumber,
          fault.firstSeen,
          fault.resolvedAt,
          Math.round(fault.ageHours * 10) / 10,
          fault.acknowledgedBy,
          fault.acknowledgedAt,
          fault.assignee,
          fault.repairNote,
          fault.closedAt,
          fault.flapping,
          fault.recurring,
          fault.reopenCount,
          fault.message.id,
          fault.message.en,
        ]),
      ),
    );
  });

  app.get('/api/dash/export/inventory.csv', { config: { access: 'viewer' } }, async (request, reply) => {
    const devices = await listDevices(app.district.db, { scope: scopeOf(request) });
    return sendCsv(
      reply,
      'inventaris.csv',
      toCsv(
        [
          'serial_number',
          'vendor',
          'model',
          'role',
          'status',
          'kecamatan',
          'station',
          'station_id',
          'working',
          'loan_id',
          'updated_at',
          'note',
        ],
        devices.map((device) => [
          device.serialNumber,
          device.vendor,
          device.model,
          device.role,
          device.status,
          device.kecamatan,
          device.stationName,
          device.stationId,
          device.working,
          device.loanId,
          device.updatedAt,
          device.note,
        ]),
      ),
    );
  });

  app.get('/api/dash/export/availability.csv', { config: { access: 'viewer' } }, async (request, reply) => {
    const { months } = FiguresQuery.parse(request.query);
    const report = await figures(app.district.db, {
      nowMs: app.district.now(),
      windowMs: app.dashboard.heartbeatWindowMs,
      months,
      district: districtOf(request),
    });
    return sendCsv(
      reply,
      'ketersediaan.csv',
      toCsv(
        ['month', 'kecamatan', 'hours_unable_to_record'],
        report.months.flatMap((month) =>
          report.kecamatan.map((name) => [month.month, name, month.hoursUnable[name]]),
        ),
      ),
    );
  });
}
