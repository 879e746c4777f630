// Hostile cases of the district server when its PostgreSQL goes away (intake/rejections.ts,
// server.ts): the log of refused requests under a flood beyond its cap while PostgreSQL is down,
// PostgreSQL stopped in the middle of a flush, and `siaga-district serve` told to stop (SIGTERM,
// twice) while PostgreSQL is down or behind a network that fell silent. What must hold: what was
// kept is written once when PostgreSQL is back and the overflow is counted exactly; the process
// exits within a bound, with exit code 1 and a line that says how many refused requests went
// unlogged (nothing else it acknowledged is lost).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildApp } from '../../../district/server/app';
import { openDatabase } from '../../../district/server/db/open';
import type { Db } from '../../../district/server/db/types';
import { PATHS } from '../../../protocol/requests';
import { startDistrictProcess } from '../../helpers/cluster';
import type { DistrictProcess } from '../../helpers/cluster';
import { startPausableProxy } from '../../helpers/pausable-proxy';
import { startPostgres } from '../../helpers/postgres';
import type { TestPostgres } from '../../helpers/postgres';

const BIN = process.env.SIAGA_PG_BIN ?? '/usr/lib/postgresql/15/bin';
/** How long a stopped server may take to exit here: its close's bounds plus room for a loaded machine. */
const EXIT_BOUND_MS = 20_000;

let postgres: TestPostgres;
let up = true;
/** pg_ctl on the test's PostgreSQL (as `nobody`, its owner, when run as root). */
const pgCtl = (...args: string[]): void => {
  const data = join(dirname(postgres.logFile), 'data');
  const argv = [join(BIN, 'pg_ctl'), '-D', data, ...args];
  const [command, ...rest] = process.getuid?.() === 0 ? ['runuser', '-u', 'nobody', '--', ...argv] : argv;
  execFileSync(command!, rest, { stdio: 'ignore', timeout: 60_000 });
};
const stopPostgres = (): void => {
  pgCtl('stop', '-m', 'fast', '-w');
  up = false;
};
const startAgain = (): void => {
  pgCtl('start', '-w', '-t', '30', '-l', postgres.logFile);
  up = true;
};

before(async () => {
  postgres = await startPostgres();
});
after(async () => {
  if (up) {
    pgCtl('stop', '-m', 'fast', '-w'); // the postmaster's PID changed with a restart: stop() alone would miss it
  }
  await postgres.stop();
});

/** An unsigned batch: refused (401 unsigned) before the database is asked, so also while it is down. */
const unsigned = (marker: string): { method: 'POST'; url: string; headers: Record<string, string>; payload: string } => ({
  method: 'POST',
  url: `${PATHS.events}?n=${marker}`,
  headers: { 'content-type': 'application/json' },
  payload: '{"events":[]}',
});

const sendUnsigned = async (url: string, marker: string): Promise<number> => {
  const request = unsigned(marker);
  const response = await fetch(url + request.url, { method: 'POST', headers: request.headers, body: request.payload });
  await response.arrayBuffer();
  return response.status;
};

/** What rejected_requests holds of the markers `prefix-N`, and the overflow rows' counts. */
async function logged(db: Db, prefix: string): Promise<{ markers: string[]; overflow: number }> {
  const rows = await db.query<{ path: string; reason: string; detail: string }>(
    `SELECT path, reason, detail FROM rejected_requests WHERE path LIKE $1 OR reason = 'log-overflow'`,
    [`%n=${prefix}-%`],
  );
  const markers = rows.filter((row) => row.reason !== 'log-overflow').map((row) => row.path.split('n=')[1]!);
  const overflow = rows
    .filter((row) => row.reason === 'log-overflow')
    .reduce((sum, row) => sum + Number(/^(\d+) /.exec(row.detail)![1]), 0);
  return { markers, overflow };
}

const waitFor = async (what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

describe('the rejection log in-process on a real PostgreSQL that goes away', () => {
  let dataDir: string;
  let db: Db; // the app's (its log's writes) and the test's reads: one pool
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'siaga-outage-'));
    db = await openDatabase({ url: postgres.url, dataDir });
  });
  after(async () => {
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a flood beyond the cap while PostgreSQL is down: the kept rows written once when it is back, the rest counted exactly', { timeout: 60_000 }, async () => {
    await db.run('DELETE FROM rejected_requests');
    const app = await buildApp({ db, rejectionLog: { flushDelayMs: 50, maxBuffered: 40 } });
    try {
      stopPostgres();
      const total = 130;
      // In waves, with failed flushes (every 50 ms) between them: rows go back to the buffer each time.
      for (let wave = 0; wave < 5; wave++) {
        const answers = await Promise.all(
          Array.from({ length: total / 5 }, (_, index) => app.inject(unsigned(`flood-${wave * (total / 5) + index}`))),
        );
        assert.deepEqual(new Set(answers.map((answer) => answer.statusCode)), new Set([401]));
        await new Promise((resolve) => setTimeout(resolve, 120));
      }
      await assert.rejects(app.district.rejections.flush(), 'a flush while PostgreSQL is down fails');
      startAgain();
      await waitFor('the kept rows written by the timer', async () => (await logged(db, 'flood').then((found) => found.markers.length)) >= 40);
      await app.district.rejections.flush();
      const { markers, overflow } = await logged(db, 'flood');
      assert.equal(markers.length, 40, 'the cap kept');
      assert.equal(new Set(markers).size, markers.length, 'no row written twice');
      assert.equal(markers.length + overflow, total, 'every refused request logged or counted, once');
      // The oldest are the ones kept (what came first when the database went away).
      assert.deepEqual([...markers].sort(), Array.from({ length: 40 }, (_, index) => `flood-${index}`).sort());
    } finally {
      if (!up) {
        startAgain();
      }
      await app.close();
    }
  });

  it('PostgreSQL stopped in the middle of a flush: nothing of it committed, all of it written once after', { timeout: 60_000 }, async () => {
    await db.run('DELETE FROM rejected_requests');
    const app = await buildApp({ db, rejectionLog: { flushDelayMs: 60_000, maxBuffered: 10_000 } });
    try {
      const total = 3000;
      for (let first = 0; first < total; first += 500) {
        await Promise.all(Array.from({ length: 500 }, (_, index) => app.inject(unsigned(`mid-${first + index}`))));
      }
      const flushing = app.district.rejections.flush();
      // Stopped once the flush's transaction is writing (its rows not yet committed).
      await waitFor('the flush writing', async () => {
        const [row] = await db.query<{ n: number | string }>(
          `SELECT COUNT(*) AS n FROM pg_stat_activity WHERE query LIKE 'INSERT INTO rejected_requests%'`,
        );
        return Number(row!.n) > 0;
      }, 10_000);
      stopPostgres();
      await assert.rejects(flushing, 'the flush cut by the stop fails');
      assert.equal(up, false);
      startAgain();
      await waitFor('the flush after the restart', async () => {
        try {
          await app.district.rejections.flush();
          return true;
        } catch {
          return false;
        }
      });
      const { markers, overflow } = await logged(db, 'mid');
      assert.equal(overflow, 0);
      assert.equal(markers.length, total);
      assert.equal(new Set(markers).size, total, 'no row written twice');
    } finally {
      if (!up) {
        startAgain();
      }
      await app.close();
    }
  });
});

