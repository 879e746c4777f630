// Printer health from the spooler's view of the queue (IPP printer-state-reasons and markers, or
// the Windows spooler mapped to the same vocabulary).
import type { Role, Text } from '../../../protocol/verdict';
import type { PrinterMarker, PrinterPath, PrinterStatusResult } from '../../../native/printer/types';
import type { Outcome } from './outcome';
import { ok } from './outcome';

/** Marker levels at or under this percent count as low when the printer gives no low level of its own. */
const DEFAULT_LOW_PERCENT = 10;

/**
 * What a supply is, which decides what its level means:
 * - colourant: the ribbon of a card printer, the toner or ink of a document printer: printing stops when it ends;
 * - media: the card hopper (blank e-KTP cards) or paper;
 * - consumable: anything else used up by printing (retransfer film, laminate, an unnamed supply);
 * - waste: a receptacle that fills up (waste toner/ink tank): its level is not a supply running out;
 * - wear: a part that wears (cleaning roller, fuser, drum, transfer unit): replaced at service, never "ribbon low".
 */
export type SupplyKind = 'colourant' | 'media' | 'consumable' | 'waste' | 'wear';

// IPP marker-types (RFC 3805 prtMarkerSuppliesTypeTC, PWG 5100.13 printer-supply type=) with
// case and hyphens removed: ink-ribbon and inkRibbon are the same.
const COLOURANT_TYPES = new Set([
  'inkribbon',
  'ribbonwax',
  'solidwax',
  'toner',
  'tonercartridge',
  'ink',
  'inkcartridge',
]);
const WEAR_TYPES = new Set([
  'cleanerunit',
  'fuser',
  'fuseroil',
  'fuseroilwick',
  'fuseroiler',
  'fusercleaningpad',
  'opc',
  'developer',
  'coronawire',
  'transferunit',
  'transferroller',
]);

export function supplyKind(marker: Pick<PrinterMarker, 'name' | 'type'>): SupplyKind {
  const type = marker.type.toLowerCase().replace(/[^a-z]/g, '');
  const name = marker.name.toLowerCase();
  if (type.startsWith('waste') || /waste|limbah/.test(name)) {
    return 'waste';
  }
  if (/ribbon|\bpita\b/.test(name) || COLOURANT_TYPES.has(type)) {
    return 'colourant';
  }
  if (/\bcards?\b|hopper|feeder|blangko|kartu|paper|kertas/.test(name) || type === 'media') {
    return 'media';
  }
  // A retransfer film or laminate is used up like a ribbon, whatever type the driver gives it.
  if (/film|laminat|overlay/.test(name)) {
    return 'consumable';
  }
  if (WEAR_TYPES.has(type) || /clean|roller|fuser|drum|pembersih/.test(name)) {
    return 'wear';
  }
  return 'consumable';
}

/** The level of a low supply the printer reports as low without saying how much is left. */
export const LEVEL_NOT_REPORTED: Text = {
  id: 'printer tidak melaporkan sisanya',
  en: 'the printer does not report how much is left',
};

/** A level for a message, in words when the printer gives none (never "(?%)"). */
export function levelText(level: number | undefined): Text {
  return level !== undefined && level >= 0
    ? { id: `sisa ${level}%`, en: `${level}% left` }
    : LEVEL_NOT_REPORTED;
}

function isLow(marker: PrinterMarker): boolean {
  return marker.level >= 0 && marker.level <= (marker.lowLevel ?? DEFAULT_LOW_PERCENT);
}

function failedQuery(
  queue: string,
  result: Extract<PrinterStatusResult, { ok: false }>,
  path: PrinterPath,
): Outcome {
  const measurements = {
    queue,
    path,
    reason: result.reason,
    error: result.message,
    elapsedMs: result.elapsedMs,
  };
  const fault = (suffix: string): Outcome => ({
    status: 'fault',
    suffix,
    measurements,
  });
  switch (result.reason) {
    case 'not-found':
      return fault('QUEUE_NOT_FOUND');
    case 'bad-response':
      // A printer reached directly that answers what does not decode is not working (firmware
      // hung, its IPP service broken): a fault. On a spooler path it is our reading of the
      // spooler's answer (Windows: PowerShell's output) that failed: a check error.
      return path === 'spooler'
        ? { status: 'unknown', suffix: 'CHECK_ERROR', measurements }
        : fault('NOT_RESPONDING');
    // An answer that says it failed (HTTP 500, IPP server-error) is no working printer: a fault
    // like silence, never an "unknown" that opens nothing.
    case 'failed':
    case 'unreachable':
    case 'dropped':
    case 'timeout':
      // A spooler that does not answer (or hangs up) is the PC's print service; a printer reached
      // directly is the printer, its power or its network cable.
      if (path === 'spooler') {
        return fault('SPOOLER_UNREACHABLE');
      }
      return fault(result.reason === 'unreachable' ? 'UNREACHABLE' : 'NOT_RESPONDING');
    default:
      return { status: 'unknown', suffix: 'CHECK_ERROR', measurements };
  }
}

