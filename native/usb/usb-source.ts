// UsbSource over the real `usb` 3.x library (a WebUSB-style API over nusb). Enumeration only: no
// device is ever opened by this adapter. Two library quirks shape this file:
// - On Linux, `manufacturerName`, `productName` and `serialNumber` read sysfs; when the sysfs
//   attribute is missing (or is not UTF-8) the getter falls back to OPENING the device to read the
//   string descriptor, and throws when that fails. So a getter is only called when its sysfs file
//   exists, and every getter call is guarded.
// - Interface classes need the device opened (`configuration`); on Linux they are read from the
//   interface directories in sysfs instead (`1-1.4:1.0/bInterfaceClass`), elsewhere left absent.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { UsbDeviceInfo, UsbSource } from './types';

/** A UsbSource that also says why its last enumeration failed or what it skipped. */
export interface ReportingUsbSource extends UsbSource {
  /**
   * Set when the last list() could not enumerate at all (no /sys/bus/usb, the native binding did
   * not load, ...). list() then resolved with []: callers must not read that as "every device
   * went away". Cleared by the next successful enumeration.
   */
  readonly lastError?: string;
  /** Devices the last list() skipped because their descriptors were unreadable or malformed. */
  readonly lastSkipped: number;
  /**
   * Devices the last list() left out because they were unplugged while it read them (listed, then
   * their sysfs directory was gone): absent, never a device without its strings.
   */
  readonly lastVanished: number;
}

/** The `connect`/`disconnect` events of the library's `usb` object (EventTarget style). */
export interface UsbEventSource {
  addEventListener(type: 'connect' | 'disconnect', listener: () => void): void;
  removeEventListener(type: 'connect' | 'disconnect', listener: () => void): void;
}

export type UsbStringAttribute = 'manufacturer' | 'product' | 'serial';

export interface ToUsbDeviceInfoOptions {
  /**
   * Whether a string descriptor may be read without opening the device. Called with the parsed
   * bus and port chain; the default allows every string.
   */
  stringAvailable?: (location: { bus?: number; ports?: number[] }, attribute: UsbStringAttribute) => boolean;
}

export interface UsbSourceOptions {
  /** Replaces `usb.getDevices()`; for tests of failure paths. */
  getDevices?: () => Promise<unknown>;
  /** Where Linux exposes USB devices; null disables the sysfs reads. */
  sysfsRoot?: string | null;
}

const DEFAULT_SYSFS_ROOT = '/sys/bus/usb/devices';
/**
 * A USB string descriptor holds at most 126 UTF-16 code units, but a device's vendor, model and
 * serial number travel to the district in fields of at most 100 (protocol/events.ts,
 * WireDeviceSchema): a longer string would make every report about the device, and the whole
 * inventory, a refused event. Cut here once, so keys, profile matches and reports agree.
 */
const MAX_STRING_LENGTH = 100;
/** USB allows at most 5 hubs between a device and the root port; 7 leaves room for odd topologies. */
const MAX_PORT_DEPTH = 7;

const hex4 = (value: number) => value.toString(16).padStart(4, '0');

function read(raw: object, name: string): unknown {
  try {
    return (raw as Record<string, unknown>)[name];
  } catch {
    return undefined;
  }
}

function integerIn(value: unknown, min: number, max: number): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
    ? value
    : undefined;
}

// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Descriptor strings as shown to people and used in keys: printable, trimmed, bounded; empty -> undefined. */
export function cleanDescriptorString(value: unknown): string | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  const cleaned = value
    .replace(CONTROL_CHARACTERS, '')
    .trim()
    .slice(0, MAX_STRING_LENGTH)
    .replace(LONE_SURROGATE, '\ufffd')
    .trim();
  return cleaned === '' ? undefined : cleaned;
}

/** `bus` is a zero-padded string ("001") in usb 3.x; a number is accepted too. */
function parseBus(value: unknown): number | undefined {
  if (typeof value === 'string' && /^\d{1,5}$/.test(value.trim())) {
    return integerIn(Number.parseInt(value.trim(), 10), 0, 65535);
  }
  return integerIn(value, 0, 65535);
}

function parsePorts(value: unknown): number[] | undefined {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_PORT_DEPTH) {
    return undefined;
  }
  const ports = value.map((port) => integerIn(port, 1, 255));
  return ports.every((port) => port !== undefined) ? (ports as number[]) : undefined;
}

