// Hotplug for the agent: a UsbMonitor over the adapters' USB source, fed by the usb library's
// connect/disconnect events and a periodic re-enumeration (events are missed on some systems).
// It gives the checks their reconnect history (loose cables) and the agent its hotplug trigger.
import { UsbMonitor } from '../../../native/usb/monitor';
import { loadUsbEventSource } from '../../../native/usb/usb-source';
import type { Adapters } from '../adapters';

/** Re-enumeration period when no event arrives; an enumeration costs about a millisecond. */
export const USB_REENUMERATE_MS = 10_000;

export interface UsbWatch {
  /** Agent option: calls listener on every attach or detach; returns the unsubscribe function. */
  hotplug: (listener: () => void) => () => void;
  stop(): void;
}

/** Starts watching and installs `usbHistory` on the adapters. `events: false` polls only. */
export async function watchUsb(
  adapters: Adapters,
  options: { events?: boolean; intervalMs?: number } = {},
): Promise<UsbWatch> {
  const events = options.events === false ? undefined : await loadUsbEventSource();
  const monitor = new UsbMonitor(adapters.usb, events, {
    intervalMs: options.intervalMs ?? USB_REENUMERATE_MS,
  });
  adapters.usbHistory = (key) => monitor.history(key);
  monitor.start();
  return {
    hotplug: (listener) => monitor.onChange(() => listener()),
    stop: () => monitor.stop(),
  };
}
