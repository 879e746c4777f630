// The native adapters one check uses. Real ones talk to the OS; simulate.ts builds virtual ones
// behind the same interfaces.
import type { UsbDeviceHistory, UsbSource } from '../../native/usb/types';
import type { SerialTransport } from '../../native/serial/types';
import type { PrinterStatusSource } from '../../native/printer/types';
import type { CommandRunner, NetworkProbe, SystemProbe } from '../../native/system/types';
import { createUsbSource } from '../../native/usb/usb-source';
import { createSerialTransport } from '../../native/serial/serial-query';
import { createIppStatusSource } from '../../native/printer/ipp-source';
import { createWindowsSpoolerSource } from '../../native/printer/windows-spooler';
import { createSystemProbe } from '../../native/system/system-probe';
import { createNetworkProbe } from '../../native/system/network-probe';
import { createCommandRunner } from '../../native/system/command-runner';

export interface Adapters {
  usb: UsbSource;
  /** Reconnect history from a running UsbMonitor; absent for a one-shot check. */
  usbHistory?: (key: string) => UsbDeviceHistory | undefined;
  serial: SerialTransport;
  printers: { ipp: PrinterStatusSource; windows?: PrinterStatusSource };
  system: SystemProbe;
  network: NetworkProbe;
  commands: CommandRunner;
}

export function createRealAdapters(): Adapters {
  const commands = createCommandRunner();
  return {
    usb: createUsbSource(),
    serial: createSerialTransport(),
    printers: {
      ipp: createIppStatusSource(),
      windows: process.platform === 'win32' ? createWindowsSpoolerSource(commands) : undefined,
    },
    system: createSystemProbe(),
    network: createNetworkProbe(),
    commands,
  };
}
