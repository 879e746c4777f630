// Ed25519 for both ends of a signed link (protocol/signing.ts): the requester (a station, or a
// district server forwarding to its upstream) signs SIAGA1 requests with its own key and trusts a
// reply only when it is signed SIAGA1-REPLY for that request's nonce by the key it pinned at
// enrollment. Keys travel as raw 32-byte public keys in standard base64 (PublicKeySchema).
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { canonicalReply, canonicalRequest, isSignatureBase64 } from '../protocol/signing';

export interface KeyPair {
  privateKey: KeyObject;
  /** Raw 32-byte public key, standard base64 (PublicKeySchema). */
  publicKey: string;
}

export function generateKeyPair(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey: publicKeyBase64(publicKey) };
}

export function publicKeyBase64(key: KeyObject): string {
  const jwk = (key.type === 'private' ? createPublicKey(key) : key).export({ format: 'jwk' });
  return Buffer.from(jwk.x!, 'base64url').toString('base64');
}

export function sha256Hex(body: Buffer | string): string {
  return createHash('sha256').update(body).digest('hex');
}

/** Base64 Ed25519 signature of one request (canonical form of protocol/signing.ts). */
export function signRequest(
  privateKey: KeyObject,
  method: string,
  requestPath: string,
  timestampMs: number,
  body: Buffer | string,
): string {
  const canonical = canonicalRequest(method, requestPath, timestampMs, sha256Hex(body));
  return sign(null, Buffer.from(canonical, 'utf8'), privateKey).toString('base64');
}

/** A fresh nonce for one request (HEADER_NONCE): 16 random bytes, base64url. */
export function newNonce(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * Whether a reply (status, exact body bytes, its signature header) to the request that carried
 * `nonce` is signed by the pinned key `pinnedPublicKey` (raw base64); never throws.
 */
export function verifyReply(
  pinnedPublicKey: string,
  nonce: string,
  status: number,
  body: Buffer | string,
  signatureBase64: string | null,
): boolean {
  if (!isSignatureBase64(signatureBase64)) {
    return false;
  }
  try {
    const key = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(pinnedPublicKey, 'base64').toString('base64url') },
      format: 'jwk',
    });
    const canonical = canonicalReply(nonce, status, sha256Hex(body));
    return verify(null, Buffer.from(canonical, 'utf8'), key, Buffer.from(signatureBase64, 'base64'));
  } catch {
    return false;
  }
}
