// The downstream side of peering: this district server's enrollment at its upstream (the
// province's service), kept in the database (table upstream_link, one row) like the district key,
// so every process on the database forwards alike and backups carry it. The district makes its own
// Ed25519 key for the link here (the private key never leaves this database), sends the public key
// with the one-time peer code, and pins the upstream's reply-signing key from the signed reply.
// The code only travels over HTTPS, to this PC, or with `insecure` (stored), as a station's does.
import type { KeyObject } from 'node:crypto';
import { createPrivateKey } from 'node:crypto';
import { ErrorResponseSchema } from '../../../protocol/requests';
import type { PeerEnrollRequest } from '../../../protocol/peering';
import { PEER_PATHS, PeerEnrollResponseSchema } from '../../../protocol/peering';
import { HEADER_NONCE, HEADER_REPLY_SIGNATURE } from '../../../protocol/signing';
import { generateKeyPair, newNonce, publicKeyBase64, verifyReply } from '../../../link/ed25519';
import { pinnedFetch, readReplyBody } from '../../../link/pinned-fetch';
import type { Db } from '../db/types';
import { queueBackfill } from './forward-queue';

export interface UpstreamLink {
  url: string;
  peerId: string;
  privateKey: KeyObject;
  publicKey: string;
  /** The upstream's reply-signing key, pinned at enrollment. */
  upstreamPublicKey: string;
  caPem?: string;
  insecure: boolean;
  enrolledAt: string;
}

export class UpstreamEnrollError extends Error {
  constructor(
    message: string,
    /** The upstream's refusal code (e.g. `bad-code`), or `network`, `insecure-url`, `bad-response`, `unsigned-reply`. */
    readonly reason: string,
  ) {
    super(message);
    this.name = 'UpstreamEnrollError';
  }
}

interface UpstreamLinkRow {
  url: string;
  peer_id: string;
  public_key: string;
  private_key_pem: string;
  upstream_public_key: string;
  ca_pem: string | null;
  insecure: number | string | boolean;
  enrolled_at: string;
}

/** This district's link to its upstream, or null when it forwards nowhere. */
export async function loadUpstreamLink(db: Db): Promise<UpstreamLink | null> {
  const [row] = await db.query<UpstreamLinkRow>('SELECT * FROM upstream_link WHERE id = 1');
  if (row === undefined) {
    return null;
  }
  const privateKey = createPrivateKey(row.private_key_pem);
  if (publicKeyBase64(privateKey) !== row.public_key) {
    throw new Error('upstream_link: the private key does not match the public key');
  }
  return {
    url: row.url,
    peerId: row.peer_id,
    privateKey,
    publicKey: row.public_key,
    upstreamPublicKey: row.upstream_public_key,
    ...(row.ca_pem === null ? {} : { caPem: row.ca_pem }),
    insecure: Number(row.insecure) === 1 || row.insecure === true,
    enrolledAt: row.enrolled_at,
  };
}

/** `https://host` of a URL given by a person; plain HTTP only to this PC or when `insecure`. */
function upstreamOrigin(value: string, insecure: boolean): { origin: string; plainHttp: boolean } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UpstreamEnrollError(`not a URL: ${value}`, 'bad-url');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UpstreamEnrollError(`the upstream URL must be http or https: ${value}`, 'bad-url');
  }
  const plainHttp = url.protocol === 'http:' && !['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (plainHttp && !insecure) {
    throw new UpstreamEnrollError(
      `${url.origin} is plain HTTP: the peer code and every forward would cross the network unencrypted; use https:// (with --ca FILE) or, knowingly, --insecure`,
      'insecure-url',
    );
  }
  return { origin: url.origin, plainHttp };
}

/**
 * Enrolls this district at its upstream with a one-time peer code and stores the link; queues every
 * event stored so far for forwarding (the upstream rebuilds the board from them). Replaces an
 * earlier link only with `force`. Throws UpstreamEnrollError.
 */
export async function enrollUpstream(
  db: Db,
  options: {
    url: string;
    code: string;
    appVersion: string;
    districtName?: string;
    caPem?: string;
    insecure?: boolean;
    force?: boolean;
    fetch?: typeof fetch;
    nowMs?: number;
  },
): Promise<{ link: UpstreamLink; districtName: string; queued: number }> {
  const existing = await loadUpstreamLink(db);
  if (existing !== null && options.force !== true) {
    throw new UpstreamEnrollError(
      `already forwarding to ${existing.url} as ${existing.peerId} (use --force to enroll again)`,
      'already-enrolled',
    );
  }
  const { origin, plainHttp } = upstreamOrigin(options.url, options.insecure === true);
  const keys = generateKeyPair();
  const nonce = newNonce();
  const request: PeerEnrollRequest = {
    code: options.code.trim(),
    publicKey: keys.publicKey,
    appVersion: options.appVersion,
    ...(options.districtName === undefined ? {} : { districtName: options.districtName.slice(0, 100) }),
  };
  let response: Response;
  let bytes: Buffer;
  try {
    response = await (options.fetch ?? pinnedFetch(options.caPem))(new URL(PEER_PATHS.enroll, origin), {
      method: 'POST',
      headers: { 'content-type': 'application/json', [HEADER_NONCE]: nonce },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(15_000),
    });
    bytes = await readReplyBody(response);
  } catch (error) {
    throw new UpstreamEnrollError(`cannot reach ${origin}: ${(error as Error).message}`, 'network');
  }
  let body: unknown = null;
  try {
    body = JSON.parse(bytes.toString('utf8'));
  } catch {
    // Not JSON: a bad response below.
  }
  if (!response.ok) {
    const refusal = ErrorResponseSchema.safeParse(body);
    throw refusal.success
      ? new UpstreamEnrollError(`the upstream refused: ${refusal.data.error}: ${refusal.data.message}`, refusal.data.error)
      : new UpstreamEnrollError(`the upstream answered HTTP ${response.status}`, 'bad-response');
  }
  const parsed = PeerEnrollResponseSchema.safeParse(body);
  if (!parsed.success) {
    throw new UpstreamEnrollError(`unexpected enrollment reply: ${parsed.error.message.slice(0, 300)}`, 'bad-response');
  }
  if (!verifyReply(parsed.data.upstreamPublicKey, nonce, response.status, bytes, response.headers.get(HEADER_REPLY_SIGNATURE))) {
    throw new UpstreamEnrollError(
      'the enrollment reply is not signed by the upstream key it names (something in between?)',
      'unsigned-reply',
    );
  }
  const enrolledAt = new Date(options.nowMs ?? Date.now()).toISOString();
  const queued = await db.transaction(async (transaction) => {
    await transaction.run('DELETE FROM upstream_link');
    await transaction.run(
      `INSERT INTO upstream_link (id, url, peer_id, public_key, private_key_pem, upstream_public_key, ca_pem, insecure, enrolled_at)
       VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        origin,
        parsed.data.peerId,
        keys.publicKey,
        keys.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
        parsed.data.upstreamPublicKey,
        options.caPem ?? null,
        plainHttp ? 1 : 0,
        enrolledAt,
      ],
    );
    return queueBackfill(transaction);
  });
  const link = await loadUpstreamLink(db);
  return { link: link!, districtName: parsed.data.districtName, queued };
}
