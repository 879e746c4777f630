// A fake /sys/bus/usb/devices tree for the real `usb` library (TESTING.md, "USB"), and a runner
// that starts a Node/tsx child script in a private mount namespace where that tree is mounted on
// /sys/bus/usb/devices. Needs root and unshare(1); when they are missing the runner rejects with
// a message saying so (tests fail, never skip).
import { spawn } from 'node:child_process';
import type { ChildProcess, ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after } from 'node:test';
import { collectChildOutput } from './child-output';
import type { ChildOutput } from './child-output';

export interface FakeUsbInterface {
  number: number;
  interfaceClass: number;
  interfaceSubclass?: number;
  interfaceProtocol?: number;
}

export interface FakeUsbDevice {
  bus: number;
  /** Port chain: [1, 4] is directory 1-1.4. */
  ports: number[];
  /** devnum; defaults to a value derived from the ports. */
  address?: number;
  vendorId: number;
  productId: number;
  deviceClass?: number;
  deviceSubclass?: number;
  deviceProtocol?: number;
  /** bcdDevice as 4 hex digits, e.g. "0100". */
  bcdDevice?: string;
  /** e.g. "2.00". */
  usbVersion?: string;
  /** Mbit/s as sysfs writes it: 1.5, 12, 480, 5000. */
  speed?: number;
  manufacturer?: string;
  product?: string;
  serial?: string;
  interfaces?: FakeUsbInterface[];
}

const hex = (value: number, digits: number) => value.toString(16).padStart(digits, '0');

export function deviceDirectoryName(bus: number, ports: number[]): string {
  return `${bus}-${ports.join('.')}`;
}

export class FakeSysfs {
  readonly root: string;

  /** A new temporary tree (in /dev/shm when there is one: file writes there are ~50x faster than on disk), or `root`. */
  constructor(root?: string) {
    const parent = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
    this.root = root ?? mkdtempSync(join(parent, 'siaga-sysfs-'));
    mkdirSync(this.root, { recursive: true });
  }

  /** Writes the device's directory (plug). Returns its name, e.g. "1-1.4". */
  add(device: FakeUsbDevice): string {
    const name = deviceDirectoryName(device.bus, device.ports);
    const attributes: Record<string, string | undefined> = {
      busnum: String(device.bus),
      devnum: String(device.address ?? 1 + (device.ports.reduce((sum, port) => sum * 8 + port, 0) % 126)),
      devpath: device.ports.join('.'),
      idVendor: hex(device.vendorId, 4),
      idProduct: hex(device.productId, 4),
      bcdDevice: device.bcdDevice ?? '0100',
      version: ` ${device.usbVersion ?? '2.00'}`,
      bDeviceClass: hex(device.deviceClass ?? 0, 2),
      bDeviceSubClass: hex(device.deviceSubclass ?? 0, 2),
      bDeviceProtocol: hex(device.deviceProtocol ?? 0, 2),
      bMaxPacketSize0: '64',
      speed: String(device.speed ?? 480),
      manufacturer: device.manufacturer,
      product: device.product,
      serial: device.serial,
    };
    this.writeAttributes(name, attributes);
    for (const usbInterface of device.interfaces ?? []) {
      this.writeAttributes(`${name}:1.${usbInterface.number}`, {
        bInterfaceNumber: hex(usbInterface.number, 2),
        bInterfaceClass: hex(usbInterface.interfaceClass, 2),
        bInterfaceSubClass: hex(usbInterface.interfaceSubclass ?? 0, 2),
        bInterfaceProtocol: hex(usbInterface.interfaceProtocol ?? 0, 2),
      });
    }
    return name;
  }

  /** Removes the device's directory and its interfaces (unplug). */
  remove(bus: number, ports: number[]): void {
    const name = deviceDirectoryName(bus, ports);
    rmSync(join(this.root, name), { recursive: true, force: true });
    for (let number = 0; number < 32; number += 1) {
      rmSync(join(this.root, `${name}:1.${number}`), { recursive: true, force: true });
    }
  }

  /** Writes raw attribute contents as given (no newline added), for malformed-file cases. */
  writeRaw(name: string, attribute: string, contents: string | Uint8Array): void {
    mkdirSync(join(this.root, name), { recursive: true });
    writeFileSync(join(this.root, name, attribute), contents);
  }

  removeAttribute(name: string, attribute: string): void {
    rmSync(join(this.root, name, attribute), { force: true });
  }

  /** Removes every device but keeps the root directory itself: it may be the source of a bind mount. */
  clear(): void {
    for (const entry of readdirSync(this.root)) {
      rmSync(join(this.root, entry), { recursive: true, force: true });
    }
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }

  private writeAttributes(name: string, attributes: Record<string, string | undefined>): void {
    const directory = join(this.root, name);
    mkdirSync(directory, { recursive: true });
    for (const [attribute, value] of Object.entries(attributes)) {
      if (value !== undefined) {
        // sysfs attributes are one line ending in a newline.
        writeFileSync(join(directory, attribute), `${value}\n`);
      }
    }
  }
}

/**
 * For a test file: `folder()` makes a temp folder (`siaga-<prefix>-*`) and `tree()` a fake sysfs
 * tree, both removed by an after() hook this registers. Call at the top level of the test file.
 */
