// One PrinterStatusSource contract (tests/helpers/contracts/printer.ts) for the real IPP adapter on
// ippeveprinter (tests/helpers/ipp-printer.ts) and for the simulator's printers, so `--simulate`
// cannot drift from a real station.
import net from 'node:net';
import { createSimulatedStation } from '../../../electron/agent/simulate';
import { createIppStatusSource } from '../../../native/printer/ipp-source';
import { printerContract } from '../../helpers/contracts/printer';
import { freePort, startSimulatedPrinter } from '../../helpers/ipp-printer';

printerContract('real IPP adapter on ippeveprinter', async () => {
  const printer = await startSimulatedPrinter({ name: 'Siaga Contract Printer' });
  // A peer that accepts the connection and never answers.
  const sockets = new Set<net.Socket>();
  const silent = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  return {
    source: createIppStatusSource(),
    async printer(state) {
      await printer.reset();
      if (state === 'cover-open') {
        await printer.setReason('cover-open', true);
      } else if (state === 'media-empty') {
        await printer.setMediaLevel(0);
      }
      return printer.uri;
    },
    missingQueue: async () => `ipp://127.0.0.1:${printer.port}/ipp/no-such-queue`,
    unreachableQueue: async () => `ipp://127.0.0.1:${await freePort()}/ipp/print`,
    silentQueue: async () => `ipp://127.0.0.1:${(silent.address() as net.AddressInfo).port}/ipp/print`,
    async dispose() {
      sockets.forEach((socket) => socket.destroy());
      await new Promise<void>((resolve) => silent.close(() => resolve()));
      await printer.stop();
    },
  };
});

printerContract('simulator', async () => {
  const station = createSimulatedStation('healthy');
  const queue = station.profile.roles['card-printer']?.printer?.queue;
  if (queue === undefined) {
    throw new Error('the simulated profile has no card printer queue');
  }
  const scenarios = { idle: 'healthy', 'cover-open': 'printer-cover-open', 'media-empty': 'cards-out' };
  return {
    source: station.adapters.printers.ipp,
    async printer(state) {
      station.set(scenarios[state]);
      return queue;
    },
    missingQueue: async () => 'NO_SUCH_QUEUE',
    async unreachableQueue() {
      station.set('card-printer-unreachable');
      return queue;
    },
    async silentQueue() {
      station.set('card-printer-hang');
      return queue;
    },
    dispose: async () => undefined,
  };
});
