// Verifies SIAGA1 request signatures and signs SIAGA1-REPLY replies (protocol/signing.ts) with
// node:crypto Ed25519.
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { canonicalReply, canonicalRequest } from '../../../protocol/signing';
import { sha256Hex } from '../../../link/ed25519';

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

/** The district's own key pair: the private key as PKCS#8 PEM, the public key as raw base64. */
export function generateDistrictKeyPair(): { privateKeyPem: string; publicKeyBase64: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKeyBase64: Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('base64'),
  };
}

/** The private KeyObject of a PKCS#8 PEM and its raw base64 public key. */
export function districtKeyFromPem(privateKeyPem: string): {
  privateKey: KeyObject;
  publicKeyBase64: string;
} {
  const privateKey = createPrivateKey(privateKeyPem);
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  return { privateKey, publicKeyBase64: Buffer.from(jwk.x!, 'base64url').toString('base64') };
}

/** Base64 signature of a reply (status, exact body bytes) to the request that carried `nonce`. */
export function signReply(
  privateKey: KeyObject,
  nonce: string,
  status: number,
  body: Buffer | string,
): string {
  const canonical = canonicalReply(nonce, status, sha256Hex(body));
  return sign(null, Buffer.from(canonical, 'utf8'), privateKey).toString('base64');
}
