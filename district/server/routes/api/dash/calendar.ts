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

export default async function calendarRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/dash/calendar', { config: { access: 'viewer' } }, async () =>
    serviceCalendar(app.district.db),
  );

  app.post('/api/dash/calendar/time-zone', { config: { access: 'admin' } }, async (request) => {
    const { timeZone } = parseBody(request, TimeZoneRequestSchema);
    const nowMs = app.district.now();
    await setTimeZone(app.district.db, timeZone, nowMs);
    await auditByStaff(request, { nowMs, action: 'calendar.time-zone', target: timeZone });
    return serviceCalendar(app.district.db);
  });

  app.post('/api/dash/calendar/hours', { config: { access: 'admin' } }, async (request) => {
    const input = parseBody(request, ServiceHoursRequestSchema);
    const nowMs = app.district.now();
    await setServiceWeek(app.district.db, { ...input, nowMs });
    await auditByStaff(request, {
      nowMs,
      action: 'calendar.hours',
      target: input.kecamatan ?? 'district',
      detail: { week: input.week },
    });
    return serviceCalendar(app.district.db);
  });

  app.post('/api/dash/calendar/closed-days', { config: { access: 'admin' } }, async (request) => {
    const input = parseBody(request, ClosedDayRequestSchema);
    const nowMs = app.district.now();
    if (input.remove) {
      await removeClosedDay(app.district.db, input);
    } else {
      await addClosedDay(app.district.db, { ...input, nowMs });
    }
    await auditByStaff(request, {
      nowMs,
      action: input.remove ? 'calendar.closed-day-removed' : 'calendar.closed-day',
      target: input.kecamatan ?? 'district',
      detail: { date: input.date, note: input.note },
    });
    return serviceCalendar(app.district.db);
  });
}
