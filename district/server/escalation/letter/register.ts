// The register of escalation letters: issuing one gives it the next number of its year and keeps
// its document model, in one transaction, so a number is never given twice (two staff pressing
// the button at once included, on SQLite and on PostgreSQL alike: the year's counter row is
// bumped with an upsert, which PostgreSQL locks and SQLite's BEGIN IMMEDIATE serializes). A letter
// is of its station's district: that district's letterhead, calendar, loans and running number.
import type {
  EscalationLetterView,
  FaultDetail,
  LetterRecipient,
  NewEscalationLetterRequestSchema,
} from '../../../dash-api';
import type { z } from 'zod';
import { listUsers } from '../../auth/users';
import { loadCalendar } from '../../calendar/store';
import type { Db, SqlValue } from '../../db/types';
import { newId } from '../../db/ids';
import { ConflictError, NotFoundError } from '../../errors';
import type { Scope } from '../../tenancy/scope';
import { districtOfId, districtScope, scopeCondition } from '../../tenancy/scope';
import { faultDetail } from '../../faults/lifecycle';
import { ACTIVE_STATES } from '../../faults/repository';
import type { Interval } from '../../figures/intervals';
import { normalize, totalMs } from '../../figures/intervals';
import { listLoans } from '../../inventory/loans';
import { localDay } from '../../calendar/service-hours';
import type { LetterDocument } from './model';
import { buildLetter, defaultPerihal } from './model';
import { letterNumber, letterYear } from './number';
import { letterSettings } from './settings';

type LetterRequest = z.infer<typeof NewEscalationLetterRequestSchema>;

const days = (hours: number): number => Math.floor(hours / 24);

/**
 * A fault as its letter tells it: the station's times (first seen, its own reports in the
 * history) moved onto the district's clock by the station's own estimate of its clock offset
 * (reported in every heartbeat, measured on round trips), never later than now; and the spans it
 * was open, so a fault that recovered for weeks and came back is not as old as its first report.
 */
export interface LetterFault {
  fault: FaultDetail;
  open: Interval[];
  /** Hours within `open`: what the threshold is compared with. */
  openHours: number;
}

export async function letterFault(
  db: Db,
  stationId: string,
  faultId: string,
  nowMs: number,
): Promise<LetterFault | null> {
  const detail = await faultDetail(db, stationId, faultId, nowMs);
  if (detail === null) {
    return null;
  }
  const [station] = await db.query<{ clock_offset_ms: number | string | null }>(
    'SELECT clock_offset_ms FROM stations WHERE id = $1',
    [stationId],
  );
  const offsetMs = Number(station?.clock_offset_ms ?? 0);
  const onDistrictClock = (at: string): string =>
    new Date(Math.min(nowMs, Date.parse(at) + offsetMs)).toISOString();
  const fault: FaultDetail = {
    ...detail,
    firstSeen: onDistrictClock(detail.firstSeen),
    history: detail.history
      .map((entry) => (entry.actor === null ? { ...entry, at: onDistrictClock(entry.at) } : entry))
      .sort((left, right) => Date.parse(left.at) - Date.parse(right.at)),
  };
  const open: Interval[] = [];
  let openSince: number | null = Date.parse(fault.firstSeen);
  for (const entry of fault.history) {
    const atMs = Math.max(Date.parse(entry.at), Date.parse(fault.firstSeen));
    if ((entry.kind === 'resolved' || entry.kind === 'closed') && openSince !== null) {
      open.push({ start: openSince, end: atMs });
      openSince = null;
    } else if (
      (entry.kind === 'reopened' || entry.kind === 'updated' || entry.kind === 'opened') &&
      openSince === null
    ) {
      openSince = atMs;
    }
  }
  if (openSince !== null && ACTIVE_STATES.includes(fault.state)) {
    open.push({ start: openSince, end: nowMs });
  }
  const openHours = totalMs(normalize(open, -Infinity, Infinity)) / 3_600_000;
  return { fault: { ...fault, ageHours: openHours }, open, openHours };
}

/** Why no letter may be written for this fault now (Bahasa Indonesia, then English); null when one may. */
export function letterRefusal(fault: FaultDetail, thresholdHours: number): string | null {
  if (!ACTIVE_STATES.includes(fault.state)) {
    return (
      'Gangguan ini sudah pulih atau ditutup; surat eskalasi hanya untuk gangguan yang masih berlangsung ' +
      `(the fault is ${fault.state}; letters are for faults still open)`
    );
  }
  if (fault.ageHours < thresholdHours) {
    return (
      `Gangguan ini baru berlangsung ${days(fault.ageHours)} hari; surat eskalasi dapat dibuat setelah ` +
      `${days(thresholdHours)} hari sesuai ambang eskalasi kabupaten (the fault is ${Math.floor(fault.ageHours)} hours old; ` +
      `a letter needs ${thresholdHours} hours)`
    );
  }
  return null;
}

interface LetterRow {
  id: string;
  number: string;
  year: number | string;
  station_id: string;
  fault_id: string;
  recipient: LetterRecipient;
  perihal: string;
  created_at: string;
  created_by: string;
}

const COLUMNS = 'id, number, year, station_id, fault_id, recipient, perihal, created_at, created_by';

