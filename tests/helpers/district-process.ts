// A real `siaga-district serve` in its own process (tsx, as the launcher runs it from a checkout) on
// a port chosen by the caller, so it can be stopped (SIGTERM) and started again on the same address.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

export interface DistrictProcess {
  url: string;
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr, the request log included). */
  output(): string;
  stop(): Promise<void>;
}

export async function startDistrictProcess(port: number, args: string[]): Promise<DistrictProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'district/cli.ts', 'serve', '--port', String(port), '--host', '127.0.0.1', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const append = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-200_000);
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (): void => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        child.stdout!.off('data', onData);
        child.off('exit', onExit);
        resolve(match[1]!);
      }
    };
    const onExit = (code: number | null): void => reject(new Error(`siaga-district exited ${code}: ${output}`));
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });
  return {
    url,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) {
        return;
      }
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
