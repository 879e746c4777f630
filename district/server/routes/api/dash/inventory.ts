// Inventory and loans (pinjam pakai):
//   GET  /api/dash/inventory/devices            devices, where each is, working or not
// Lists take ?limit=&offset= (context.ts pageOf).
//   POST /api/dash/inventory/spares             a spare on the district's shelf
//   GET  /api/dash/inventory/loans
//   POST /api/dash/inventory/loans              lend a device to a station
//   POST /api/dash/inventory/loans/:loanId/return
//   GET  /api/dash/inventory/loans/:loanId/record   the printable loan record (HTML)
import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { LoanReturnRequestSchema, NewLoanRequestSchema, NewSpareRequestSchema } from '../../../../dash-api';
import { NotFoundError } from '../../../errors';
import { addSpare, listDevices } from '../../../inventory/devices';
import { loanRecordHtml } from '../../../inventory/loan-record';
import { createLoan, listLoans, loanDistrict, returnLoan } from '../../../inventory/loans';
import { DEFAULT_DISTRICT } from '../../../tenancy/scope';
import { auditByStaff, pageOf, parseBody, staffOf } from './context';
import { districtOf, scopeOf } from './scope';

const LoanParams = z.object({ loanId: z.string().max(64) });

export default async function inventoryRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/dash/inventory/devices', { config: { access: 'viewer' } }, async (request) =>
    listDevices(app.district.db, { scope: scopeOf(request) }, pageOf(request)),
  );

  app.post('/api/dash/inventory/spares', { config: { access: 'technician' } }, async (request) => {
    const spare = parseBody(request, NewSpareRequestSchema);
    const nowMs = app.district.now();
    const id = await addSpare(app.district.db, { ...spare, nowMs, district: districtOf(request) });
    await auditByStaff(request, {
      nowMs,
      action: 'inventory.spare-added',
      target: id,
      detail: spare,
    });
    return { id };
  });

  app.get('/api/dash/inventory/loans', { config: { access: 'viewer' } }, async (request) =>
    listLoans(app.district.db, { scope: scopeOf(request) }, pageOf(request)),
  );

  app.post('/api/dash/inventory/loans', { config: { access: 'technician' } }, async (request) => {
    const staff = staffOf(request);
    const loan = parseBody(request, NewLoanRequestSchema);
    const nowMs = app.district.now();
    const id = await createLoan(app.district.db, { ...loan, createdBy: staff.user.username, nowMs });
    await auditByStaff(request, {
      nowMs,
      action: 'inventory.loan-created',
      target: id,
      detail: loan,
    });
    return (await listLoans(app.district.db, { id }))[0];
  });

  app.post(
    '/api/dash/inventory/loans/:loanId/return',
    { config: { access: 'technician' } },
    async (request) => {
      const { loanId } = LoanParams.parse(request.params);
      const { returnedOn } = parseBody(request, LoanReturnRequestSchema);
      const nowMs = app.district.now();
      await returnLoan(app.district.db, { loanId, returnedOn, nowMs });
      await auditByStaff(request, {
        nowMs,
        action: 'inventory.loan-returned',
        target: loanId,
        detail: { returnedOn },
      });
      return (await listLoans(app.district.db, { id: loanId }))[0];
    },
  );

  app.get(
    '/api/dash/inventory/loans/:loanId/record',
    { config: { access: 'viewer' } },
    async (request, reply) => {
      const { loanId } = LoanParams.parse(request.params);
      const [loan] = await listLoans(app.district.db, { id: loanId, scope: scopeOf(request) });
      if (loan === undefined) {
        throw new NotFoundError('no such loan');
      }
      // The berita acara is the loan's district's: its name, the server's --district-name for the default one.
      const district = await loanDistrict(app.district.db, loanId);
      const districtName =
        district === null || district.code === DEFAULT_DISTRICT ? app.dashboard.districtName : district.name;
      return reply
        .header('content-type', 'text/html; charset=utf-8')
        .send(loanRecordHtml(loan, districtName));
    },
  );
}