/** BCD version fields as WebUSB splits them (major byte, minor nibble, subminor nibble) -> "2.00". */
function formatVersion(major: unknown, minor: unknown, subminor: unknown): string | undefined {
  const majorValue = integerIn(major, 0, 99);
  const minorValue = integerIn(minor, 0, 15);
  const subminorValue = integerIn(subminor, 0, 15);
  if (majorValue === undefined || minorValue === undefined || subminorValue === undefined) {
    return undefined;
  }
  return `${majorValue}.${minorValue.toString(16)}${subminorValue.toString(16)}`;
}

/** `1-1.4` for bus 1 ports [1, 4]; `1` for a device without a port chain. */
export function usbLocation(bus: number | undefined, ports: number[] | undefined): string {
  const busText = bus === undefined ? '?' : String(bus);
  return ports && ports.length > 0 ? `${busText}-${ports.join('.')}` : busText;
}

/**
 * Builds UsbDeviceInfo from one device object of the library (or anything shaped like it).
 * Returns undefined when the identity fields are missing or malformed; never throws, even when a
 * getter throws. Interface classes are not read here.
 */
export function toUsbDeviceInfo(
  raw: unknown,
  options: ToUsbDeviceInfoOptions = {},
): UsbDeviceInfo | undefined {
  if (typeof raw !== 'object' || raw === null) {
    return undefined;
  }
  const vendorId = integerIn(read(raw, 'vendorId'), 0, 0xffff);
  const productId = integerIn(read(raw, 'productId'), 0, 0xffff);
  const deviceClass = integerIn(read(raw, 'deviceClass'), 0, 0xff);
  const deviceSubclass = integerIn(read(raw, 'deviceSubclass'), 0, 0xff);
  const deviceProtocol = integerIn(read(raw, 'deviceProtocol'), 0, 0xff);
  if (
    vendorId === undefined ||
    productId === undefined ||
    deviceClass === undefined ||
    deviceSubclass === undefined ||
    deviceProtocol === undefined
  ) {
    return undefined;
  }
  const bus = parseBus(read(raw, 'bus'));
  const ports = parsePorts(read(raw, 'ports'));
  const address = integerIn(read(raw, 'address'), 0, 255);
  const stringAvailable = options.stringAvailable ?? (() => true);
  const text = (property: string, attribute: UsbStringAttribute) => {
    try {
      return stringAvailable({ bus, ports }, attribute)
        ? cleanDescriptorString(read(raw, property))
        : undefined;
    } catch {
      return undefined;
    }
  };
  const manufacturer = text('manufacturerName', 'manufacturer');
  const product = text('productName', 'product');
  const serialNumber = text('serialNumber', 'serial');
  const ids = `${hex4(vendorId)}:${hex4(productId)}`;
  const info: UsbDeviceInfo = {
    key: serialNumber === undefined ? `usb:${ids}@${usbLocation(bus, ports)}` : `usb:${ids}:${serialNumber}`,
    vendorId,
    productId,
    deviceClass,
    deviceSubclass,
    deviceProtocol,
  };
  const optional: Partial<UsbDeviceInfo> = {
    manufacturer,
    product,
    serialNumber,
    bus,
    address,
    ports,
    usbVersion: formatVersion(
      read(raw, 'usbVersionMajor'),
      read(raw, 'usbVersionMinor'),
      read(raw, 'usbVersionSubminor'),
    ),
    deviceVersion: formatVersion(
      read(raw, 'deviceVersionMajor'),
      read(raw, 'deviceVersionMinor'),
      read(raw, 'deviceVersionSubminor'),
    ),
  };
  for (const [name, value] of Object.entries(optional)) {
    if (value !== undefined) {
      (info as unknown as Record<string, unknown>)[name] = value;
    }
  }
  return info;
}

/**
 * Two devices can share a serial number (cheap devices often report a constant one). Keys must be
 * unique within one enumeration, so every holder of a shared key gets its location appended.
 */
function makeKeysUnique(devices: UsbDeviceInfo[]): void {
  const counts = new Map<string, number>();
  for (const device of devices) {
    counts.set(device.key, (counts.get(device.key) ?? 0) + 1);
  }
  for (const device of devices) {
    if ((counts.get(device.key) ?? 0) > 1) {
      device.key = `${device.key}@${usbLocation(device.bus, device.ports)}`;
    }
  }
}

/** What sysfs says about devices, read once per enumeration. Absent outside Linux. */
class SysfsView {
  private readonly entries: Set<string>;

  private constructor(
    private readonly root: string,
    entries: string[],
  ) {
    this.entries = new Set(entries);
  }

