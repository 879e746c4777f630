// What the forecasts watch, taken from what the agent measures anyway: each check's verdicts (USB
// reconnect counts from the USB monitor, UPS readings, printer supply levels, the kiosk's camera
// measurements, disk free space), the operator's stock count of the daily check, and the clock
// offset from the district's replies. Nothing here queries a device.
//
// State kept in memory only (a restart starts it afresh, which loses nothing worth keeping):
// - the USB monitor's reconnect counters, which count from the agent's start, so the first count
//   seen after a start is all new;
// - the outage in progress (a PC on a UPS whose battery ran out restarts anyway);
// - the time of the last camera verdict taken (the kiosk's verdict goes into every check for ten
//   minutes; it is one measurement, not ten).
import { interpretBatteryVoltage } from '../../../native/serial/megatec';
import type { UpsRating } from '../../../native/serial/types';
import { CELL_END_VOLTS } from '../../../protocol/predictors';
import type { Verdict } from '../../../protocol/verdict';
import type { CheckReport } from '../types';
import type { Sample } from './series-store';
import { METRICS } from './series-store';

const GB = 1024 ** 3;
/** An outage shorter than this says too little about the battery to estimate its runtime. */
const MIN_OUTAGE_MS = 5 * 60_000;
/** The least fall of volts per cell over an outage from which a runtime is extrapolated. */
const MIN_OUTAGE_DROP_VOLTS = 0.03;

interface Outage {
  deviceKey: string;
  startMs: number;
  startCellVolts: number;
  lastCellVolts: number;
  lastMs: number;
}

/** The operator's stock count of the last daily check (store meta `consumables`). */
export interface StockCount {
  blankCards: number;
  ribbonPrints: number;
  updatedAt: string;
}

