// The station's device inventory for the district: what is attached, in which role, by vendor,
// model and serial number, built from a check's verdicts. Sent as `inventory.reported` (a whole
// snapshot) after the first check of each start and after every check that finds it changed, so
// the district's inventory fills itself and learns of a swapped unit without anyone typing it in.
import type { InventoryDevice, InventoryReportedPayload } from '../../../protocol/events';
import { InventoryReportedPayloadSchema } from '../../../protocol/events';
import type { CheckReport } from '../types';

/** Transports of physical kit; the network link and the PC itself are no inventory. */
const DEVICE_TRANSPORTS = new Set(['usb', 'serial', 'printer']);

/**
 * The inventory a check saw, or null when it cannot tell (the USB bus could not be listed: the
 * devices are not gone, the PC just could not see them).
 */
export function inventoryOf(report: CheckReport): InventoryReportedPayload | null {
  if (report.verdicts.some((verdict) => verdict.code === 'USB_ENUMERATION_FAILED')) {
    return null;
  }
  const devices = new Map<string, InventoryDevice>();
  for (const verdict of report.verdicts) {
    const device = verdict.device;
    if (!device || !DEVICE_TRANSPORTS.has(device.transport ?? '') || devices.has(device.key)) {
      continue;
    }
    const replaces = verdict.measurements.baselineSerialNumber;
    devices.set(device.key, {
      role: verdict.role,
      device: {
        key: device.key,
        transport: device.transport,
        ...(device.vendor !== undefined ? { vendor: device.vendor } : {}),
        ...(device.model !== undefined ? { model: device.model } : {}),
        ...(device.serialNumber !== undefined ? { serialNumber: device.serialNumber } : {}),
      },
      ...(typeof replaces === 'string' && replaces !== '' ? { replacesSerialNumber: replaces } : {}),
    });
  }
  const sorted = [...devices.values()].sort((left, right) =>
    left.device.key < right.device.key ? -1 : left.device.key > right.device.key ? 1 : 0,
  );
  // Validated here as the district will: a bad snapshot is a bug to see now, not a refused batch later.
  return InventoryReportedPayloadSchema.parse({ devices: sorted.slice(0, 200) });
}

/** Remembers what was last committed to the outbox so that only a changed inventory is sent again. */
export class InventoryReporter {
  private lastSent: string | null = null;

  /** The event to append for this check, or null when nothing changed (or nothing can be told). */
  draft(
    report: CheckReport,
  ): { type: 'inventory.reported'; payload: InventoryReportedPayload; text: string } | null {
    const payload = inventoryOf(report);
    if (payload === null) {
      return null;
    }
    const text = JSON.stringify(payload);
    return text === this.lastSent ? null : { type: 'inventory.reported', payload, text };
  }

  /** The draft's event was committed. */
  committed(text: string): void {
    this.lastSent = text;
  }
}
