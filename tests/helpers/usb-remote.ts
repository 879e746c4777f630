// The real USB adapter (native/usb/usb-source.ts) as a UsbSource in this process, enumerating a fake
// sysfs tree: the adapter runs in a child in its own mount namespace (the tree can only be
// mounted there), and each list() is one request to it. Tests change the tree from here between
// calls, as a technician plugs and unplugs. Always close().
import { createInterface } from 'node:readline';
import type { UsbDeviceInfo, UsbSource } from '../../native/usb/types';
import { spawnInFakeSysfs } from './fake-sysfs';

const CHILD = 'tests/helpers/usb-remote-child.ts';
const REPLY_TIMEOUT_MS = 60_000;

export interface RemoteUsbSource extends UsbSource {
  close(): Promise<void>;
}

export function startRemoteUsbSource(root: string): RemoteUsbSource {
  const child = spawnInFakeSysfs(CHILD, { root });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const replies: ((line: string) => void)[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => replies.shift()?.(line));
  let lastError: string | undefined;
  // One request at a time: replies carry no id.
  let queue: Promise<unknown> = Promise.resolve();

  const request = () =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the usb child did not answer within ${REPLY_TIMEOUT_MS} ms:\n${stderr}`)),
        REPLY_TIMEOUT_MS,
      );
      void exited.then(() =>
        reject(
          new Error(
            `the usb child ended (code ${child.exitCode}); it needs root and mount namespaces:\n${stderr}`,
          ),
        ),
      );
      replies.push((line) => {
        clearTimeout(timer);
        resolve(line);
      });
      child.stdin.write('list\n');
    });

  return {
    async list(): Promise<UsbDeviceInfo[]> {
      const reply = queue.then(request);
      queue = reply.catch(() => undefined);
      const parsed = JSON.parse(await reply) as { devices: UsbDeviceInfo[]; lastError: string | null };
      lastError = parsed.lastError ?? undefined;
      return parsed.devices;
    },
    get lastError() {
      return lastError;
    },
    async close() {
      child.stdin.end();
      await exited;
    },
  };
}
