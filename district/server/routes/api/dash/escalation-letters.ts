// Escalation letters (escalation/letter/):
//   GET  /api/dash/escalation-letters/settings          letterhead, numbering, signatory (viewer)
//   POST /api/dash/escalation-letters/settings          save them (admin); a refusal names every bad field
//   GET  /api/dash/escalation-letters?station=&fault=    may a letter be written now, and those written (viewer)
//   POST /api/dash/escalation-letters                   issue one: a new number (technician)
//   GET  /api/dash/escalation-letters/:letterId/pdf      the letter as issued, as PDF (viewer)
// Settings are the request's district's (districtOf); a letter is of its fault's station's district
// (its letterhead and numbering); another district's station or letter answers 404 (scope hook).
import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { LetterSettingsRequestSchema, NewEscalationLetterRequestSchema } from '../../../../dash-api';
import type { EscalationLetterStatus, FieldErrors } from '../../../../dash-api';
import { InvalidInputError, NotFoundError } from '../../../errors';
import {
  issueLetter,
  letterDocument,
  letterFault,
  letterRefusal,
  lettersOfFault,
} from '../../../escalation/letter/register';
import { checkLogo, letterFonts, renderLetter } from '../../../escalation/letter/render';
import { letterSettings, saveLetterSettings } from '../../../escalation/letter/settings';
import { districtOfId } from '../../../tenancy/scope';
import { auditByStaff, parseBody, staffOf } from './context';
import { districtOf, scopeOf } from './scope';

const FaultQuery = z.object({ station: z.string().min(1).max(64), fault: z.string().min(1).max(128) });
const LetterParams = z.object({ letterId: z.string().max(64) });

export default async function escalationLetterRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/dash/escalation-letters/settings', { config: { access: 'viewer' } }, async (request) =>
    letterSettings(app.district.db, districtOf(request)),
  );

  app.post(
    '/api/dash/escalation-letters/settings',
    { config: { access: 'admin' } },
    async (request, reply) => {
      const district = districtOf(request);
      if (request.body === undefined) {
        throw new InvalidInputError('the body is not JSON', 'malformed');
      }
      const parsed = LetterSettingsRequestSchema.safeParse(request.body);
      const fields: Record<string, string> = {};
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const path = issue.path.join('.') || '(body)';
          fields[path] ??= issue.message;
        }
      }
      // The logo is checked whatever else is wrong, so one refusal names every bad field.
      const logo = (request.body as { logo?: unknown } | null)?.logo;
      if (fields.logo === undefined && typeof logo === 'string') {
        try {
          await checkLogo(logo);
        } catch (error) {
          if (!(error instanceof InvalidInputError)) {
            throw error;
          }
          fields.logo = error.message.replace(/^logo: /, '');
        }
      }
      const [first] = Object.entries(fields);
      if (!parsed.success || first !== undefined) {
        const refusal: FieldErrors = { error: 'invalid', message: `${first[0]}: ${first[1]}`, fields };
        return reply.code(400).send(refusal);
      }
      const nowMs = app.district.now();
      await saveLetterSettings(app.district.db, parsed.data, {
        username: staffOf(request).user.username,
        nowMs,
      }, district);
      await auditByStaff(request, {
        nowMs,
        action: 'escalation.letter-settings',
        target: 'escalation-letters',
        detail: {
          ...parsed.data,
          logo: parsed.data.logo === '' ? '' : `(${parsed.data.logo.length} base64 characters)`,
        },
      });
      return letterSettings(app.district.db, district);
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
      const found = await letterFault(app.district.db, station, faultId, nowMs);
      if (found === null) {
        throw new NotFoundError('Gangguan tidak ditemukan (no such fault)');
      }
      const thresholdHours = app.dashboard.letterThresholdHours;
      const reason = letterRefusal(found.fault, thresholdHours);
      return {
        thresholdHours,
        eligible: reason === null,
        reason,
        configured: (await letterSettings(app.district.db, (await districtOfId(app.district.db, 'station', station)) ?? undefined))
          .configured,
        letters: await lettersOfFault(app.district.db, station, faultId),
      };
    },
  );

  app.post('/api/dash/escalation-letters', { config: { access: 'technician' } }, async (request) => {
    const letterRequest = parseBody(request, NewEscalationLetterRequestSchema);
    // A letter that cannot be printed is not given a number: the 503 font-missing comes first.
    letterFonts();
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
      const found = await letterDocument(app.district.db, letterId, scopeOf(request));
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
