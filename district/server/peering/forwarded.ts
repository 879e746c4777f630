// The province's copy of a forwarding district's stations is read-only (docs/peering.md, "Staff
// actions on forwarded stations"). The district server that forwards owns its stations' faults and
// devices: its technicians acknowledge, repair, verify and close them there, and nothing is sent
// back down. A write here would make a second truth the district never learns, and the province's
// "verify" would queue a command for a station that never calls this service. So every write that
// names a forwarded station or a device installed at one is refused (409 `forwarded`), the fault
// page shows why, and escalation here leaves those faults to the district's own escalation.
//
// "Forwarded" is read from the station row each time (stations.peer_id), never cached: a station
// enrolled directly here is a row without a peer and is the province's own; a forwarded row stays
// forwarded even if its peer is deleted (it is still the copy of another server's records).
import type { Db } from '../db/types';
import { DistrictError } from '../errors';

/** Who owns a forwarded station or device: the peer and the name the province gave its district. */
export interface ForwardedOwner {
  peerId: string;
  /** `peers.district_name`; the peer id itself when the peer row is gone. */
  districtName: string;
  /** The district of this service the station belongs to. */
  districtCode: string;
}

/** A write on a forwarded district's fault or device (409, code `forwarded`). */
export class ForwardedRefusal extends DistrictError {
  constructor(
    readonly kind: 'station' | 'device',
    readonly id: string,
    readonly owner: ForwardedOwner,
  ) {
    super(
      409,
      'forwarded',
      `${owner.districtName} memakai server Siaga sendiri; gangguan dan perangkatnya ditindaklanjuti di sana, ` +
        `bukan di layanan ini (${kind} ${id} is forwarded by ${owner.districtName}'s own Siaga server; ` +
        'its faults and devices are handled there, not here)',
    );
  }
}

const OWNER_SQL = {
  station: `SELECT s.peer_id, s.district_code, p.district_name
    FROM stations s LEFT JOIN peers p ON p.id = s.peer_id WHERE s.id = $1`,
  // A device is the district's while it is installed at (or on loan to) one of its stations.
  device: `SELECT s.peer_id, s.district_code, p.district_name
    FROM devices d JOIN stations s ON s.id = d.station_id LEFT JOIN peers p ON p.id = s.peer_id WHERE d.id = $1`,
} as const;

/** The forwarding owner of a station or device, or null when it is this service's own (or unknown). */
export async function forwardedOwner(
  db: Db,
  kind: 'station' | 'device',
  id: string,
): Promise<ForwardedOwner | null> {
  const [row] = await db.query<{ peer_id: string | null; district_code: string; district_name: string | null }>(
    OWNER_SQL[kind],
    [id],
  );
  if (row === undefined || row.peer_id === null) {
    return null;
  }
  return { peerId: row.peer_id, districtName: row.district_name ?? row.peer_id, districtCode: row.district_code };
}

/** Throws ForwardedRefusal when the station or device is a forwarding district's. */
export async function refuseForwarded(db: Db, kind: 'station' | 'device', id: string): Promise<void> {
  const owner = await forwardedOwner(db, kind, id);
  if (owner !== null) {
    throw new ForwardedRefusal(kind, id, owner);
  }
}

/** The given faults without those of forwarded stations (escalated by their own district's server). */
export async function withoutForwarded<Fault extends { stationId: string }>(db: Db, faults: Fault[]): Promise<Fault[]> {
  if (faults.length === 0) {
    return faults;
  }
  const forwarded = new Set(
    (await db.query<{ id: string }>('SELECT id FROM stations WHERE peer_id IS NOT NULL')).map((row) => row.id),
  );
  return forwarded.size === 0 ? faults : faults.filter((fault) => !forwarded.has(fault.stationId));
}
