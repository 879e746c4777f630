// What the dashboard routes share: options, the signed-in staff member, and the check of a JSON
// body (parsed by fastify) against its schema in dash-api.ts.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { MAX_PAGE_SIZE, PageQuerySchema } from '../../../../dash-api';
import type { Page } from '../../../../dash-api';
import { audit } from '../../../auth/audit';
import type { Access } from '../../../auth/roles';
import type { Session } from '../../../auth/sessions';
import { DistrictError, InvalidInputError } from '../../../errors';
import { singleDistrict } from '../../../tenancy/scope';
import type { EscalationConfig } from '../../../escalation/config';
import type { EscalationTimer } from '../../../escalation/scheduler';
import type { Notifier } from '../../../notify/types';

export interface DashboardContext {
  heartbeatWindowMs: number;
  /** The office's name on printed records, e.g. `Disdukcapil Kabupaten Sragen`. */
  districtName: string;
  /** Set the session cookie's Secure flag (serve behind HTTPS). */
  secureCookies: boolean;
  /** Null when escalation is off (no rules configured). */
  escalation: EscalationTimer | null;
  /** The server's --escalation file (or the defaults): the default district's rules until it saves its own. */
  escalationConfig: EscalationConfig;
  /** Hours a fault must be open before an escalation letter (escalation/config.ts letterThresholdHours). */
  letterThresholdHours: number;
  /** Tells technicians of accepted loans (the escalation's notifier unless one is given); null: nobody. */
  notifier: Notifier | null;
  /** The dashboard's address for links in messages ('' when unknown). */
  dashboardUrl: string;
  /** Every dashboard route and who may call it, as registered (for the authorization tests and docs). */
  routes: { method: string; url: string; access: Access }[];
}

declare module 'fastify' {
  interface FastifyInstance {
    dashboard: DashboardContext;
  }
  interface FastifyRequest {
    staff: Session | null;
  }
  interface FastifyContextConfig {
    /** Who may call the route; every dashboard route must say (auth/roles.ts). */
    access?: Access;
  }
}

/** The request's body checked against its schema; a request without a JSON body is `malformed`. */
export function parseBody<Schema extends z.ZodType>(
  request: FastifyRequest,
  schema: Schema,
): z.infer<Schema> {
  if (request.body === undefined) {
    throw new InvalidInputError('the body is not JSON', 'malformed');
  }
  const parsed = schema.safeParse(request.body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidInputError(`${issue.path.join('.') || '(body)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** `?limit=&offset=` of a list (dash-api.ts PageQuerySchema); a bad one is `invalid`. */
export function pageOf(request: FastifyRequest): Page {
  const parsed = PageQuerySchema.safeParse(request.query);
  if (!parsed.success) {
    throw new InvalidInputError(`limit is 1-${MAX_PAGE_SIZE} and offset 0 or more`);
  }
  return parsed.data;
}

/** The signed-in staff member; the auth hook guarantees one on every non-public route. */
export function staffOf(request: FastifyRequest): Session {
  if (request.staff === null) {
    throw new DistrictError(401, 'login-required', 'sign in first');
  }
  return request.staff;
}

/** Writes the audit row for a change the signed-in staff member made with this request. */
export async function auditByStaff(
  request: FastifyRequest,
  entry: { nowMs: number; action: string; target: string; detail?: unknown },
): Promise<void> {
  await audit(request.server.district.db, {
    ...entry,
    user: staffOf(request).user,
    ip: request.ip,
    district: request.scope === null ? null : singleDistrict(request.scope),
  });
}

export function sendCsv(reply: FastifyReply, fileName: string, csv: string): FastifyReply {
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${fileName}"`)
    .send(csv);
}
