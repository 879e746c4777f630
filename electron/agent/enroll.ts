// Enrollment: the technician gives the district URL and a one-time code; the station makes its key
// pair, sends only the public key, and keeps the identity the district answers with, pinning the
// district's public key (every later reply must be signed with it) and the CA given with `--ca`.
// The code is a credential: it only travels over HTTPS, or plain HTTP to this very PC
// (localhost, 127.0.0.1, ::1), or with `--insecure`, which is stored and shown to technicians.
import { makeDataFolder } from './store/permissions';
import os from 'node:os';
import type { EnrollRequest } from '../../protocol/requests';
import { EnrollResponseSchema, ErrorResponseSchema, PATHS } from '../../protocol/requests';
import { HEADER_NONCE, HEADER_REPLY_SIGNATURE } from '../../protocol/signing';
import { pinnedFetch, readReplyBody } from '../../link/pinned-fetch';
import type { Identity } from './identity';
import { generateKeyPair, loadIdentity, newNonce, saveIdentity, verifyReply } from './identity';

export class EnrollError extends Error {
  constructor(
    message: string,
    /** The district's refusal code (e.g. `bad-code`), or `network`, `already-enrolled`, `bad-response`. */
    readonly reason: string,
  ) {
    super(message);
    this.name = 'EnrollError';
  }
}

export interface EnrollOptions {
  dataDir: string;
  districtUrl: string;
  code: string;
  appVersion: string;
  stationName?: string;
  /** Replace an existing enrollment (a new key pair; the old one is forgotten). */
  force?: boolean;
  /** PEM of the CA (or self-signed certificate) the district's HTTPS certificate must chain to; pinned. */
  caPem?: string;
  /** Allow plain HTTP to a district that is not this PC (stored; the technician screen warns). */
  insecure?: boolean;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** Enrolls this station and saves its identity. Throws EnrollError with a reason. */
export async function enroll(options: EnrollOptions): Promise<Identity> {
  const existing = loadIdentity(options.dataDir);
  if (existing && !options.force) {
    throw new EnrollError(
      `already enrolled as ${existing.stationId} at ${existing.districtUrl} (use --force to enroll again)`,
      'already-enrolled',
    );
  }
  const districtUrl = normaliseDistrictUrl(options.districtUrl);
  const insecure = isInsecureUrl(districtUrl);
  if (insecure && !options.insecure) {
    throw new EnrollError(
      `${districtUrl} is plain HTTP: the enrollment code and every report would cross the network unencrypted; use https:// (with --ca FILE for the district's own certificate) or, knowingly, --insecure`,
      'insecure-url',
    );
  }
  const keys = generateKeyPair();
  const nonce = newNonce();
  const request: EnrollRequest = {
    code: options.code.trim(),
    publicKey: keys.publicKey,
    stationName: (options.stationName ?? os.hostname()).slice(0, 100),
    appVersion: options.appVersion,
  };
  let response: Response;
  try {
    response = await (options.fetch ?? pinnedFetch(options.caPem))(new URL(PATHS.enroll, districtUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', [HEADER_NONCE]: nonce },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
  } catch (error) {
    throw new EnrollError(`cannot reach ${districtUrl}: ${(error as Error).message}`, 'network');
  }
  let bytes: Buffer;
  try {
    bytes = await readReplyBody(response);
  } catch (error) {
    throw new EnrollError(
      `cannot read the reply of ${districtUrl}: ${(error as Error).message}`,
      'bad-response',
    );
  }
  let body: unknown = null;
  try {
    body = JSON.parse(bytes.toString('utf8'));
  } catch {
    // Not JSON: reported below as a bad response.
  }
  if (!response.ok) {
    const refusal = ErrorResponseSchema.safeParse(body);
    throw refusal.success
      ? new EnrollError(
          `district refused enrollment: ${refusal.data.error}: ${refusal.data.message}`,
          refusal.data.error,
        )
      : new EnrollError(`district answered HTTP ${response.status}`, 'bad-response');
  }
  const parsed = EnrollResponseSchema.safeParse(body);
  if (!parsed.success) {
    throw new EnrollError(`unexpected enrollment reply: ${parsed.error.message}`, 'bad-response');
  }
  const signature = response.headers.get(HEADER_REPLY_SIGNATURE);
  if (!verifyReply(parsed.data.districtPublicKey, nonce, response.status, bytes, signature)) {
    throw new EnrollError(
      'the enrollment reply is not signed by the district key it names (an old district, or something in between)',
      'unsigned-reply',
    );
  }
  const identity: Identity = {
    stationId: parsed.data.stationId,
    stationName: parsed.data.stationName,
    kecamatan: parsed.data.kecamatan,
    districtUrl,
    publicKey: keys.publicKey,
    privateKey: keys.privateKey,
    enrolledAt: new Date().toISOString(),
    districtPublicKey: parsed.data.districtPublicKey,
    ...(options.caPem === undefined ? {} : { districtCaPem: options.caPem }),
    ...(insecure ? { insecure: true } : {}),
  };
  makeDataFolder(options.dataDir);
  saveIdentity(options.dataDir, identity);
  return identity;
}

/** Plain HTTP to anything but this PC (localhost, 127.0.0.1, ::1). */
export function isInsecureUrl(districtUrl: string): boolean {
  const url = new URL(districtUrl);
  return url.protocol === 'http:' && !['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

/** `https://host/base` with no trailing slash; rejects anything but http(s). */
export function normaliseDistrictUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new EnrollError(`not a URL: ${value}`, 'bad-url');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new EnrollError(`the district URL must be http or https: ${value}`, 'bad-url');
  }
  return url.origin;
}
