// Stations and their enrollment: `station add` makes a station and a one-time code; the station
// redeems the code once (POST /api/v1/enroll) to register its Ed25519 public key.
import type { EnrollRequest, EnrollResponse } from '../../../protocol/requests';
import { KECAMATAN_NAME_MAX_LENGTH } from '../../dash-api';
import type { Db } from '../db/types';
import { hashEnrollmentCode, newEnrollmentCode, newStationId } from '../db/ids';
import { InvalidInputError, NotFoundError } from '../errors';
import { Refusal } from '../intake/refusal';
import { refuseForwarded } from '../peering/forwarded';
import { publicKeyFromBase64 } from '../intake/signature';
import { DEFAULT_DISTRICT } from '../tenancy/scope';

/** How long an enrollment code stays valid unless told otherwise. */
export const ENROLLMENT_CODE_LIFETIME_MS = 72 * 60 * 60 * 1000;

export interface NewStation {
  stationId: string;
  name: string;
  kecamatan: string;
  /** Shown once; the district keeps only its hash. */
  code: string;
  expiresAt: string;
}

export async function addStation(
  db: Db,
  input: { name: string; kecamatan: string; nowMs?: number; codeLifetimeMs?: number; district?: string },
): Promise<NewStation> {
  const nowMs = input.nowMs ?? Date.now();
  const name = input.name.trim();
  const kecamatan = input.kecamatan.trim();
  if (name === '' || kecamatan === '') {
    throw new InvalidInputError('a station needs a name and a kecamatan');
  }
  if (kecamatan.length > KECAMATAN_NAME_MAX_LENGTH) {
    // The calendar could not name it: its office would keep the district's hours for good.
    throw new InvalidInputError(
      `a kecamatan name is at most ${KECAMATAN_NAME_MAX_LENGTH} characters (got ${kecamatan.length})`,
    );
  }
  const stationId = newStationId(nowMs);
  return db.transaction(async (transaction) => {
    await transaction.run(
      'INSERT INTO stations (id, name, kecamatan, created_at, district_code) VALUES ($1, $2, $3, $4, $5)',
      [stationId, name, kecamatan, new Date(nowMs).toISOString(), input.district ?? DEFAULT_DISTRICT],
    );
    const { code, expiresAt } = await insertCode(transaction, stationId, nowMs, input.codeLifetimeMs);
    return { stationId, name, kecamatan, code, expiresAt };
  });
}

/** A new one-time code for an existing station (re-enrollment after a reinstall); the old key stays valid until it is used. */
export async function newCodeForStation(
  db: Db,
  stationId: string,
  options: { nowMs?: number; codeLifetimeMs?: number } = {},
): Promise<{ code: string; expiresAt: string }> {
  const [station] = await db.query('SELECT id FROM stations WHERE id = $1', [stationId]);
  if (station === undefined) {
    throw new NotFoundError(`no station ${stationId}`);
  }
  // A forwarded station never holds a key here: a unit enrolled on its row would post into the
  // read-only copy of another server's records (docs/peering.md). Enroll it as a new station instead.
  await refuseForwarded(db, 'station', stationId);
  return insertCode(db, stationId, options.nowMs ?? Date.now(), options.codeLifetimeMs);
}

async function insertCode(
  db: Db,
  stationId: string,
  nowMs: number,
  lifetimeMs: number = ENROLLMENT_CODE_LIFETIME_MS,
): Promise<{ code: string; expiresAt: string }> {
  const code = newEnrollmentCode();
  const expiresAt = new Date(nowMs + lifetimeMs).toISOString();
  await db.run(
    'INSERT INTO enrollment_codes (code_hash, station_id, created_at, expires_at) VALUES ($1, $2, $3, $4)',
    [hashEnrollmentCode(code), stationId, new Date(nowMs).toISOString(), expiresAt],
  );
  return { code, expiresAt };
}

/** Redeems a code: stores the station's public key. Throws Refusal('bad-code') for an unknown, used or expired code. */
export async function enroll(
  db: Db,
  request: EnrollRequest,
  nowMs: number,
  districtPublicKey: string,
): Promise<EnrollResponse> {
  try {
    publicKeyFromBase64(request.publicKey);
  } catch {
    throw new Refusal('invalid-schema', 'publicKey is not an Ed25519 public key');
  }
  const nowIso = new Date(nowMs).toISOString();
  const codeHash = hashEnrollmentCode(request.code);
  return db.transaction(async (transaction) => {
    const [code] = await transaction.query<{ station_id: string }>(
      'SELECT station_id FROM enrollment_codes WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2',
      [codeHash, nowIso],
    );
    if (code === undefined) {
      throw new Refusal('bad-code', 'the enrollment code is unknown, already used or expired');
    }
    const claimed = await transaction.run(
      'UPDATE enrollment_codes SET used_at = $1 WHERE code_hash = $2 AND used_at IS NULL',
      [nowIso, codeHash],
    );
    if (claimed !== 1) {
      throw new Refusal('bad-code', 'the enrollment code is unknown, already used or expired');
    }
    await transaction.run(
      // A new enrollment may be a reinstalled station whose seq starts again from 1 (intake.ts).
      'UPDATE stations SET public_key = $1, enrolled_at = $2, app_version = $3, last_seq = 0 WHERE id = $4',
      [request.publicKey, nowIso, request.appVersion, code.station_id],
    );
    const [station] = await transaction.query<{ id: string; name: string; kecamatan: string }>(
      'SELECT id, name, kecamatan FROM stations WHERE id = $1',
      [code.station_id],
    );
    return {
      stationId: station.id,
      stationName: station.name,
      kecamatan: station.kecamatan,
      serverTime: nowMs,
      districtPublicKey,
    };
  });
}
