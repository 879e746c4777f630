// Escalation letters (escalation/letter/):
//   GET  /api/dash/escalation-letters/settings          letterhead, numbering, signatory (viewer)
//   POST /api/dash/escalation-letters/settings          save them (admin); a refusal names every bad field
//   GET  /api/dash/escalation-letters?station=&fault=    may a letter be written now, and those written (viewer)
//   POST /api/dash/escalation-letters                   issue one: a new number (technician)
//   GET  /api/dash/escalation-letters/:letterId/pdf      the letter as issued, as PDF (viewer)
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { LetterSettingsRequestSchema, NewEscalationLetterRequestSchema } from '../../../../dash-api';
import type { EscalationLetterStatus, FieldErrors } from '../../../../dash-api';
import { InvalidInputError, NotFoundError } from '../../../errors';
import { faultDetail } from '../../../faults/lifecycle';
import {
  issueLetter,
  letterDocument,
  letterRefusal,
  lettersOfFault,
} from '../../../escalation/letter/register';
import { checkLogo, renderLetter } from '../../../escalation/letter/render';
import { letterSettings, saveLetterSettings } from '../../../escalation/letter/settings';
import { auditByStaff, parseBody, staffOf } from './context';
import { scopeOf } from './scope';
import { scopeCoversService } from '../../../tenancy/scope';

const FaultQuery = z.object({ station: z.string().min(1).max(64), fault: z.string().min(1).max(128) });
const LetterParams = z.object({ letterId: z.string().max(64) });

export default async function escalationLetterRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/dash/escalation-letters/settings', { config: { access: 'viewer' } }, async () =>
    letterSettings(app.district.db),
  );

  app.post(
    '/api/dash/escalation-letters/settings',
    { config: { access: 'admin' } },
    async (request, reply) => {
      if (request.body === undefined) {
        throw new InvalidInputError('the body is not JSON', 'malformed');
      }
      // One letterhead serves every district of the service (not yet per district): only an account
      // that holds all of them may change it, never one district's admin over its neighbours' letters.
      if (!(await scopeCoversService(app.district.db, scopeOf(request)))) {
        return reply.code(403).send({
          error: 'forbidden',
          message:
            'Kop surat dipakai semua kabupaten/kota di layanan ini; hanya admin nasional yang dapat mengubahnya (the letterhead is shared by every district of this service: only a national admin may change it)',
        });
      }
      const parsed = LetterSettingsRequestSchema.safeParse(request.body);
      if (!parsed.success) {
        const fields: Record<string, string> = {};
        for (const issue of parsed.error.issues) {
          const path = issue.path.join('.') || '(body)';
          fields[path] ??= issue.message;
        }
        const [first] = Object.entries(fields);
        const refusal: FieldErrors = { error: 'invalid', message: `${first[0]}: ${first[1]}`, fields };
        return reply.code(400).send(refusal);
      }
      try {
        await checkLogo(parsed.data.logo);
      } catch (error) {
        if (error instanceof InvalidInputError) {
          const refusal: FieldErrors = {
            error: 'invalid',
            message: error.message,
            fields: { logo: error.message.replace(/^logo: /, '') },
          };
          return reply.code(400).send(refusal);
        }
        throw error;
      }
      const nowMs = app.district.now();
      await saveLetterSettings(app.district.db, parsed.data, {
        username: staffOf(request).user.username,
        nowMs,
      });
      await auditByStaff(request, {
        nowMs,
        action: 'escalation.letter-settings',
        target: 'escalation-letters',
        detail: {
          ...parsed.data,
          logo: parsed.data.logo === '' ? '' : `(${parsed.data.logo.length} base64 characters)`,
        },
      });
      return letterSettings(app.district.db);
    },
  );

  app.get(
    '/api/dash/escalation-letters',
    { config: { access: 'viewer' } },
    async (request): Promise<EscalationLetterStatus> => {
      const query = FaultQuery.safeParse(request.query);
      if (!query.success) {
        throw new InvalidInputError('station and fault are required (?station=ID&fault=ID)');
      }
      const { station, fault: faultId } = query.data;
      const nowMs = app.district.now();
      const fault = await faultDetail(app.district.db, station, faultId, nowMs);
      if (fault === null) {
        throw new NotFoundError('Gangguan tidak ditemukan (no such fault)');
      }
      const thresholdHours = app.dashboard.letterThresholdHours;
      const reason = letterRefusal(fault, thresholdHours);
      return {
        thresholdHours,
        eligible: reason === null,
        reason,
        configured: (await letterSettings(app.district.db)).configured,
        letters: await lettersOfFault(app.district.db, station, faultId),
      };
    },
  );

  app.post('/api/dash/escalation-letters', { config: { access: 'technician' } }, async (request) => {
    const letterRequest = parseBody(request, NewEscalationLetterRequestSchema);
    const nowMs = app.district.now();
    const letter = await issueLetter(app.district.db, {
      request: letterRequest,
      username: staffOf(request).user.username,
      nowMs,
      thresholdHours: app.dashboard.letterThresholdHours,
    });
    await auditByStaff(request, {
      nowMs,
      action: 'escalation.letter-issued',
      target: `${letter.stationId}/${letter.faultId}`,
      detail: { number: letter.number, recipient: letter.recipient },
    });
    return letter;
  });

  app.get(
    '/api/dash/escalation-letters/:letterId/pdf',
    { config: { access: 'viewer' } },
    async (request, reply) => {
      const { letterId } = LetterParams.parse(request.params);
      const found = await letterDocument(app.district.db, letterId);
      if (found === null) {
        throw new NotFoundError('Surat tidak ditemukan (no such letter)');
      }
      const { pdf } = await renderLetter(found.document, { title: `Surat ${found.letter.number}` });
      const fileName = `surat-eskalasi-${found.letter.number.replace(/[^A-Za-z0-9-]+/g, '-')}.pdf`;
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `inline; filename="${fileName}"`)
        .header('cache-control', 'private, no-store')
        .send(pdf);
    },
  );
}
