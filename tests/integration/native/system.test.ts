// The system adapters against real peers on this machine: processes, sockets, HTTP, the disk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { createCommandRunner } from '../../../native/system/command-runner';
import { createNetworkProbe } from '../../../native/system/network-probe';
import { createSystemProbe } from '../../../native/system/system-probe';

const runner = createCommandRunner();
const network = createNetworkProbe();

test('command runner: exit code and output', async () => {
  const result = await runner.run(process.execPath, ['-e', 'console.log("SENSOR OK"); process.exit(3)'], {
    timeoutMs: 5000,
  });
  assert.equal(result.exitCode, 3);
  assert.equal(result.timedOut, false);
  assert.match(result.stdout, /SENSOR OK/);
});

test('command runner: a hung vendor tool is killed at its timeout, with its children', async () => {
  const started = performance.now();
  const result = await runner.run('sh', ['-c', 'sleep 30 & sleep 30'], { timeoutMs: 300 });
  const elapsed = performance.now() - started;
  assert.equal(result.timedOut, true);
  assert.ok(elapsed < 1000, `took ${elapsed} ms`);
});

test('command runner: a missing program is an error, not a crash', async () => {
  const result = await runner.run('/nonexistent/fpdiag', [], { timeoutMs: 1000 });
  assert.equal(result.exitCode, null);
  assert.match(result.error ?? '', /ENOENT/);
});

test('command runner: a flood of output is capped', async () => {
  const result = await runner.run(process.execPath, ['-e', 'process.stdout.write("x".repeat(5_000_000))'], {
    timeoutMs: 10_000,
    maxOutputBytes: 1000,
  });
  assert.equal(result.stdout.length, 1000);
  assert.equal(result.exitCode, 0);
});

test('network probe: HTTP reachable with latency and server date; refused; timeout; bad URL', async (t) => {
  const server = http.createServer((_request, response) => response.writeHead(404).end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const silent = net.createServer(() => undefined);
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const sockets = new Set<net.Socket>();
  silent.on('connection', (socket) => sockets.add(socket));
  t.after(() => {
    server.close();
    for (const socket of sockets) {
      socket.destroy();
    }
    silent.close();
  });
  const port = (server.address() as AddressInfo).port;
  const reached = await network.reach(`http://127.0.0.1:${port}/health`, { timeoutMs: 2000 });
  assert.equal(reached.ok, true);
  assert.ok(reached.ok && reached.httpStatus === 404 && reached.serverDate);

  const closed = net.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const closedPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const refused = await network.reach(`http://127.0.0.1:${closedPort}/`, { timeoutMs: 2000 });
  assert.equal(refused.ok, false);
  assert.equal(!refused.ok && refused.reason, 'refused');
  const tcpRefused = await network.reach(`tcp://127.0.0.1:${closedPort}`, { timeoutMs: 2000 });
  assert.equal(!tcpRefused.ok && tcpRefused.reason, 'refused');

  const silentPort = (silent.address() as AddressInfo).port;
  const started = performance.now();
  const timedOut = await network.reach(`http://127.0.0.1:${silentPort}/`, { timeoutMs: 300 });
  assert.equal(!timedOut.ok && timedOut.reason, 'timeout');
  assert.ok(performance.now() - started < 800);
  const tcp = await network.reach(`tcp://127.0.0.1:${silentPort}`, { timeoutMs: 1000 });
  assert.equal(tcp.ok, true);

  const bad = await network.reach('not a url', { timeoutMs: 100 });
  assert.equal(bad.ok, false);
});

test('system probe: disk, memory and clock of this machine', async () => {
  const snapshot = await createSystemProbe().snapshot(os.tmpdir());
  assert.ok(snapshot.diskTotalBytes > 0 && snapshot.diskFreeBytes <= snapshot.diskTotalBytes);
  assert.ok(snapshot.memoryTotalBytes >= snapshot.memoryFreeBytes);
  assert.ok(Math.abs(snapshot.clockMs - Date.now()) < 5000);
});
