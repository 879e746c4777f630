// A throwaway PostgreSQL 15 for tests (TESTING.md): initdb and pg_ctl as the unprivileged user
// `nobody`, in a temp dir, on a free port, listening on 127.0.0.1 only. Fails loudly if it cannot start.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = process.env.SIAGA_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface TestPostgres {
  /** postgres://siaga@127.0.0.1:PORT/postgres */
  url: string;
  port: number;
  /** The postmaster's PID. */
  pid: number;
  /** The server's log (what `settings` such as log_checkpoints add goes here). */
  logFile: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

function asNobody(command: string, args: string[]): string {
  const uid = process.getuid?.();
  const argv = uid === 0 ? ['runuser', ['-u', 'nobody', '--', command, ...args]] : [command, args];
  try {
    return execFileSync(argv[0] as string, argv[1] as string[], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
    });
  } catch (error) {
    const failure = error as { stderr?: string; message: string };
    throw new Error(`PostgreSQL test server: ${command} failed: ${failure.stderr ?? failure.message}`);
  }
}

/** `settings`: extra postgresql.conf lines (name to value, written as given: quote strings), e.g. { log_checkpoints: 'on' }. */
export async function startPostgres(options: { settings?: Record<string, string> } = {}): Promise<TestPostgres> {
  if (!existsSync(join(BIN, 'initdb'))) {
    throw new Error(`PostgreSQL 15 is not installed (no ${BIN}/initdb): apt-get install postgresql`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'siaga-pg-'));
  const data = join(dir, 'data');
  if (process.getuid?.() === 0) {
    const nobody = Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim());
    chownSync(dir, nobody, nobody);
  }
  const port = await freePort();
  asNobody(join(BIN, 'initdb'), ['-D', data, '-U', 'siaga', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  writeFileSync(
    join(data, 'postgresql.auto.conf'),
    `listen_addresses = '127.0.0.1'\nport = ${port}\nunix_socket_directories = '${dir}'\nfsync = off\n` +
      Object.entries(options.settings ?? {})
        .map(([name, value]) => `${name} = ${value}\n`)
        .join(''),
  );
  const logFile = join(dir, 'server.log');
  asNobody(join(BIN, 'pg_ctl'), ['-D', data, '-l', logFile, '-w', '-t', '30', 'start']);
  const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  let stopped = false;
  return {
    url: `postgres://siaga@127.0.0.1:${port}/postgres`,
    port,
    pid,
    logFile,
    async stop() {
      if (stopped) {
        return;
      }
      stopped = true;
      // SIGINT is PostgreSQL's "fast shutdown"; wait for the postmaster to exit before removing its files.
      try {
        process.kill(pid, 'SIGINT');
      } catch {
        // already gone
      }
      for (let attempt = 0; attempt < 100; attempt++) {
        try {
          process.kill(pid, 0);
        } catch {
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
