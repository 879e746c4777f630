// Runs a command with one folder mounted read-only, in a private mount namespace (`unshare -m`),
// so the rest of the machine and the test itself still see it writable. As root, `chmod 0500`
// does not stop writes; a read-only bind mount does. Needs root and unshare(1): without them the
// runner rejects with a message saying so (tests fail, never skip). Inside, the child may remount
// the folder read-write with `mount -o remount,bind,rw FOLDER` (it is root in its namespace).
import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { collectChildOutput } from './child-output';
import type { ChildOutput } from './child-output';

export type ReadOnlyRun = ChildOutput;

const SCRIPT = `set -e
mount --bind "$READ_ONLY_FOLDER" "$READ_ONLY_FOLDER"
mount -o remount,bind,ro "$READ_ONLY_FOLDER"
exec "$@"`;

export function runWithReadOnlyFolder(
  folder: string,
  command: string[],
  options: { env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<ReadOnlyRun> {
  if (process.platform !== 'linux') {
    return Promise.reject(new Error('a read-only bind mount needs Linux (unshare, mount namespaces)'));
  }
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    return Promise.reject(
      new Error('a read-only bind mount needs root for `unshare -m`: run the tests as root'),
    );
  }
  if (!existsSync('/usr/bin/unshare') && !existsSync('/bin/unshare')) {
    return Promise.reject(new Error('unshare(1) is missing: install util-linux'));
  }
  let child: ChildProcessByStdio<null, Readable, Readable>;
  try {
    child = spawn(
      'unshare',
      ['-m', '--propagation', 'private', 'sh', '-c', SCRIPT, 'siaga-read-only', ...command],
      {
        cwd: process.cwd(),
        env: { ...process.env, ...options.env, READ_ONLY_FOLDER: folder },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
  } catch (error) {
    return Promise.reject(error as Error);
  }
  return collectChildOutput(child, options.timeoutMs);
}
