// Contract of the USB adapter. Implemented by the real `usb` library (usb-source.ts) and by the
// simulator's virtual devices (electron/agent/simulate). Only device-level fields are promised:
// interface classes need the device opened, which a fake sysfs tree (and the recording software
// holding the device) does not allow, so they are optional.

export interface UsbDeviceInfo {
  /** Stable identity on this PC: `usb:VID:PID:SERIAL` or, without a serial number, `usb:VID:PID@bus-ports`. */
  key: string;
  vendorId: number;
  productId: number;
  deviceClass: number;
  deviceSubclass: number;
  deviceProtocol: number;
  manufacturer?: string;
  product?: string;
  serialNumber?: string;
  bus?: number;
  address?: number;
  /** Port chain, e.g. [1, 4] for 1-1.4. */
  ports?: number[];
  /** USB version as "2.00". */
  usbVersion?: string;
  /** bcdDevice as "1.00". */
  deviceVersion?: string;
  /** Interface classes when they could be read; absent otherwise. */
  interfaceClasses?: number[];
}

export interface UsbSource {
  /** One enumeration. Never throws for a single unreadable device: that device is skipped. */
  list(): Promise<UsbDeviceInfo[]>;
  /** Why the last enumeration failed as a whole (then list() resolved []); undefined after a good one. */
  readonly lastError?: string;
}

export type UsbChange =
  | { type: 'attached'; device: UsbDeviceInfo }
  | { type: 'detached'; device: UsbDeviceInfo };

/** Per-device history kept by the monitor, used to detect loose cables. */
export interface UsbDeviceHistory {
  key: string;
  /** Times the device went away and came back since the monitor started. */
  reconnects: number;
  /** Times (ms on the monitor's monotonic clock, not epoch) of the detach/attach transitions seen in the last window. */
  recentTransitions: number[];
  present: boolean;
  lastSeen: number;
}
