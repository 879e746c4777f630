// Enrollment: the technician gives the district URL and a one-time code; the station makes its key
// pair, sends only the public key, and keeps the identity the district answers with.
import { makeDataFolder } from './store/permissions';
import os from 'node:os';
import type { EnrollRequest } from '../../protocol/requests';
import { EnrollResponseSchema, ErrorResponseSchema, PATHS } from '../../protocol/requests';
import type { Identity } from './identity';
import { generateKeyPair, loadIdentity, saveIdentity } from './identity';

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
  const keys = generateKeyPair();
  const request: EnrollRequest = {
    code: options.code.trim(),
    publicKey: keys.publicKey,
    stationName: (options.stationName ?? os.hostname()).slice(0, 100),
    appVersion: options.appVersion,
  };
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(new URL(PATHS.enroll, districtUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
  } catch (error) {
    throw new EnrollError(`cannot reach ${districtUrl}: ${(error as Error).message}`, 'network');
  }
  const body: unknown = await response.json().catch(() => null);
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
  const identity: Identity = {
    stationId: parsed.data.stationId,
    stationName: parsed.data.stationName,
    kecamatan: parsed.data.kecamatan,
    districtUrl,
    publicKey: keys.publicKey,
    privateKey: keys.privateKey,
    enrolledAt: new Date().toISOString(),
  };
  makeDataFolder(options.dataDir);
  saveIdentity(options.dataDir, identity);
  return identity;
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
