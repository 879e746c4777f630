// The service calendar: GET /api/dash/calendar (viewer); the admin sets the time zone, the weeks of
// service hours and the closed days with POST /api/dash/calendar/{time-zone,hours,closed-days}.
import type { FastifyInstance } from 'fastify';
import {
  ClosedDayRequestSchema,
  ServiceHoursRequestSchema,
  TimeZoneRequestSchema,
} from '../../../../dash-api';
import {
  addClosedDay,
  removeClosedDay,
  serviceCalendar,
  setServiceWeek,
  setTimeZone,
} from '../../../calendar/store';
import { auditByStaff, parseBody } from './context';
import { districtOf } from './scope';

export default async function calendarRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/dash/calendar', { config: { access: 'viewer' } }, async (request) =>
    serviceCalendar(app.district.db, districtOf(request)),
  );

  app.post('/api/dash/calendar/time-zone', { config: { access: 'admin' } }, async (request) => {
    const { timeZone } = parseBody(request, TimeZoneRequestSchema);
    const nowMs = app.district.now();
    const district = districtOf(request);
    await setTimeZone(app.district.db, timeZone, nowMs, district);
    await auditByStaff(request, { nowMs, action: 'calendar.time-zone', target: timeZone });
    return serviceCalendar(app.district.db, district);
  });

  app.post('/api/dash/calendar/hours', { config: { access: 'admin' } }, async (request) => {
    const input = parseBody(request, ServiceHoursRequestSchema);
    const nowMs = app.district.now();
    const district = districtOf(request);
    await setServiceWeek(app.district.db, { ...input, nowMs, district });
    await auditByStaff(request, {
      nowMs,
      action: 'calendar.hours',
      target: input.kecamatan ?? 'district',
      detail: { week: input.week },
    });
    return serviceCalendar(app.district.db, district);
  });

  app.post('/api/dash/calendar/closed-days', { config: { access: 'admin' } }, async (request) => {
    const input = parseBody(request, ClosedDayRequestSchema);
    const nowMs = app.district.now();
    const district = districtOf(request);
    if (input.remove) {
      await removeClosedDay(app.district.db, { ...input, district });
    } else {
      await addClosedDay(app.district.db, { ...input, nowMs, district });
    }
    await auditByStaff(request, {
      nowMs,
      action: input.remove ? 'calendar.closed-day-removed' : 'calendar.closed-day',
      target: input.kecamatan ?? 'district',
      detail: { date: input.date, note: input.note },
    });
    return serviceCalendar(app.district.db, district);
  });
}
