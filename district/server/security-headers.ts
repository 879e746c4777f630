// Security headers on every answer of the district, API and HTML alike (what @fastify/helmet would
// set, in one onSend hook): a Content-Security-Policy (the dashboard's for HTML, nothing at all for
// JSON and other data), nosniff, no framing, no referrer, and HSTS when the request came over HTTPS
// (directly, or through a proxy the operator configured as trusted: request.protocol follows its
// X-Forwarded-Proto only then).
import type { FastifyInstance } from 'fastify';

/** The dashboard, the public page and printable records: scripts and styles from the district only. */
export const HTML_CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
/** JSON, CSV and anything else that is not a page: nothing may load or frame it as one. */
export const DATA_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";
/** One year; browsers remember to use HTTPS only. */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000; includeSubDomains';

export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const type = String(reply.getHeader('content-type') ?? '');
    void reply.headers({
      'content-security-policy': type.startsWith('text/html')
        ? HTML_CONTENT_SECURITY_POLICY
        : DATA_CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
    });
    if (request.protocol === 'https') {
      void reply.header('strict-transport-security', STRICT_TRANSPORT_SECURITY);
    }
    return payload;
  });
}
