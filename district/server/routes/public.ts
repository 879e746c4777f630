// /publik (and /publik/) for residents: the public board as light server-rendered HTML
// (stations/public-page.ts), cached 30 s by browsers and proxies (ETag too), compressed with
// brotli or gzip as the browser accepts; /favicon.ico. No session, no script.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { board, publicBoard } from '../stations/board';
import { renderPublicPage } from '../stations/public-page';

const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
export const PUBLIC_MAX_AGE_SECONDS = 30;

/** A small inline icon for a district run without the project's resources folder. */
const FALLBACK_ICON = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#14532d"/><path d="M4 8.5l2.5 2.5L12 5" stroke="#fff" stroke-width="2" fill="none"/></svg>',
);

function favicon(): { body: Buffer; type: string } {
  const candidates = [
    `${process.cwd()}/resources/icons/icon.ico`,
    fileURLToPath(new URL('../../../resources/icons/icon.ico', import.meta.url)),
  ];
  const found = candidates.find((candidate) => existsSync(candidate));
  return found === undefined
    ? { body: FALLBACK_ICON, type: 'image/svg+xml' }
    : { body: readFileSync(found), type: 'image/x-icon' };
}

/** The body as the browser accepts it: brotli, then gzip, else as is. */
function compress(request: FastifyRequest, reply: FastifyReply, body: Buffer): Buffer {
  const accepted = String(request.headers['accept-encoding'] ?? '');
  void reply.header('vary', 'accept-encoding');
  if (/\bbr\b/.test(accepted)) {
    void reply.header('content-encoding', 'br');
    return brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } });
  }
  if (/\bgzip\b/.test(accepted)) {
    void reply.header('content-encoding', 'gzip');
    return gzipSync(body);
  }
  return body;
}

export default async function publicRoutes(app: FastifyInstance): Promise<void> {
  const page = async (request: FastifyRequest<{ Querystring: { lang?: string } }>, reply: FastifyReply) => {
    const language = request.query.lang === 'en' ? 'en' : 'id';
    const html = Buffer.from(
      renderPublicPage(
        publicBoard(await board(app.district.db, app.district.now(), app.dashboard.heartbeatWindowMs)),
        { districtName: app.dashboard.districtName, language },
      ),
    );
    const etag = `"${createHash('sha256').update(html).digest('base64url').slice(0, 22)}"`;
    void reply
      .header('cache-control', `public, max-age=${PUBLIC_MAX_AGE_SECONDS}`)
      .header('etag', etag)
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'same-origin');
    if (request.headers['if-none-match'] === etag) {
      return reply.code(304).send();
    }
    return reply.type('text/html; charset=utf-8').send(compress(request, reply, html));
  };
  for (const url of ['/publik', '/publik/']) {
    app.get<{ Querystring: { lang?: string } }>(url, { config: { access: 'public' } }, page);
  }
  const icon = favicon();
  app.get('/favicon.ico', { config: { access: 'public' } }, async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=86400').type(icon.type).send(icon.body),
  );
}
