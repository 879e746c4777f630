// The login path under a flood: 200 concurrent wrong passwords against a district server in its own
// process (SQLite, real scrypt cost), once from one address and once from 200 addresses (through
// X-Forwarded-For, which the server believes only because this run configures 127.0.0.1 as a
// trusted proxy). Prints the answers by status, the time, and the server's RSS before, at its
// peak and after. Run: npm run bench district-login
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addUser } from '../district/server/auth/users';
import { openDatabase } from '../district/server/db/open';
import { startServer } from '../district/server/server';

const ATTEMPTS = 200;

/** The child: a district with one admin (default scrypt parameters), listening on a free port. */
async function serve(trustProxy: boolean): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'siaga-bench-login-'));
  const db = await openDatabase({ dataDir: dir });
  await addUser(db, { username: 'admin', name: 'Admin', role: 'admin', password: 'kata-sandi-benar-123' });
  const server = await startServer({
    db,
    port: 0,
    host: '127.0.0.1',
    ...(trustProxy ? { trustProxy: '127.0.0.1' } : {}),
  });
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
  process.on('SIGTERM', () => {
    void server.close().then(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
  });
}

const rssMegabytes = (pid: number): number => {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match === null ? Number.NaN : Number(match[1]) / 1024;
};

async function startChild(trustProxy: boolean): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'bench/district-login.ts', 'serve', trustProxy ? 'trust' : 'direct'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const line = buffered.split('\n')[0];
      if (buffered.includes('\n')) {
        resolve((JSON.parse(line) as { url: string }).url);
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { child, url };
}

async function flood(manyAddresses: boolean): Promise<void> {
  const { child, url } = await startChild(manyAddresses);
  const pid = child.pid!;
  // A first login warms the server up (code loaded, one hash done) before measuring.
  await fetch(`${url}/api/dash/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'kata-sandi-benar-123' }),
  });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const before = rssMegabytes(pid);
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMegabytes(pid));
  }, 20);
  const startedAt = performance.now();
  const statuses = await Promise.all(
    Array.from({ length: ATTEMPTS }, async (_, index) => {
      const response = await fetch(`${url}/api/dash/login`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(manyAddresses ? { 'x-forwarded-for': `10.${index >> 8}.${index & 255}.1` } : {}),
        },
        body: JSON.stringify({ username: 'admin', password: `salah-${index}` }),
      });
      await response.arrayBuffer();
      return response.status;
    }),
  );
  const seconds = (performance.now() - startedAt) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, rssMegabytes(pid));
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const after = rssMegabytes(pid);
  // Still usable: the right password from an address that has not failed.
  const admin = await fetch(`${url}/api/dash/login`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(manyAddresses ? { 'x-forwarded-for': '192.168.1.10' } : {}),
    },
    body: JSON.stringify({ username: 'admin', password: 'kata-sandi-benar-123' }),
  });
  const counts = new Map<number, number>();
  for (const status of statuses) {
    counts.set(status, (counts.get(status) ?? 0) + 1);
  }
  const label = manyAddresses ? `${ATTEMPTS} addresses (X-Forwarded-For, trusted proxy)` : 'one address';
  console.log(`login flood, ${ATTEMPTS} concurrent wrong passwords from ${label}:`);
  console.log(
    `  answers ${[...counts].map(([status, count]) => `${status}: ${count}`).join(', ')} in ${seconds.toFixed(2)} s`,
  );
  console.log(
    `  server RSS before ${before.toFixed(0)} MB, peak ${peak.toFixed(0)} MB, after ${after.toFixed(0)} MB`,
  );
  console.log(
    `  then the admin's right password${manyAddresses ? ' from a fresh address' : ''}: ${admin.status}`,
  );
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
}

if (process.argv[2] === 'serve') {
  await serve(process.argv[3] === 'trust');
} else {
  await flood(false);
  await flood(true);
}
