// Runs inside runInFakeSysfs (a private mount namespace with the fake kit on /sys/bus/usb/devices):
// the whole station check over the REAL adapters against OS-level peers — the usb library on the
// fake sysfs tree, serialport on a socat pty with a Megatec UPS simulator, our IPP client against
// ippeveprinter, HTTP servers on loopback for central and the district.
// argv[2]: "test" (check, break things, check again) or "bench" (timings). Prints one JSON line.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { runCheck } from '../../electron/agent/check';
import { createRealAdapters } from '../../electron/agent/adapters';
import { loadCatalog } from '../../electron/agent/catalog';
import { parseProfile } from '../../electron/agent/profile';
import { MEGATEC_Q1_REQUEST } from '../../native/serial/megatec';
import { FakeSysfs } from './fake-sysfs';
import { startPtyPair } from './pty';
import { startUpsSimulator } from './serial-simulators';
import { startSimulatedPrinter } from './ipp-printer';
import { STATION_KIT } from './usb-fixtures';
import { watchUsb } from '../../electron/agent/runtime/usb-watch';

const mode = process.argv[2] ?? 'test';
const tree = new FakeSysfs(process.env.FAKE_SYSFS);
const pty = await startPtyPair();
const ups = await startUpsSimulator(pty.devicePath, 'healthy');
const printer = await startSimulatedPrinter({ name: 'Fargo HDP5000' });
const servers = await Promise.all(
  [0, 1].map(
    () =>
      new Promise<http.Server>((resolve) => {
        const server = http.createServer((_request, response) => response.writeHead(200).end('ok'));
        server.listen(0, '127.0.0.1', () => resolve(server));
      }),
  ),
);
const url = (server: http.Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
const fingerprint = STATION_KIT.find((kit) => kit.key.startsWith('usb:080b'))!;

const profile = parseProfile({
  version: 1,
  roles: {
    fingerprint: { usb: { vendorId: '080b', serialNumber: fingerprint.device.serial } },
    'card-printer': { usb: { vendorId: '09b0', productId: '2400' }, printer: { queue: printer.uri } },
    ups: { serial: { path: pty.appPath, protocol: 'megatec-q1', baudRate: 2400 } },
    network: {
      endpoints: [
        { name: 'central', url: url(servers[0]!) },
        { name: 'district', url: url(servers[1]!) },
      ],
    },
  },
});
const catalog = loadCatalog();
const adapters = createRealAdapters();
const check = () => runCheck({ adapters, profile, catalog, dataDir: '/tmp', mode: 'active' });
const summary = (report: Awaited<ReturnType<typeof check>>) =>
  Object.fromEntries(
    report.verdicts.map((verdict) => [verdict.role ?? verdict.device?.key ?? '?', verdict.code]),
  );

let output: Record<string, unknown>;
try {
  if (mode === 'bench') {
    const runs = 15;
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const time = async (run: () => Promise<unknown>) => {
      const samples: number[] = [];
      for (let index = 0; index < runs; index += 1) {
        const started = performance.now();
        await run();
        samples.push(performance.now() - started);
      }
      return median(samples);
    };
    const probes = {
      'usb enumeration (usb library, fake sysfs)': await time(() => adapters.usb.list()),
      'ups Megatec Q1 (serialport, pty)': await time(() =>
        adapters.serial.query({
          path: pty.appPath,
          baudRate: 2400,
          request: MEGATEC_Q1_REQUEST,
          terminator: 13,
          timeoutMs: 2000,
        }),
      ),
      'card printer (IPP, ippeveprinter)': await time(() =>
        adapters.printers.ipp.getStatus(printer.uri, { timeoutMs: 3000 }),
      ),
      'network central (HTTP, loopback)': await time(() =>
        adapters.network.reach(url(servers[0]!), { timeoutMs: 3000 }),
      ),
      'pc snapshot': await time(() => adapters.system.snapshot('/tmp')),
    };
    const full = await time(check);
    // All probes one after another: when the peers answer in about a millisecond the check is
    // CPU-bound on one thread, and this sum is the floor the full check is compared with.
    const sequential = await time(async () => {
      await adapters.usb.list();
      await adapters.serial.query({
        path: pty.appPath,
        baudRate: 2400,
        request: MEGATEC_Q1_REQUEST,
        terminator: 13,
        timeoutMs: 2000,
      });
      await adapters.printers.ipp.getStatus(printer.uri, { timeoutMs: 3000 });
      await adapters.network.reach(url(servers[0]!), { timeoutMs: 3000 });
      await adapters.network.reach(url(servers[1]!), { timeoutMs: 3000 });
      await adapters.system.snapshot('/tmp');
    });
    ups.setMode('silent');
    const silentProfile = { ...profile, timeouts: { ...profile.timeouts, serialMs: 1000 } };
    let upsAt = 0;
    const started = performance.now();
    await runCheck({
      adapters,
      profile: silentProfile,
      catalog,
      dataDir: '/tmp',
      mode: 'active',
      onVerdict: (verdict) => {
        if (verdict.role === 'ups') {
          upsAt = performance.now() - started;
        }
      },
    });
    output = { probes, full, sequential, silentUpsVerdictMs: upsAt, silentTimeoutMs: 1000 };
  } else {
    const healthy = summary(await check());
    tree.remove(fingerprint.device.bus, fingerprint.device.ports);
    ups.setMode('on-battery');
    await printer.setMediaLevel(0);
    const broken = await check();
    ups.setMode('silent');
    const silentStarted = performance.now();
    const silent = summary(
      await runCheck({
        adapters,
        profile: { ...profile, timeouts: { ...profile.timeouts, serialMs: 500 } },
        catalog,
        dataDir: '/tmp',
        mode: 'active',
      }),
    );
    const silentMs = performance.now() - silentStarted;
    // A loose cable: the agent's USB watch (polling here) sees the scanner come and go.
    ups.setMode('healthy');
    tree.add(fingerprint.device);
    const watch = await watchUsb(adapters, { events: false, intervalMs: 20 });
    const settle = () => new Promise((resolve) => setTimeout(resolve, 80));
    await settle();
    for (let round = 0; round < 3; round += 1) {
      tree.remove(fingerprint.device.bus, fingerprint.device.ports);
      await settle();
      tree.add(fingerprint.device);
      await settle();
    }
    const loose = summary(await check());
    watch.stop();
    output = {
      healthy,
      broken: summary(broken),
      canRecord: broken.canRecord,
      canPrint: broken.canPrint,
      silent,
      silentMs,
      loose,
    };
  }
} finally {
  for (const server of servers) {
    server.close();
  }
  await ups.stop();
  await pty.stop();
  await printer.stop();
}
process.stdout.write(`${JSON.stringify(output)}\n`);
