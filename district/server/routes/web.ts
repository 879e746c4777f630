// The dashboard's browser files, built by scripts/build.mjs into dist/district-web: `/` (staff)
// serves index.html, with the board's first view for a signed-in district user (first-view.ts). `/publik` for residents is server-rendered HTML (routes/public.ts). The
// Content-Security-Policy and the other security headers come from security-headers.ts.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { firstViews } from './first-view';
import { compress, contentCoding, encode, matchesEntityTag } from './http-coding';

/** dist/district-web from the working directory, from the source tree, or next to the bundled CLI. */
export function defaultWebDir(): string {
  const candidates = [
    join(process.cwd(), 'dist', 'district-web'),
    fileURLToPath(new URL('../../../dist/district-web', import.meta.url)),
    fileURLToPath(new URL('../district-web', import.meta.url)),
  ];
  return candidates.find((candidate) => existsSync(join(candidate, 'index.html'))) ?? candidates[0];
}

/** A chunk's file name as esbuild writes it (`Figures-5TQ2DNZ4.js`): nothing else is served from there. */
const CHUNK_FILE = /^[A-Za-z0-9_-]+-[A-Z0-9]{8}\.(js|css|js\.map)$/;
const CHUNK_TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  'js.map': 'application/json',
};
/** Hashed names never change content: a year, without revalidation. */
const CHUNK_CACHING = 'public, max-age=31536000, immutable';

export default async function webRoutes(app: FastifyInstance, options: { webDir: string }): Promise<void> {
  /**
   * The files compressed once per coding and version (ETag): app.js and its chunks are about a
   * third of their size in gzip, which a district office's slow link feels. A rebuild's files have
   * new ETags; the old versions' entries stay until the server restarts (a few hundred KB each).
   */
  const compressed = new Map<string, Buffer>();
  /**
   * Sends a built file, compressed as the browser accepts, with an ETag (its size and time of
   * writing) and answers a matching If-None-Match (a list, `*`, compared weakly) with 304: a browser revalidating a no-cache file (index.html, app.js) reuses its
   * copy, and with it the compiled code Chromium keeps beside a cached script.
   */
  const send = (
    request: FastifyRequest,
    reply: FastifyReply,
    file: string,
    type: string,
    caching: string = 'no-cache',
  ): FastifyReply => {
    const path = join(options.webDir, file);
    if (!existsSync(path)) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send(`dashboard not built: ${path} is missing (npm run build)`);
    }
    const stats = statSync(path);
    const etag = `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;
    void reply
      .header('content-type', type)
      .header('cache-control', caching)
      .header('etag', etag)
      .header('vary', 'accept-encoding');
    if (matchesEntityTag(request.headers['if-none-match'], etag)) {
      return reply.code(304).send();
    }
    const coding = contentCoding(request);
    if (coding === null) {
      return reply.send(readFileSync(path));
    }
    const key = `${coding} ${file} ${etag}`;
    let body = compressed.get(key);
    if (body === undefined) {
      body = encode(readFileSync(path), coding);
      compressed.set(key, body);
    }
    return reply.header('content-encoding', coding).send(body);
  };
  const firstView = firstViews(app, options.webDir);
  app.get('/', { config: { access: 'public' } }, async (request, reply) => {
    const indexPath = join(options.webDir, 'index.html');
    const page =
      request.staff === null || !existsSync(indexPath)
        ? null
        : await firstView.page(request, readFileSync(indexPath, 'utf8'));
    if (page === null) {
      return send(request, reply, 'index.html', 'text/html; charset=utf-8');
    }
    // One user's board: never stored (not by a proxy, nor by the browser for Back after logging
    // out), never a 304 against the plain page's ETag. Vary: the same URL is another page without the cookie.
    void reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'private, no-store')
      .header('vary', 'cookie, accept-encoding');
    return reply.send(compress(request, reply, Buffer.from(page)));
  });
  app.get('/app.js', { config: { access: 'public' } }, async (request, reply) =>
    send(request, reply, 'app.js', 'text/javascript; charset=utf-8'),
  );
  // The stylesheets bundled with the app (uPlot's, for the forecast charts).
  app.get('/app.css', { config: { access: 'public' } }, async (request, reply) =>
    send(request, reply, 'app.css', 'text/css; charset=utf-8'),
  );
  app.get('/app.js.map', { config: { access: 'public' } }, async (request, reply) =>
    send(request, reply, 'app.js.map', 'application/json'),
  );
  // The pages other than the board, split off by scripts/dashboard-web-build.mjs: each name carries
  // its content's hash, so a browser keeps it a year without asking again; a new build has new names.
  // A name this build does not have (a tab opened before an update asking for its old chunk) is 404.
  app.get<{ Params: { file: string } }>(
    '/chunks/:file',
    { config: { access: 'public' } },
    async (request, reply) => {
      const match = CHUNK_FILE.exec(request.params.file);
      const file = join('chunks', request.params.file);
      if (match === null || !existsSync(join(options.webDir, file))) {
        return reply.code(404).type('text/plain; charset=utf-8').send('not found');
      }
      return send(request, reply, file, CHUNK_TYPES[match[1]] ?? 'application/octet-stream', CHUNK_CACHING);
    },
  );
}
