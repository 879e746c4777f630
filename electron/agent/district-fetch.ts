// The `fetch` the station uses to talk to its district: with a CA or certificate pinned at
// enrollment (`siaga enroll --ca FILE`, kept in identity.json) HTTPS is verified against that PEM
// only; without one, the global fetch and the system's trusted roots. Only what the outbox and
// enrollment use is supported: method, headers, a string or Buffer body, an abort signal.
import http from 'node:http';
import https from 'node:https';

export function districtFetch(caPem: string | undefined): typeof fetch {
  if (caPem === undefined) {
    return fetch;
  }
  return ((input: string | URL | Request, init?: RequestInit) =>
    requestWithCa(new URL(String(input)), init ?? {}, caPem)) as typeof fetch;
}

function requestWithCa(url: URL, init: RequestInit, caPem: string): Promise<Response> {
  const headers = new Headers(init.headers);
  const body = init.body;
  if (body !== undefined && body !== null && typeof body !== 'string' && !Buffer.isBuffer(body)) {
    return Promise.reject(new TypeError('districtFetch sends string or Buffer bodies only'));
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
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const replyHeaders = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            for (const each of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
              replyHeaders.append(name, each);
            }
          }
          const status = response.statusCode ?? 500;
          const noBody = status === 204 || status === 304;
          resolve(new Response(noBody ? null : Buffer.concat(chunks), { status, headers: replyHeaders }));
        });
      },
    );
    request.on('error', reject);
    request.end(body ?? undefined);
  });
}
