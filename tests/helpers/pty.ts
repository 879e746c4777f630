// A linked pty pair from socat: a simulator plays the device on devicePath, the code under test
// opens appPath with serialport. Always call stop(): it kills socat by PID and waits for it.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PtyPair {
  devicePath: string;
  appPath: string;
  pid: number;
  /** Kills socat now, as a device unplugged: both pty nodes and their links disappear. stop() still cleans up. */
  unplug(): Promise<void>;
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 5000;
const STOP_TIMEOUT_MS = 2000;

export async function startPtyPair(): Promise<PtyPair> {
  const directory = await mkdtemp(join(tmpdir(), 'siaga-pty-'));
  const devicePath = join(directory, 'ttyDEVICE');
  const appPath = join(directory, 'ttyAPP');
  const child = spawn(
    'socat',
    ['-d', '-d', `pty,raw,echo=0,link=${devicePath}`, `pty,raw,echo=0,link=${appPath}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    log = (log + text).slice(-4000);
  });
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
  });
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));

  const cleanup = async () => {
    if (!exited && child.pid !== undefined) {
      process.kill(child.pid, 'SIGTERM');
      const killTimer = setTimeout(() => {
        if (!exited && child.pid !== undefined) {
          process.kill(child.pid, 'SIGKILL');
        }
      }, STOP_TIMEOUT_MS);
      await exit;
      clearTimeout(killTimer);
    }
    await rm(directory, { recursive: true, force: true });
  };

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (!(existsSync(devicePath) && existsSync(appPath))) {
    const failure = await Promise.race([
      spawnError,
      exit.then(() => new Error(`socat exited before making the pty pair:\n${log}`)),
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 10)),
    ]);
    if (failure instanceof Error) {
      await cleanup();
      const missing = (failure as NodeJS.ErrnoException).code === 'ENOENT';
      throw new Error(
        missing
          ? 'socat is not installed (apt-get install socat): serial tests need it to make a pty pair'
          : `socat failed: ${failure.message}`,
      );
    }
    if (Date.now() > deadline) {
      await cleanup();
      throw new Error(`socat made no pty pair within ${STARTUP_TIMEOUT_MS} ms:\n${log}`);
    }
  }
  if (child.pid === undefined) {
    await cleanup();
    throw new Error('socat started without a PID');
  }
  const pid = child.pid;
  const unplug = async () => {
    if (!exited) {
      process.kill(pid, 'SIGKILL');
      await exit;
    }
  };
  return { devicePath, appPath, pid, unplug, stop: cleanup };
}
