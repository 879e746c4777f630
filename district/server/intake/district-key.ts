// The district's own Ed25519 key, with which it signs every reply to a station (protocol/signing.ts,
// SIAGA1-REPLY). Made at the first start and kept in the database (table district_key, one row):
// every server process on the same database signs with the same key, the key travels with the
// database's backups, and a PostgreSQL district needs no extra file. Whoever can read the database
// can already forge everything the station would trust, so the key adds no new secret to guard.
import type { KeyObject } from 'node:crypto';
import type { Db } from '../db/types';
import { districtKeyFromPem, generateDistrictKeyPair } from './signature';

export interface DistrictKey {
  privateKey: KeyObject;
  /** Raw 32-byte public key, standard base64 (PublicKeySchema); sent at enrollment. */
  publicKeyBase64: string;
}

/** The district key, made and stored on first use (two processes starting at once agree on one). */
export async function loadDistrictKey(db: Db, nowMs: number = Date.now()): Promise<DistrictKey> {
  const fresh = generateDistrictKeyPair();
  await db.run(
    `INSERT INTO district_key (id, public_key, private_key_pem, created_at) VALUES (1, $1, $2, $3)
     ON CONFLICT (id) DO NOTHING`,
    [fresh.publicKeyBase64, fresh.privateKeyPem, new Date(nowMs).toISOString()],
  );
  const [row] = await db.query<{ private_key_pem: string; public_key: string }>(
    'SELECT private_key_pem, public_key FROM district_key WHERE id = 1',
  );
  if (row === undefined) {
    throw new Error('the district key could not be stored');
  }
  const key = districtKeyFromPem(row.private_key_pem);
  if (key.publicKeyBase64 !== row.public_key) {
    throw new Error('district_key: the private key does not match the public key');
  }
  return key;
}
