// A station agent process for the reliability tests: the real Agent, store and outbox with a
// simulated kit whose health changes every `cycleMs` (faults open and resolve all the time), so a
// SIGKILL lands while faults are being recorded and delivered.
// usage: node --import tsx tests/integration/agent/reliability-child.ts DATA_DIR CYCLE_MS   (CYCLE_MS 0 = steady)
import { createSimulatedAgent } from '../../helpers/agent';

const [dataDir, cycleArgument] = process.argv.slice(2);
const cycleMs = Number(cycleArgument ?? '0');
const scenarios = [
  'fingerprint-missing',
  'healthy',
  'ups-on-battery',
  'ribbon-out',
  'healthy',
  'kecamatan-down',
  'iris-missing',
];
const { agent, station } = createSimulatedAgent(dataDir!, 'healthy', {
  schedule: {
    passiveIntervalMs: 40,
    heartbeatIntervalMs: 300,
    confirmDelayMs: 10,
    hotplugSettleMs: 5,
    enrollmentPollMs: 50,
  },
  faultPolicy: { debounceCount: 2, passesToResolve: 2, flapToggles: 1000 },
  deliveryPolicy: { batchSize: 7, baseBackoffMs: 20, maxBackoffMs: 200, backlogIntervalMs: 5 },
});
await agent.start();
process.stdout.write('started\n');
let index = 0;
const timer =
  cycleMs > 0
    ? setInterval(() => {
        station.set(scenarios[index++ % scenarios.length]!);
        agent.notifyHotplug();
      }, cycleMs)
    : undefined;
process.on('SIGTERM', () => {
  clearInterval(timer);
  void agent.stop().then(() => process.exit(0));
});