function toView(row: LetterRow): EscalationLetterView {
  return {
    id: row.id,
    number: row.number,
    year: Number(row.year),
    stationId: row.station_id,
    faultId: row.fault_id,
    recipient: row.recipient,
    perihal: row.perihal,
    createdAt: row.created_at,
    createdBy: row.created_by,
    pdfUrl: `/api/dash/escalation-letters/${encodeURIComponent(row.id)}/pdf`,
  };
}

export async function lettersOfFault(
  db: Db,
  stationId: string,
  faultId: string,
): Promise<EscalationLetterView[]> {
  const rows = await db.query<LetterRow>(
    `SELECT ${COLUMNS} FROM escalation_letters WHERE station_id = $1 AND fault_id = $2 ORDER BY created_at, seq`,
    [stationId, faultId],
  );
  return rows.map(toView);
}

/** A letter as issued, if it lies within the scope (another district's letter is unknown). */
export async function letterDocument(
  db: Db,
  id: string,
  scope?: Scope,
): Promise<{ letter: EscalationLetterView; document: LetterDocument } | null> {
  const params: SqlValue[] = [id];
  const [row] = await db.query<LetterRow & { document: string }>(
    `SELECT ${COLUMNS}, document FROM escalation_letters WHERE id = $1${scopeCondition(scope, 'district_code', params)}`,
    params,
  );
  return row === undefined
    ? null
    : { letter: toView(row), document: JSON.parse(row.document) as LetterDocument };
}

const isUniqueViolation = (error: unknown): boolean =>
  (error as { code?: string }).code === '23505' || /UNIQUE constraint failed/.test(String(error));

/** Issues a letter for the fault: checks it may, numbers it, keeps its document. */
export async function issueLetter(
  db: Db,
  input: { request: LetterRequest; username: string; nowMs: number; thresholdHours: number },
): Promise<EscalationLetterView> {
  const { request, nowMs } = input;
  const district = await districtOfId(db, 'station', request.stationId);
  if (district === null) {
    throw new NotFoundError('Gangguan tidak ditemukan (no such fault)');
  }
  const settings = await letterSettings(db, district);
  if (!settings.configured) {
    throw new ConflictError(
      'Kop surat belum diisi: admin mengisinya dulu di halaman Surat eskalasi (the letterhead is not set yet: an admin fills it in first)',
    );
  }
  const found = await letterFault(db, request.stationId, request.faultId, nowMs);
  if (found === null) {
    throw new NotFoundError('Gangguan tidak ditemukan (no such fault)');
  }
  const { fault } = found;
  const refusal = letterRefusal(fault, input.thresholdHours);
  if (refusal !== null) {
    throw new ConflictError(refusal);
  }
  const calendar = await loadCalendar(db, district);
  const openedDay = localDay(Date.parse(fault.firstSeen), calendar.timeZone).date;
  // The district's loans are few (a register kept by hand until now): read them all, keep those tried here.
  const loans = (await listLoans(db, { scope: districtScope(district) })).filter(
    (loan) =>
      loan.toStationId === fault.stationId &&
      loan.role === fault.role &&
      (loan.returnedOn === null || loan.returnedOn >= openedDay),
  );
  const staffNames = Object.fromEntries((await listUsers(db)).map((user) => [user.username, user.name]));
  const year = letterYear(nowMs, calendar.timeZone);
  const perihal = request.perihal === '' ? defaultPerihal(fault) : request.perihal;
  const id = `se-${newId(nowMs).toLowerCase()}`;
  try {
    await db.transaction(async (transaction) => {
      const [counter] = await transaction.query<{ last_number: number | string }>(
        `INSERT INTO escalation_letter_counters (district_code, year, last_number) VALUES ($1, $2, 1)
         ON CONFLICT (district_code, year) DO UPDATE SET last_number = escalation_letter_counters.last_number + 1
         RETURNING last_number`,
        [district, year],
      );
      const seq = Number(counter.last_number);
      const number = letterNumber(settings.settings.numberPattern, seq, nowMs, calendar.timeZone);
      const document = buildLetter({
        settings: settings.settings,
        number,
        issuedAtMs: nowMs,
        calendar,
        recipient: request.recipient,
        sifat: request.sifat,
        lampiran: request.lampiran,
        perihal,
        note: request.note,
        fault,
        loans,
        staffNames,
        appointmentsAffected: null,
        openSpans: found.open,
      });
      await transaction.run(
        `INSERT INTO escalation_letters (id, district_code, year, seq, number, station_id, fault_id, recipient, perihal, created_at, created_by, document)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [
          id,
          district,
          year,
          seq,
          number,
          fault.stationId,
          fault.faultId,
          request.recipient,
          document.heading[3][1],
          new Date(nowMs).toISOString(),
          input.username,
          JSON.stringify(document),
        ],
      );
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ConflictError(
        'Nomor surat ini sudah pernah dipakai; periksa pola nomor surat (this letter number was given before: check the number pattern)',
      );
    }
    throw error;
  }
  const [row] = await db.query<LetterRow>(`SELECT ${COLUMNS} FROM escalation_letters WHERE id = $1`, [id]);
  return toView(row);
}