export interface CollectInput {
  report: CheckReport;
  /** Epoch ms of the samples: the station's clock corrected by the district's offset when known. */
  at: number;
  /** District clock minus station clock (ms) from the district's last reply; null before any. */
  clockOffsetMs: number | null;
  stock: StockCount | null;
}

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export class SampleCollector {
  private readonly reconnectCounts = new Map<string, number>();
  private outage: Outage | null = null;
  private lastCameraAt = '';
  private lastClockOffsetMs: number | null = null;
  /** Lead-acid cells of the UPS battery, from its latest reading (6 for 12 V); 1 while unknown. */
  upsCells = 1;

  collect(input: CollectInput): Sample[] {
    const samples: Sample[] = [];
    for (const verdict of input.report.verdicts) {
      if (verdict.role === null) {
        continue;
      }
      if (verdict.device?.transport === 'usb') {
        this.usb(verdict, input.at, samples);
      }
      switch (verdict.role) {
        case 'ups':
          this.ups(verdict, input.at, samples);
          break;
        case 'card-printer':
          this.ribbon(verdict, input.at, samples);
          break;
        case 'camera':
          this.camera(verdict, samples);
          break;
        case 'pc':
          this.disk(verdict, input.at, samples);
          break;
        default:
          break;
      }
    }
    if (input.stock) {
      const at = Date.parse(input.stock.updatedAt);
      // The same count read again lands on the same day as its `last`: nothing changes.
      samples.push({ metric: METRICS.blankCards, deviceKey: '', at, value: input.stock.blankCards });
      samples.push({ metric: METRICS.ribbonPrints, deviceKey: '', at, value: input.stock.ribbonPrints });
    }
    // A stored offset not refreshed by a new reply is no new measurement.
    if (input.clockOffsetMs !== null && input.clockOffsetMs !== this.lastClockOffsetMs) {
      this.lastClockOffsetMs = input.clockOffsetMs;
      samples.push({
        metric: METRICS.clockOffset,
        deviceKey: '',
        at: input.at,
        value: input.clockOffsetMs / 1000,
      });
    }
    return samples;
  }

  private usb(verdict: Verdict, at: number, samples: Sample[]): void {
    const total = numberOf(verdict.measurements.reconnects);
    const key = verdict.device?.key;
    if (total === undefined || key === undefined) {
      return;
    }
    const previous = this.reconnectCounts.get(key);
    this.reconnectCounts.set(key, total);
    // The monitor's count restarts with the agent (or its history of the device was dropped).
    const added = previous === undefined || total < previous ? total : total - previous;
    samples.push({ metric: METRICS.usbReconnects, deviceKey: `${verdict.role}|${key}`, at, value: added });
  }

  private ups(verdict: Verdict, at: number, samples: Sample[]): void {
    const measured = verdict.measurements;
    const reading = numberOf(measured.batteryVoltage);
    if (reading === undefined || typeof measured.utilityFail !== 'boolean') {
      return;
    }
    const deviceKey = verdict.device?.key ?? (typeof measured.path === 'string' ? measured.path : 'ups');
    const battery = interpretBatteryVoltage(reading, measured.rating as UpsRating | undefined);
    if (battery.nominalVolts !== undefined) {
      this.upsCells = Math.max(1, Math.round(battery.nominalVolts / 2));
    }
    const onBattery = measured.utilityFail;
    if (!onBattery) {
      this.endOutage(at, samples);
      if (battery.perCellVolts > 0) {
        samples.push({ metric: METRICS.upsCellVolts, deviceKey, at, value: battery.perCellVolts });
      }
      samples.push({
        metric: METRICS.upsLowOnMains,
        deviceKey,
        at,
        value: measured.batteryLow === true ? 100 : 0,
      });
      return;
    }
    if (this.outage === null) {
      this.outage = {
        deviceKey,
        startMs: at,
        startCellVolts: battery.perCellVolts,
        lastCellVolts: battery.perCellVolts,
        lastMs: at,
      };
      return;
    }
    this.outage.lastCellVolts = battery.perCellVolts;
    this.outage.lastMs = at;
    if (measured.batteryLow === true) {
      // Battery low on battery power: the runtime measured, not estimated.
      samples.push({
        metric: METRICS.upsRuntime,
        deviceKey: this.outage.deviceKey,
        at,
        value: (at - this.outage.startMs) / 60_000,
      });
      this.outage = { ...this.outage, startMs: Number.NaN };
    }
  }

  /**
   * Mains came back: the runtime is estimated from the fall of the volts per cell over the outage,
   * extrapolated to CELL_END_VOLTS (the discharge curve of lead-acid under steady load is close to a
   * line until the knee near the end, so this errs long; the trend, not the figure, is what counts).
   */
  private endOutage(at: number, samples: Sample[]): void {
    const outage = this.outage;
    this.outage = null;
    if (outage === null || !Number.isFinite(outage.startMs)) {
      return;
    }
    const duration = outage.lastMs - outage.startMs;
    const drop = outage.startCellVolts - outage.lastCellVolts;
    if (duration < MIN_OUTAGE_MS || drop < MIN_OUTAGE_DROP_VOLTS) {
      return;
    }
    const minutes = (duration / 60_000) * ((outage.startCellVolts - CELL_END_VOLTS) / drop);
    samples.push({ metric: METRICS.upsRuntime, deviceKey: outage.deviceKey, at, value: minutes });
  }

  private ribbon(verdict: Verdict, at: number, samples: Sample[]): void {
    const markers = verdict.measurements.markers;
    if (!Array.isArray(markers)) {
      return;
    }
    const levels = markers
      .filter((marker: { kind?: unknown }) => marker?.kind === 'colourant')
      .map((marker: { level?: unknown }) => numberOf(marker.level))
      .filter((level): level is number => level !== undefined && level >= 0 && level <= 100);
    if (levels.length === 0) {
      return;
    }
    const deviceKey = verdict.device?.key ?? String(verdict.measurements.queue ?? 'card-printer');
    samples.push({ metric: METRICS.ribbonLevel, deviceKey, at, value: Math.min(...levels) });
  }

  private camera(verdict: Verdict, samples: Sample[]): void {
    const sharpness = numberOf(verdict.measurements.edgeSharpness);
    const brightness = numberOf(verdict.measurements.meanLuma);
    const at = Date.parse(verdict.checkedAt);
    if ((sharpness === undefined && brightness === undefined) || verdict.checkedAt === this.lastCameraAt) {
      return;
    }
    this.lastCameraAt = verdict.checkedAt;
    const deviceKey = verdict.device?.key ?? '';
    if (sharpness !== undefined) {
      samples.push({ metric: METRICS.cameraSharpness, deviceKey, at, value: sharpness });
    }
    if (brightness !== undefined) {
      samples.push({ metric: METRICS.cameraBrightness, deviceKey, at, value: brightness });
    }
  }

  private disk(verdict: Verdict, at: number, samples: Sample[]): void {
    const free = numberOf(verdict.measurements.diskFreeBytes);
    if (free !== undefined && free >= 0) {
      samples.push({ metric: METRICS.diskFree, deviceKey: '', at, value: free / GB });
    }
  }
}
