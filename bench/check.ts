// Full-check wall time beside the slowest single probe (goal <= 1.2x), and the time to a verdict
// for a device that never answers (goal: its timeout, not more). Built-in simulated kit; see
// bench/check-real.ts for the same figures over the real transports and OS-level peers.
import { runCheck } from '../electron/agent/check';
import { loadCatalog } from '../electron/agent/catalog';
import { createSimulatedStation } from '../electron/agent/simulate';
import { MEGATEC_Q1_REQUEST } from '../native/serial/megatec';

const RUNS = 30;
const catalog = loadCatalog();
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function time(run: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let index = 0; index < RUNS; index += 1) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

const station = createSimulatedStation('healthy');
const { adapters, profile } = station;
const probes: Record<string, () => Promise<unknown>> = {
  'usb enumeration': () => adapters.usb.list(),
  'ups Megatec Q1': () =>
    adapters.serial.query({
      path: profile.roles.ups!.serial!.path,
      baudRate: 2400,
      request: MEGATEC_Q1_REQUEST,
      terminator: 13,
      timeoutMs: 2000,
    }),
  'card printer spooler': () =>
    adapters.printers.ipp.getStatus(profile.roles['card-printer']!.printer!.queue, { timeoutMs: 3000 }),
  'document printer spooler': () =>
    adapters.printers.ipp.getStatus(profile.roles['document-printer']!.printer!.queue, { timeoutMs: 3000 }),
  'network central': () =>
    adapters.network.reach(profile.roles.network!.endpoints![0]!.url, { timeoutMs: 3000 }),
  'network district': () =>
    adapters.network.reach(profile.roles.network!.endpoints![1]!.url, { timeoutMs: 3000 }),
  'pc snapshot': () => adapters.system.snapshot('/tmp'),
};

console.log(`siaga check benchmark (simulated kit, median of ${RUNS} runs)`);
const probeTimes: Record<string, number> = {};
for (const [name, run] of Object.entries(probes)) {
  probeTimes[name] = await time(run);
  console.log(`  probe ${name.padEnd(26)} ${probeTimes[name]!.toFixed(1).padStart(7)} ms`);
}
const slowest = Math.max(...Object.values(probeTimes));
const full = await time(() => runCheck({ adapters, profile, catalog, dataDir: '/tmp', mode: 'active' }));
console.log(`  full check                       ${full.toFixed(1).padStart(7)} ms`);
console.log(
  `  ratio full / slowest probe       ${(full / slowest).toFixed(2).padStart(7)} x   (goal <= 1.2 x)`,
);

const silent = createSimulatedStation('ups-silent');
const timeoutMs = 1000;
const silentProfile = { ...silent.profile, timeouts: { ...silent.profile.timeouts, serialMs: timeoutMs } };
let upsAt = 0;
let othersAt = 0;
const started = performance.now();
await runCheck({
  adapters: silent.adapters,
  profile: silentProfile,
  catalog,
  dataDir: '/tmp',
  mode: 'active',
  onVerdict: (verdict) => {
    const at = performance.now() - started;
    if (verdict.role === 'ups') {
      upsAt = at;
    } else {
      othersAt = Math.max(othersAt, at);
    }
  },
});
console.log(
  `  silent UPS: verdict after        ${upsAt.toFixed(1).padStart(7)} ms   (timeout ${timeoutMs} ms, ratio ${(upsAt / timeoutMs).toFixed(3)})`,
);
console.log(`  silent UPS: other roles done by  ${othersAt.toFixed(1).padStart(7)} ms`);
