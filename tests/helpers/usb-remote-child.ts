// The real USB adapter serving list() over stdin/stdout, for tests/helpers/usb-remote.ts. Runs
// inside `unshare -m` with a fake tree on /sys/bus/usb/devices (fake-sysfs.ts). One request per
// line ("list"), one JSON reply per line; ends when stdin closes.
import { createInterface } from 'node:readline';
import { createUsbSource } from '../../native/usb/usb-source';

const source = createUsbSource();
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === 'list') {
    const devices = await source.list();
    process.stdout.write(`${JSON.stringify({ devices, lastError: source.lastError ?? null })}\n`);
  }
}
