// GET /api/dash/escalation/settings (viewer) and POST (admin): the escalation rules and contacts of
// one district (the user's own, or `?district=` for a province or national account), as
// escalation/district-settings.ts keeps them. A district's staff never read or change another's.
import type { FastifyInstance } from 'fastify';
import type { EscalationSettingsView } from '../../../../dash-api';
import { EscalationSettingsSchema } from '../../../../dash-api';
import { webhooksNotAllowed } from '../../../escalation/config';
import { escalationSettingsOf, saveEscalationSettings } from '../../../escalation/district-settings';
import { InvalidInputError } from '../../../errors';
import { auditByStaff, parseBody, staffOf } from './context';
import { districtOf } from './scope';

export default async function escalationSettingsRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/api/dash/escalation/settings',
    { config: { access: 'viewer' } },
    async (request): Promise<EscalationSettingsView> =>
      escalationSettingsOf(app.district.db, app.dashboard.escalationConfig, districtOf(request)),
  );

  app.post(
    '/api/dash/escalation/settings',
    { config: { access: 'admin' } },
    async (request): Promise<EscalationSettingsView> => {
      const district = districtOf(request);
      const settings = parseBody(request, EscalationSettingsSchema);
      const refused = webhooksNotAllowed(app.dashboard.escalationConfig, settings.contacts);
      if (refused.length > 0) {
        throw new InvalidInputError(
          `webhook hanya ke host yang diizinkan pengelola layanan (webhookHosts): ${refused.join(', ')} ` +
            `(webhooks only to hosts the service operator allows)`,
          'webhook-host-not-allowed',
        );
      }
      const nowMs = app.district.now();
      await saveEscalationSettings(app.district.db, district, settings, {
        username: staffOf(request).user.username,
        nowMs,
      });
      await auditByStaff(request, {
        nowMs,
        action: 'escalation.settings-saved',
        target: district,
        detail: { rules: settings.rules.length, contacts: Object.keys(settings.contacts).length },
      });
      return escalationSettingsOf(app.district.db, app.dashboard.escalationConfig, district);
    },
  );
}