describe('siaga-district serve stopped while PostgreSQL is out of reach', () => {
  const output = (server: DistrictProcess): string =>
    server.output().split('\n').filter((line) => !line.includes('"level":40') && !/ POST /.test(line)).join('\n');

  /** SIGTERM (and `again` more after `againAfterMs`); the exit code and signal, and how long it took. */
  async function stopAndTime(
    server: DistrictProcess,
    again = 0,
    againAfterMs = 500,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> {
    const started = Date.now();
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      server.child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    server.child.kill('SIGTERM');
    for (let count = 0; count < again; count++) {
      await new Promise((resolve) => setTimeout(resolve, againAfterMs));
      server.child.kill('SIGTERM');
    }
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<'hung'>((resolve) => {
      timer = setTimeout(() => resolve('hung'), EXIT_BOUND_MS);
    });
    const outcome = await Promise.race([exited, hung]);
    clearTimeout(timer);
    if (outcome === 'hung') {
      await server.kill9();
      assert.fail(`siaga-district did not exit within ${EXIT_BOUND_MS / 1000} s of SIGTERM:\n${output(server).slice(-2000)}`);
    }
    return { ...outcome, ms: Date.now() - started };
  }

  it('PostgreSQL stopped with refused requests waiting to be logged: exits at once, code 1, says how many went unlogged', { timeout: 90_000 }, async () => {
    const server = await startDistrictProcess(['--db', postgres.url]);
    try {
      stopPostgres();
      const statuses = await Promise.all(Array.from({ length: 37 }, (_, index) => sendUnsigned(server.url, `down-${index}`)));
      assert.deepEqual(new Set(statuses), new Set([401]));
      await new Promise((resolve) => setTimeout(resolve, 1200)); // flushes failed meanwhile: the rows are back in the buffer
      const { code, ms } = await stopAndTime(server);
      assert.equal(code, 1, output(server));
      assert.ok(ms < EXIT_BOUND_MS, `exited after ${ms} ms`);
      assert.match(output(server), /37 permintaan yang ditolak tidak tercatat/, output(server));
      assert.match(output(server), /37 refused requests were not logged/, output(server));
    } finally {
      await server.kill9();
      if (!up) {
        startAgain();
      }
    }
  });

  /** `serve` on PostgreSQL through a proxy the test can make silent (packets dropped, no reset). */
  const serveBehindProxy = async () => {
    const proxy = await startPausableProxy(postgres.port);
    const url = new URL(postgres.url);
    url.port = String(proxy.port);
    return { proxy, server: await startDistrictProcess(['--db', url.toString()]) };
  };

  it('the network to PostgreSQL falls silent with a flush in flight: SIGTERM still ends the process within its bounds', { timeout: 90_000 }, async () => {
    const { proxy, server } = await serveBehindProxy();
    try {
      proxy.pause();
      const statuses = await Promise.all(Array.from({ length: 12 }, (_, index) => sendUnsigned(server.url, `silent-${index}`)));
      assert.deepEqual(new Set(statuses), new Set([401]));
      await new Promise((resolve) => setTimeout(resolve, 1200)); // the flush is waiting for an answer that never comes
      const { code, ms } = await stopAndTime(server);
      assert.equal(code, 1, output(server));
      assert.ok(ms < EXIT_BOUND_MS, `exited after ${ms} ms`);
      assert.match(output(server), /12 permintaan yang ditolak tidak tercatat/, output(server));
    } finally {
      await server.kill9();
      proxy.resume();
      await proxy.close();
    }
  });

  it('SIGTERM twice while the network is silent: the second one ends the process at once', { timeout: 90_000 }, async () => {
    const { proxy, server } = await serveBehindProxy();
    try {
      proxy.pause();
      await sendUnsigned(server.url, 'twice-0');
      const { code, signal, ms } = await stopAndTime(server, 1, 300);
      assert.ok(ms < EXIT_BOUND_MS / 2, `exited after ${ms} ms (not after the close's own bounds)`);
      assert.ok(signal === 'SIGTERM' || code !== 0, `exit ${code} ${signal}`);
    } finally {
      await server.kill9();
      proxy.resume();
      await proxy.close();
    }
  });
});
