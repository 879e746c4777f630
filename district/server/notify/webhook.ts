// One webhook POST whose host is resolved once, checked address by address (webhook-address.ts),
// and connected to at exactly the addresses checked: the socket's own lookup is pinned to them, so
// no second DNS answer (DNS rebinding) can slip between the check and the connect. TLS still
// verifies the certificate against the host name. Redirects are not followed (a 3xx is a failure):
// a listed host could otherwise send the server anywhere.
import { lookup as systemLookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { IpNetwork } from './webhook-address';
import { addressRefusal, parseIpAddress } from './webhook-address';

/** Every address of a host name, as the system's resolver (getaddrinfo: /etc/hosts, DNS) gives them. */
export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

export const systemResolver: Resolver = (hostname) => systemLookup(hostname, { all: true, verbatim: true });

/** The webhook was not sent: its host's address is not one the server may connect to. */
export class WebhookRefusedError extends Error {
  override readonly name = 'WebhookRefusedError';
}

export interface WebhookOptions {
  timeoutMs: number;
  /** The operator's webhookAddresses, parsed. */
  allowed: readonly IpNetwork[];
  resolve: Resolver;
}

/** Resolves within `timeoutMs` or rejects (a resolver that never answers must not hold the pass). */
async function resolveWithin(resolve: Resolver, hostname: string, timeoutMs: number): Promise<{ address: string; family: number }[]> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      resolve(hostname),
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`webhook ${hostname}: no DNS answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The addresses the webhook may connect to; throws WebhookRefusedError naming each refused one. */
export async function checkedAddresses(
  url: URL,
  options: Pick<WebhookOptions, 'allowed' | 'resolve' | 'timeoutMs'>,
): Promise<{ address: string; family: 4 | 6 }[]> {
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const literal = parseIpAddress(hostname) !== null;
  const resolved = literal
    ? [{ address: hostname, family: hostname.includes(':') ? 6 : 4 }]
    : await resolveWithin(options.resolve, hostname, options.timeoutMs);
  if (resolved.length === 0) {
    throw new Error(`webhook ${hostname}: no address`);
  }
  // Every address must pass: a name with one public and one internal address is refused whole,
  // so no fallback between them can reach the inside.
  const refused = resolved.flatMap(({ address }) => {
    const refusal = addressRefusal(address, options.allowed);
    return refusal === null ? [] : [`${address} (${refusal.text})`];
  });
  if (refused.length > 0) {
    throw new WebhookRefusedError(
      `webhook ditolak / refused: ${hostname}${literal ? '' : ' ->'} ${refused.join(', ')}`,
    );
  }
  return resolved.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
}

/** A lookup that answers only the addresses given, whatever name it is asked. */
function pinnedLookup(addresses: { address: string; family: 4 | 6 }[]): LookupFunction {
  return (_hostname, options, callback) => {
    const wanted = addresses.filter((entry) => !options.family || entry.family === options.family);
    if (wanted.length === 0) {
      callback(Object.assign(new Error('no checked address of that family'), { code: 'ENOTFOUND' }), '', 4);
    } else if (options.all) {
      (callback as unknown as (error: null, all: { address: string; family: number }[]) => void)(null, wanted);
    } else {
      callback(null, wanted[0].address, wanted[0].family);
    }
  };
}

/** POSTs `body` as JSON; resolves on a 2xx answer, rejects otherwise (refused, timeout, network, status). */
export async function postWebhook(url: string, body: unknown, options: WebhookOptions): Promise<void> {
  const target = new URL(url);
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new WebhookRefusedError(`webhook ditolak / refused: ${target.protocol} is not http(s)`);
  }
  const addresses = await checkedAddresses(target, options);
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const status = await new Promise<number>((resolve, reject) => {
    const outgoing = request(
      target,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(payload.length) },
        lookup: pinnedLookup(addresses),
        // A fresh connection each time: a pooled socket would skip the check of this send.
        agent: false,
        signal: AbortSignal.timeout(options.timeoutMs),
      },
      (response) => {
        // The status is the answer: a 2xx means the receiver has the message. Its body is never
        // read, so a body trickled or flooded after a 200 cannot turn a delivery into a failure
        // (sent again at the next pass) or hold the pass until the timeout.
        resolve(response.statusCode ?? 0);
        response.destroy();
      },
    );
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
  if (status < 200 || status > 299) {
    throw new Error(`webhook ${url} answered ${status}`);
  }
}