export function useFakeSysfsFiles(prefix: string): { folder(): string; tree(): FakeSysfs } {
  const folders: string[] = [];
  const trees: FakeSysfs[] = [];
  after(() => {
    trees.forEach((tree) => tree.dispose());
    folders.forEach((folder) => rmSync(folder, { recursive: true, force: true }));
  });
  return {
    folder: () => {
      const created = mkdtempSync(join(tmpdir(), `siaga-${prefix}-`));
      folders.push(created);
      return created;
    },
    tree: () => {
      const created = new FakeSysfs();
      trees.push(created);
      return created;
    },
  };
}

export interface ChildResult extends ChildOutput {
  /** The last stdout line parsed as JSON (the child's report); undefined when it is not JSON. */
  report: unknown;
}

export interface RunInFakeSysfsOptions {
  /** The tree to mount; with `noUsbBus` nothing is mounted and /sys/bus/usb does not exist. */
  root?: string;
  /** Hide /sys/bus/usb entirely (a PC where the library finds no USB subsystem). */
  noUsbBus?: boolean;
  args?: string[];
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Called with the child once started (the node process itself: unshare and sh exec it), e.g. to stop it with SIGTERM. */
  onSpawn?: (child: ChildProcess) => void;
}

const MOUNT_SCRIPT = `set -e
if [ -n "$SIAGA_NO_USB_BUS" ]; then
  mount -t tmpfs none /sys/bus
elif [ -d /sys/bus/usb/devices ]; then
  mount --bind "$FAKE_SYSFS" /sys/bus/usb/devices
else
  mount -t tmpfs none /sys/bus
  mkdir -p /sys/bus/usb/devices
  mount --bind "$FAKE_SYSFS" /sys/bus/usb/devices
fi
exec "$SIAGA_NODE" --import tsx "$@"`;

/** Why a fake sysfs child cannot run here, or undefined when it can. */
function fakeSysfsUnavailable(options: RunInFakeSysfsOptions): string | undefined {
  if (process.platform !== 'linux') {
    return 'fake sysfs needs Linux (unshare, mount namespaces)';
  }
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    return 'fake sysfs needs root for `unshare -m` and mount: run the tests as root';
  }
  if (!existsSync('/usr/bin/unshare') && !existsSync('/bin/unshare')) {
    return 'unshare(1) is missing: install util-linux';
  }
  if (!options.noUsbBus && (options.root === undefined || !existsSync(options.root))) {
    return `fake sysfs root ${String(options.root)} does not exist`;
  }
  return undefined;
}

/**
 * Starts `script` (a .ts file) under tsx inside `unshare -m` with the fake tree on
 * /sys/bus/usb/devices, with stdin, stdout and stderr as pipes. The child gets FAKE_SYSFS (the
 * tree's own path, still writable from inside) in its environment. Throws when it cannot run here.
 */
export function spawnInFakeSysfs(
  script: string,
  options: RunInFakeSysfsOptions = {},
): ChildProcessWithoutNullStreams {
  const unavailable = fakeSysfsUnavailable(options);
  if (unavailable !== undefined) {
    throw new Error(unavailable);
  }
  return spawn(
    'unshare',
    ['-m', 'sh', '-c', MOUNT_SCRIPT, 'siaga-usb-child', resolve(script), ...(options.args ?? [])],
    {
      cwd: process.cwd(),
      env: {
        ...process.env,
        ...options.env,
        FAKE_SYSFS: options.root ?? '',
        SIAGA_NO_USB_BUS: options.noUsbBus ? '1' : '',
        SIAGA_NODE: process.execPath,
      },
      stdio: 'pipe',
    },
  );
}

/**
 * Runs `script` as spawnInFakeSysfs does, with no input. Resolves when it exits; the child is
 * killed at the timeout.
 */
export function runInFakeSysfs(script: string, options: RunInFakeSysfsOptions = {}): Promise<ChildResult> {
  const unavailable = fakeSysfsUnavailable(options);
  if (unavailable !== undefined) {
    return Promise.reject(new Error(unavailable));
  }
  let child: ChildProcessWithoutNullStreams;
  try {
    child = spawnInFakeSysfs(script, options);
  } catch (error) {
    return Promise.reject(error as Error);
  }
  child.stdin.end();
  options.onSpawn?.(child);
  return collectChildOutput(child, options.timeoutMs).then((output) => {
    const lastLine = output.stdout.trim().split('\n').pop() ?? '';
    let report: unknown;
    try {
      report = JSON.parse(lastLine);
    } catch {
      report = undefined;
    }
    return { ...output, report };
  });
}

/** The child's JSON report, or an error that shows what the child printed. */
export function expectReport(result: ChildResult): Record<string, unknown> {
  if (result.code !== 0 || typeof result.report !== 'object' || result.report === null) {
    throw new Error(
      `usb child failed (code ${result.code}, signal ${result.signal}); ` +
        `if the mount failed, this test needs root and a kernel that allows mount namespaces.\n` +
        `stderr:\n${result.stderr.slice(-4000)}\nstdout:\n${result.stdout.slice(-2000)}`,
    );
  }
  return result.report as Record<string, unknown>;
}
