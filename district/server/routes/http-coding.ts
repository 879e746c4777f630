// HTTP content coding and conditional requests, shared by the resident's page (public.ts) and the
// dashboard's built files (web.ts): which coding the browser accepts, the body in it, and whether
// an If-None-Match answers with 304.
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The weight the browser gives a content coding in Accept-Encoding (RFC 9110 12.5.3): codings are
 * case-insensitive, `q=0` refuses one, `*` stands for any coding not named; an empty header or a
 * coding not named (without `*`) gets 0.
 */
export function codingWeight(acceptEncoding: string, coding: string): number {
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(',')) {
    const [name, ...parameters] = part.split(';').map((text) => text.trim());
    if (name === '') {
      continue;
    }
    const quality = parameters.find((parameter) => parameter.startsWith('q='));
    const weight = quality === undefined ? 1 : Number(quality.slice(2));
    weights.set(name, Number.isFinite(weight) ? weight : 0);
  }
  return weights.get(coding) ?? weights.get('*') ?? 0;
}

/** The coding the browser accepts: brotli unless it prefers gzip, then gzip, else none (null). */
export function contentCoding(request: FastifyRequest): 'br' | 'gzip' | null {
  const accepted = String(request.headers['accept-encoding'] ?? '');
  const brotli = codingWeight(accepted, 'br');
  const gzip = codingWeight(accepted, 'gzip');
  return brotli > 0 && brotli >= gzip ? 'br' : gzip > 0 ? 'gzip' : null;
}

/** `body` in `coding` (brotli at quality 5: a fraction of the time of 11 for a few percent more). */
export function encode(body: Buffer, coding: 'br' | 'gzip'): Buffer {
  return coding === 'br'
    ? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } })
    : gzipSync(body);
}

/** The body as the browser accepts it (`contentCoding`), with its Content-Encoding header. */
export function compress(request: FastifyRequest, reply: FastifyReply, body: Buffer): Buffer {
  const coding = contentCoding(request);
  if (coding === null) {
    return body;
  }
  void reply.header('content-encoding', coding);
  return encode(body, coding);
}

/**
 * If-None-Match as caches send it: `*`, or a list of tags compared weakly (RFC 9110 13.1.2), so
 * that a proxy that turned the tag weak while compressing still gets its 304.
 */
export function matchesEntityTag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) {
    return false;
  }
  const opaque = (tag: string): string => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((tag) => opaque(tag) === opaque(etag));
}
