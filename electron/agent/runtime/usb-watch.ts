// Hotplug for the agent: a UsbMonitor over the adapters' USB source, fed by the usb library's
// connect/disconnect events and a periodic re-enumeration (events are missed on some systems).
// It gives the checks their reconnect history (loose cables) and the agent its hotplug trigger.
import { UsbMonitor } from '../../../native/usb/monitor';
import { loadUsbEventSource } from '../../../native/usb/usb-source';
import type { Adapters } from '../adapters';
import { DEFAULT_SCHEDULE } from './schedule';

export interface UsbWatch {
  /** Agent option: calls listener on every attach or detach; returns the unsubscribe function. */
  hotplug: (listener: () => void) => () => void;
  stop(): void;
}

/**
 * Starts watching and installs `usbHistory` on the adapters. `events: false` polls only;
 * `intervalMs` is the re-enumeration period (the schedule's usbRescanIntervalMs).
 */
export async function watchUsb(
  adapters: Adapters,
  options: { events?: boolean; intervalMs?: number } = {},
): Promise<UsbWatch> {
  const events = options.events === false ? undefined : await loadUsbEventSource();
  const monitor = new UsbMonitor(adapters.usb, events, {
    intervalMs: options.intervalMs ?? DEFAULT_SCHEDULE.usbRescanIntervalMs,
  });
  adapters.usbHistory = (key) => monitor.history(key);
  monitor.start();
  return {
    hotplug: (listener) => monitor.onChange(() => listener()),
    stop: () => monitor.stop(),
  };
}