export function checkPrinterStatus(
  role: Role,
  queue: string,
  result: PrinterStatusResult,
  path: PrinterPath = 'spooler',
): Outcome {
  if (!result.ok) {
    return failedQuery(queue, result, path);
  }
  const { status } = result;
  const card = role === 'card-printer';
  const supplies = status.markers.map((marker) => ({ ...marker, kind: supplyKind(marker) }));
  const measurements: Record<string, unknown> = {
    queue,
    path,
    state: status.state,
    reasons: status.reasons,
    markers: supplies,
    acceptingJobs: status.acceptingJobs,
    stateMessage: status.stateMessage,
    makeAndModel: status.makeAndModel,
    elapsedMs: result.elapsedMs,
  };
  const fault = (suffix: string, params?: Outcome['params']): Outcome => ({
    status: 'fault',
    suffix,
    params,
    measurements,
  });
  const warning = (suffix: string, params: Outcome['params']): Outcome => ({
    status: 'warning',
    suffix,
    params,
    measurements,
  });
  const reasons = new Set(status.reasons);
  const has = (...names: string[]) => names.some((name) => reasons.has(name));
  const colourantSuffix = card ? 'RIBBON' : 'TONER';
  const mediaSuffix = card ? 'CARDS' : 'PAPER';
  // Waste tanks and worn parts never count as a supply running out, whatever their level.
  const used = supplies.filter((supply) => supply.kind !== 'waste' && supply.kind !== 'wear');
  const lowest = (kind: SupplyKind) =>
    used.filter((supply) => supply.kind === kind && supply.level >= 0).sort((a, b) => a.level - b.level)[0];

  if (has('media-jam', 'jam')) {
    return fault('JAM');
  }
  if (has('cover-open', 'door-open', 'interlock-open')) {
    return fault('COVER_OPEN');
  }
  const empty = used.find((supply) => supply.level === 0);
  if (has('media-empty', 'media-needed', 'input-tray-missing') || empty?.kind === 'media') {
    return fault(`${mediaSuffix}_OUT`);
  }
  if (
    has('marker-supply-empty', 'toner-empty', 'marker-ink-almost-empty-never') ||
    empty?.kind === 'colourant'
  ) {
    return fault(`${colourantSuffix}_OUT`, { level: 0 });
  }
  if (empty) {
    return fault('SUPPLY_OUT', { supply: empty.name });
  }
  if (has('offline', 'shutdown', 'paused') || status.state === 'stopped' || status.acceptingJobs === false) {
    const errors = status.reasons.filter((reason) => status.reasonSeverity[reason] === 'error');
    return fault(errors.length > 0 && !has('offline', 'shutdown', 'paused') ? 'ERROR' : 'OFFLINE');
  }
  const low = used.filter(isLow);
  const lowColourant = low.find((supply) => supply.kind === 'colourant');
  if (has('marker-supply-low', 'toner-low') || lowColourant) {
    return warning(`${colourantSuffix}_LOW`, {
      level: levelText((lowColourant ?? lowest('colourant'))?.level),
    });
  }
  const lowMedia = low.find((supply) => supply.kind === 'media');
  if (has('media-low') || lowMedia) {
    return warning(`${mediaSuffix}_LOW`, { level: levelText((lowMedia ?? lowest('media'))?.level) });
  }
  const lowOther = low.find((supply) => supply.kind === 'consumable');
  if (lowOther) {
    return warning('SUPPLY_LOW', { supply: lowOther.name, level: levelText(lowOther.level) });
  }
  if (status.reasons.some((reason) => status.reasonSeverity[reason] === 'error')) {
    return fault('ERROR');
  }
  return ok(measurements);
}
