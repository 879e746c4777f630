// /publik/<district code> for residents: the district's public board as light server-rendered HTML
// (stations/public-page.ts), cached 30 s by browsers and proxies (ETag too), compressed with
// brotli or gzip as the browser accepts (q-values honoured); /favicon.ico. No session, no script.
// /publik (and /publik/): the board of the service's only district (a district's own server), or a
// list of links when it holds several. An unknown code answers a 404 page in Indonesian.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { board, publicBoard } from '../stations/board';
import { compress, matchesEntityTag } from './http-coding';
import type { PublicLanguage } from '../stations/public-page';
import {
  publicPath,
  renderPublicIndex,
  renderPublicNotFound,
  renderPublicPage,
} from '../stations/public-page';
import { publicDistricts } from '../tenancy/districts';
import { DEFAULT_DISTRICT } from '../tenancy/scope';

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

export default async function publicRoutes(app: FastifyInstance): Promise<void> {
  type PublicRequest = FastifyRequest<{ Querystring: { lang?: string }; Params: { district?: string } }>;
  const send = (request: PublicRequest, reply: FastifyReply, text: string, status = 200) => {
    const html = Buffer.from(text);
    // Weak: the page is the same whatever its content coding, but the bytes are not.
    const etag = `W/"${createHash('sha256').update(html).digest('base64url').slice(0, 22)}"`;
    void reply
      .header('cache-control', `public, max-age=${PUBLIC_MAX_AGE_SECONDS}`)
      .header('vary', 'accept-encoding')
      .header('etag', etag)
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'same-origin');
    if (status === 200 && matchesEntityTag(request.headers['if-none-match'], etag)) {
      return reply.code(304).send();
    }
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(compress(request, reply, html));
  };
  const languageOf = (request: PublicRequest): PublicLanguage => (request.query.lang === 'en' ? 'en' : 'id');
  const districtPage = async (
    request: PublicRequest,
    reply: FastifyReply,
    district: { code: string; name: string },
    options: { path: string; listed: boolean },
  ) =>
    send(
      request,
      reply,
      renderPublicPage(
        publicBoard(
          await board(app.district.db, app.district.now(), app.dashboard.heartbeatWindowMs, district.code),
        ),
        {
          // The default district is the office running this server: its name is the server's own.
          districtName: district.code === DEFAULT_DISTRICT ? app.dashboard.districtName : district.name,
          language: languageOf(request),
          ...options,
        },
      ),
    );

  const index = async (request: PublicRequest, reply: FastifyReply) => {
    const districts = await publicDistricts(app.district.db);
    if (districts.length > 1) {
      return send(request, reply, renderPublicIndex(districts, { language: languageOf(request) }));
    }
    const only = districts[0] ?? { code: DEFAULT_DISTRICT, name: app.dashboard.districtName };
    return districtPage(request, reply, only, { path: '/publik', listed: false });
  };
  for (const url of ['/publik', '/publik/']) {
    app.get(url, { config: { access: 'public' } }, index);
  }
  const districtRoute = async (request: PublicRequest, reply: FastifyReply) => {
    const code = request.params.district ?? '';
    const districts = await publicDistricts(app.district.db);
    const found =
      districts.find((district) => district.code === code) ??
      // The default district before it has stations (a new server): its page exists, empty.
      (code === DEFAULT_DISTRICT ? { code, name: app.dashboard.districtName } : undefined);
    if (found === undefined) {
      return send(request, reply, renderPublicNotFound({ language: languageOf(request) }), 404);
    }
    return districtPage(request, reply, found, {
      path: publicPath(found.code),
      listed: districts.length > 1,
    });
  };
  for (const url of ['/publik/:district', '/publik/:district/']) {
    app.get(url, { config: { access: 'public' } }, districtRoute);
  }
  // Anything else under /publik a resident may type or paste (`//`, a second segment, `..` kept
  // by a client) is the same Indonesian 404 page, not the API's JSON.
  app.get('/publik/*', { config: { access: 'public' } }, async (request: PublicRequest, reply) =>
    send(request, reply, renderPublicNotFound({ language: languageOf(request) }), 404),
  );
  const icon = favicon();
  app.get('/favicon.ico', { config: { access: 'public' } }, async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=86400').type(icon.type).send(icon.body),
  );
}
