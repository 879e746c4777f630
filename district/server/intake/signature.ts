// Verifies SIAGA1 request signatures (protocol/signing.ts) with node:crypto Ed25519.
import { createHash, createPublicKey, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { canonicalRequest } from '../../../protocol/signing';

const keys = new Map<string, KeyObject>();

/** The KeyObject of a raw 32-byte Ed25519 public key given as base64; throws if it is not one. */
export function publicKeyFromBase64(publicKeyBase64: string): KeyObject {
  let key = keys.get(publicKeyBase64);
  if (key === undefined) {
    const raw = Buffer.from(publicKeyBase64, 'base64');
    if (raw.length !== 32) {
      throw new Error('an Ed25519 public key has 32 bytes');
    }
    key = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
      format: 'jwk',
    });
    if (keys.size > 10_000) {
      keys.clear();
    }
    keys.set(publicKeyBase64, key);
  }
  return key;
}

export function sha256Hex(body: Buffer | string): string {
  return createHash('sha256').update(body).digest('hex');
}

/** Whether `signatureBase64` signs (method, path, timestamp, SHA-256 of body) with the key; never throws. */
export function verifyRequestSignature(input: {
  publicKeyBase64: string;
  method: string;
  path: string;
  timestampMs: number;
  body: Buffer | string;
  signatureBase64: string;
}): boolean {
  try {
    const signature = Buffer.from(input.signatureBase64, 'base64');
    if (signature.length !== 64) {
      return false;
    }
    const canonical = canonicalRequest(input.method, input.path, input.timestampMs, sha256Hex(input.body));
    return verify(
      null,
      Buffer.from(canonical, 'utf8'),
      publicKeyFromBase64(input.publicKeyBase64),
      signature,
    );
  } catch {
    return false;
  }
}