  static open(root: string | null): SysfsView | undefined {
    if (root === null || process.platform !== 'linux') {
      return undefined;
    }
    try {
      return new SysfsView(root, readdirSync(root));
    } catch {
      return undefined;
    }
  }

  /** False only when the device's directory exists and the attribute file does not. */
  hasAttribute(location: { bus?: number; ports?: number[] }, attribute: UsbStringAttribute): boolean {
    if (location.bus === undefined || location.ports === undefined) {
      return true;
    }
    const name = usbLocation(location.bus, location.ports);
    if (!this.entries.has(name)) {
      return true;
    }
    return existsSync(join(this.root, name, attribute));
  }

  /**
   * The library listed the device (from sysfs, on Linux) and its directory is gone now: it was
   * unplugged while the list was read, so what was read (perhaps without serial number or names)
   * describes no attached device.
   */
  vanished(device: UsbDeviceInfo): boolean {
    if (device.bus === undefined || device.ports === undefined) {
      return false;
    }
    return !existsSync(join(this.root, usbLocation(device.bus, device.ports)));
  }

  interfaceClasses(device: UsbDeviceInfo): number[] | undefined {
    if (device.bus === undefined || device.ports === undefined) {
      return undefined;
    }
    const prefix = `${usbLocation(device.bus, device.ports)}:`;
    const classes = new Set<number>();
    for (const entry of this.entries) {
      if (!entry.startsWith(prefix)) {
        continue;
      }
      try {
        const text = readFileSync(join(this.root, entry, 'bInterfaceClass'), 'latin1').trim();
        if (/^[0-9a-fA-F]{1,2}$/.test(text)) {
          classes.add(Number.parseInt(text, 16));
        }
      } catch {
        // An interface directory without a readable class tells nothing; the others still count.
      }
    }
    return classes.size > 0 ? [...classes].sort((left, right) => left - right) : undefined;
  }
}

async function libraryGetDevices(): Promise<unknown> {
  // Loaded on first use so that a native binding that fails to load is an enumeration error,
  // not a crash of whatever imported this module.
  const { usb } = await import('usb');
  return usb.getDevices();
}

class LibraryUsbSource implements ReportingUsbSource {
  lastError?: string;
  lastSkipped = 0;
  lastVanished = 0;

  constructor(
    private readonly getDevices: () => Promise<unknown>,
    private readonly sysfsRoot: string | null,
  ) {}

  async list(): Promise<UsbDeviceInfo[]> {
    let raws: unknown;
    try {
      raws = await this.getDevices();
      if (!Array.isArray(raws)) {
        throw new Error('the usb library returned no device list');
      }
    } catch (error) {
      this.lastError = `USB enumeration failed: ${error instanceof Error ? error.message : String(error)}`;
      this.lastSkipped = 0;
      this.lastVanished = 0;
      return [];
    }
    const sysfs = SysfsView.open(this.sysfsRoot);
    const devices: UsbDeviceInfo[] = [];
    let skipped = 0;
    let vanished = 0;
    for (const raw of raws) {
      const device = toUsbDeviceInfo(raw, {
        stringAvailable: sysfs ? (location, attribute) => sysfs.hasAttribute(location, attribute) : undefined,
      });
      if (!device) {
        skipped += 1;
        continue;
      }
      const interfaceClasses = sysfs?.interfaceClasses(device);
      if (interfaceClasses) {
        device.interfaceClasses = interfaceClasses;
      }
      // Checked after every read: a device gone by now may have lost its strings on the way.
      if (sysfs?.vanished(device)) {
        vanished += 1;
        continue;
      }
      devices.push(device);
    }
    makeKeysUnique(devices);
    devices.sort((left, right) => (left.key < right.key ? -1 : left.key > right.key ? 1 : 0));
    this.lastError = undefined;
    this.lastSkipped = skipped;
    this.lastVanished = vanished;
    return devices;
  }
}

export function createUsbSource(options: UsbSourceOptions = {}): ReportingUsbSource {
  return new LibraryUsbSource(
    options.getDevices ?? libraryGetDevices,
    options.sysfsRoot === undefined ? DEFAULT_SYSFS_ROOT : options.sysfsRoot,
  );
}

/** The library's `usb` object as the monitor's event source; undefined when the binding cannot load. */
export async function loadUsbEventSource(): Promise<UsbEventSource | undefined> {
  try {
    const { usb } = await import('usb');
    return usb;
  } catch {
    return undefined;
  }
}
