// Several district server processes on one PostgreSQL behind a real haproxy, all on loopback
// (docs/cluster.md): each server is `bin/siaga-district serve` as district IT starts it (the bundle
// when it is current), haproxy runs in the foreground (`-db`) on a config written to a temp dir,
// with health checks so a dead backend is skipped. Shared by the cluster test and bench.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { settledWithin } from '../../district/server/time-bound';
import { PATHS } from '../../protocol/requests';
import { freePort } from './ipp-printer';

export interface DistrictProcess {
  /** http://127.0.0.1:PORT of this process alone. */
  url: string;
  port: number;
  pid: number;
  child: ChildProcess;
  /** What it printed so far (stdout and stderr). */
  output(): string;
  /** SIGKILL: no clean shutdown, as a crash or the OOM killer. Resolves once it is gone. */
  kill9(): Promise<void>;
  /** SIGTERM and wait (a clean stop). */
  stop(): Promise<void>;
}

const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url));

/** How long a stopped server may take to exit before its test fails (it is then killed). */
const STOP_BOUND_MS = 30_000;

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

/** `bin/siaga-district serve --port 0 --host 127.0.0.1 ARGS`; resolves once it listens. */
export async function startDistrictProcess(args: readonly string[]): Promise<DistrictProcess> {
  const child = spawn(
    join(REPOSITORY, 'bin', 'siaga-district'),
    ['serve', '--port', '0', '--host', '127.0.0.1', ...args],
    { cwd: REPOSITORY, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`siaga-district did not listen in 60 s: ${output}`)), 60_000);
    const onData = (): void => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match !== null) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`siaga-district exited ${code}: ${output}`));
    });
  });
  const stopWith = async (signal: NodeJS.Signals): Promise<void> => {
    const gone = exited(child);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
    }
    // A server that does not exit fails its test, not the whole file by the runner's timeout.
    if ((await settledWithin(gone, STOP_BOUND_MS)) === 'late') {
      child.kill('SIGKILL');
      await gone;
      throw new Error(`siaga-district did not exit within ${STOP_BOUND_MS / 1000} s of ${signal} (killed):\n${output.slice(-2000)}`);
    }
  };
  return {
    url,
    port: Number(new URL(url).port),
    pid: child.pid!,
    child,
    output: () => output,
    kill9: () => stopWith('SIGKILL'),
    stop: () => stopWith('SIGTERM'),
  };
}

export interface Haproxy {
  /** http://127.0.0.1:PORT of the frontend. */
  url: string;
  config: string;
  pid: number;
  output(): string;
  stop(): Promise<void>;
}

/**
 * haproxy in front of `backends` (round robin). A backend is checked with GET /api/v1/time every
 * 500 ms and taken out after 2 failures; a connection refused is tried again on another backend
 * (`retries`, `option redispatch`). Only connection failures are retried: a request that reached a
 * server may have been stored, and the station itself resends a batch under a new signature.
 */
export function haproxyConfig(frontendPort: number, backends: readonly { name: string; port: number }[]): string {
  return [
    'global',
    '  maxconn 4096',
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 30s',
    '  timeout server 30s',
    '  timeout http-keep-alive 30s',
    // A check slower than this fails (without it, `inter` is the limit: a busy process would be
    // taken out for answering in 600 ms). A dead process refuses the connection at once anyway.
    '  timeout check 5s',
    '  retries 3',
    '  option redispatch 1',
    '  retry-on conn-failure',
    'frontend siaga',
    `  bind 127.0.0.1:${frontendPort}`,
    // The client's own address, replacing whatever it claimed (serve --trust-proxy believes it).
    '  http-request set-header X-Forwarded-For %[src]',
    '  default_backend district',
    'backend district',
    '  balance roundrobin',
    `  option httpchk GET ${PATHS.time}`,
    '  http-check expect status 200',
    '  default-server check inter 500ms fall 2 rise 2 maxconn 256',
    ...backends.map((backend) => `  server ${backend.name} 127.0.0.1:${backend.port}`),
    '',
  ].join('\n');
}

/** haproxy -db (foreground) on a free loopback port; resolves once the frontend answers through a backend. */
export async function startHaproxy(backends: readonly { name: string; port: number }[]): Promise<Haproxy> {
  const dir = mkdtempSync(join(tmpdir(), 'siaga-haproxy-'));
  const port = await freePort();
  const config = haproxyConfig(port, backends);
  const file = join(dir, 'haproxy.cfg');
  writeFileSync(file, config);
  const child = spawn('haproxy', ['-f', file, '-db'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`haproxy exited ${child.exitCode}: ${output}`);
    }
    const answer = await fetch(url + PATHS.time).catch(() => null);
    if (answer?.status === 200) {
      break;
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`haproxy did not answer through a backend in 20 s: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    config,
    pid: child.pid!,
    output: () => output,
    async stop() {
      const gone = exited(child);
      child.kill('SIGTERM');
      await gone;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
