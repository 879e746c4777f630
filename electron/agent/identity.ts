// The station's identity: an Ed25519 key pair made on the station at enrollment (the private key
// never leaves it) and the station id the district assigned. Kept in `identity.json` beside the
// store, not inside it, so a corrupt database never costs the station its enrollment.
// Requests are signed as protocol/signing.ts describes (scheme SIAGA1); the district's replies are
// trusted only when signed by the district key pinned here at enrollment (SIAGA1-REPLY). An
// identity written before district keys existed has none: such a station sends nothing until a
// technician enrolls it again (`siaga enroll --force`), because no reply could be trusted.
import { createPrivateKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { StationIdSchema } from '../../protocol/events';
import { PublicKeySchema } from '../../protocol/requests';
import { signatureHeaders } from '../../protocol/signing';
import { publicKeyBase64, signRequest } from '../../link/ed25519';
import { writeFileAtomic } from './store/store';

// The key, signature and nonce helpers are shared with the district's forwarding (link/ed25519.ts).
export type { KeyPair } from '../../link/ed25519';
export { generateKeyPair, newNonce, publicKeyBase64, sha256Hex, signRequest, verifyReply } from '../../link/ed25519';

export const IDENTITY_FILE = 'identity.json';

const IdentityFileSchema = z.strictObject({
  v: z.literal(1),
  stationId: StationIdSchema,
  stationName: z.string(),
  kecamatan: z.string(),
  districtUrl: z.string().url(),
  publicKey: PublicKeySchema,
  /** PKCS#8 PEM; the file is readable by its owner only. */
  privateKeyPem: z.string(),
  enrolledAt: z.string(),
  /** The district's reply-signing key, pinned at enrollment; absent in identities made before it existed. */
  districtPublicKey: PublicKeySchema.optional(),
  /** PEM of the CA or certificate the district's HTTPS certificate must chain to (`--ca FILE`). */
  districtCaPem: z.string().optional(),
  /** Enrolled with `--insecure`: plain HTTP to a non-local district was accepted by a technician. */
  insecure: z.boolean().optional(),
});
export type IdentityFile = z.infer<typeof IdentityFileSchema>;

export interface Identity {
  stationId: string;
  stationName: string;
  kecamatan: string;
  districtUrl: string;
  publicKey: string;
  privateKey: KeyObject;
  enrolledAt: string;
  districtPublicKey?: string;
  districtCaPem?: string;
  insecure?: boolean;
}

/** The identity without its private key: what may be shown (the technician screen). */
export type Enrollment = Omit<Identity, 'privateKey'>;

/** The three SIAGA1 headers for a request signed at `timestampMs` (district-corrected clock). */
export function signedHeaders(
  identity: Identity,
  method: string,
  requestPath: string,
  timestampMs: number,
  body: Buffer | string,
): Record<string, string> {
  const timestamp = Math.max(0, Math.round(timestampMs));
  return signatureHeaders(
    identity.stationId,
    timestamp,
    signRequest(identity.privateKey, method, requestPath, timestamp, body),
  );
}

export function identityPath(dataDir: string): string {
  return path.join(dataDir, IDENTITY_FILE);
}

/** The enrolled identity, or null before enrollment. Throws if the file exists but is damaged. */
export function loadIdentity(dataDir: string): Identity | null {
  let text: string;
  try {
    text = readFileSync(identityPath(dataDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return null;
    }
    throw error;
  }
  const file = IdentityFileSchema.parse(JSON.parse(text));
  const privateKey = createPrivateKey(file.privateKeyPem);
  if (publicKeyBase64(privateKey) !== file.publicKey) {
    throw new Error(`${identityPath(dataDir)}: the private key does not match the public key`);
  }
  const { privateKeyPem: _privateKeyPem, v: _version, ...rest } = file;
  return { ...rest, privateKey };
}

export function saveIdentity(dataDir: string, identity: Identity): void {
  const file: IdentityFile = {
    v: 1,
    stationId: identity.stationId,
    stationName: identity.stationName,
    kecamatan: identity.kecamatan,
    districtUrl: identity.districtUrl,
    publicKey: identity.publicKey,
    privateKeyPem: identity.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    enrolledAt: identity.enrolledAt,
    ...(identity.districtPublicKey === undefined ? {} : { districtPublicKey: identity.districtPublicKey }),
    ...(identity.districtCaPem === undefined ? {} : { districtCaPem: identity.districtCaPem }),
    ...(identity.insecure ? { insecure: true } : {}),
  };
  writeFileAtomic(identityPath(dataDir), `${JSON.stringify(file, null, 2)}\n`, 0o600);
}

/**
 * The identity as the running agent sees it. While the station is not enrolled the identity file is
 * read at most once per enrollment poll (or at once after `pollNow`); once found it is kept.
 */
export class IdentityCache {
  private identity: Identity | null = null;
  /** performance.now() of the last read of the identity file. */
  private checkedAt = -Infinity;

  constructor(
    private readonly dataDir: string,
    private readonly enrollmentPollMs: number,
    private readonly log: (line: string) => void,
  ) {}

  /** The station's identity, or null while it is not enrolled (or its file is unreadable). */
  get(): Identity | null {
    if (this.identity === null && performance.now() - this.checkedAt >= this.enrollmentPollMs) {
      this.checkedAt = performance.now();
      try {
        this.identity = loadIdentity(this.dataDir);
      } catch (error) {
        this.log(`identity unreadable: ${(error as Error).message}`);
      }
    }
    return this.identity;
  }

  /** The station was just enrolled: read the file at the next `get`. */
  pollNow(): void {
    this.checkedAt = -Infinity;
  }
}
