// One PrinterStatusSource contract (tests/helpers/contracts/printer.ts) for the real IPP adapter on
// ippeveprinter (tests/helpers/ipp-printer.ts) and for the simulator's printers, so `--simulate`
// cannot drift from a real station.
import { createSimulatedStation } from '../../../electron/agent/simulate';
import { createIppStatusSource } from '../../../native/printer/ipp-source';
import { printerContract } from '../../helpers/contracts/printer';
import { freePort, startSimulatedPrinter } from '../../helpers/ipp-printer';
import { startSilentPeer } from '../../helpers/silent-peer';

printerContract('real IPP adapter on ippeveprinter', async () => {
  const printer = await startSimulatedPrinter({ name: 'Siaga Contract Printer' });
  const silent = await startSilentPeer();
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
    silentQueue: async () => `ipp://127.0.0.1:${silent.port}/ipp/print`,
    async dispose() {
      await silent.close();
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
