// The `fetch` one end of a signed link uses to talk to the other (a station to its district, a
// district server to the province's service it forwards to): with a CA or certificate pinned at
// enrollment (`siaga enroll --ca FILE`, `siaga-district upstream enroll --ca FILE`) HTTPS is
// verified against that PEM only; without one, the global fetch and the system's trusted roots.
// Only what the outboxes and enrollment use is supported: method, headers, a string or Buffer body,
// an abort signal.
//
// Neither follows a redirect: the URL is the one the technician gave, and a redirect
// (a proxy's http:// rewrite, or someone on the path) would carry the enrollment code or the signed
// reports where it never said; a 3xx is an error naming where it pointed. A reply body is read
// with readReplyBody, which stops at MAX_REPLY_BYTES, so a fake district cannot fill the memory.
import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { MAX_REPLY_BYTES } from '../protocol/requests';

export function pinnedFetch(caPem: string | undefined): typeof fetch {
  const send =
    caPem === undefined
      ? (url: URL, init: RequestInit) => fetch(url, { ...init, redirect: 'manual' })
      : (url: URL, init: RequestInit) => requestWithCa(url, init, caPem);
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    return refuseRedirect(url, await send(url, init ?? {}));
  }) as typeof fetch;
}

function refuseRedirect(url: URL, response: Response): Response {
  if (response.status >= 300 && response.status < 400) {
    void response.body?.cancel().catch(() => undefined);
    const location = response.headers.get('location') ?? '(no location)';
    throw new Error(
      `the district answered ${url.origin} with a redirect (HTTP ${response.status} to ${location.slice(0, 200)}); not followed: give the address the district really has`,
    );
  }
  return response;
}

/** The reply's body bytes; throws (and stops reading) once it is larger than `maxBytes`. */
export async function readReplyBody(response: Response, maxBytes: number = MAX_REPLY_BYTES): Promise<Buffer> {
  const tooLarge = () => new Error(`the reply is larger than ${maxBytes} bytes: not read`);
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (response.body === null) {
    return Buffer.alloc(0);
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      return Buffer.concat(chunks);
    }
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
}

function requestWithCa(url: URL, init: RequestInit, caPem: string): Promise<Response> {
  const headers = new Headers(init.headers);
  const body = init.body;
  if (body !== undefined && body !== null && typeof body !== 'string' && !Buffer.isBuffer(body)) {
    return Promise.reject(new TypeError('pinnedFetch sends string or Buffer bodies only'));
  }
  return new Promise<Response>((resolve, reject) => {
    const transport = url.protocol === 'https:' ? https : http;
    const request = transport.request(
      url,
      {
        method: init.method ?? 'GET',
        headers: Object.fromEntries(headers.entries()),
        signal: init.signal ?? undefined,
        ...(url.protocol === 'https:' ? { ca: caPem } : {}),
      },
      (response) => {
        const replyHeaders = new Headers();
        for (const [name, value] of Object.entries(response.headers)) {
          for (const each of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
            replyHeaders.append(name, each);
          }
        }
        const status = response.statusCode ?? 500;
        const noBody = status === 204 || status === 304;
        if (noBody) {
          response.resume();
        }
        // Streamed, not buffered here: readReplyBody decides how much is read.
        const stream = noBody ? null : (Readable.toWeb(response) as WebReadableStream<Uint8Array>);
        resolve(new Response(stream as ReadableStream<Uint8Array> | null, { status, headers: replyHeaders }));
      },
    );
    request.on('error', reject);
    request.end(body ?? undefined);
  });
}
