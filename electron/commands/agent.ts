// `siaga agent [--data-dir DIR] [--profile FILE] [--simulate SCENARIO] [--config FILE] [--lang id|en]
// [--verbose]`: runs the station agent until SIGINT or SIGTERM (Ctrl+C). It prints one line when a
// fault opens, reaches the district, and resolves (fault-narration.ts); --verbose adds every
// committed event. `--config` is JSON with optional `schedule`, `faultPolicy`
// and `deliveryPolicy` objects of numbers (ms and counts; see agent.ts, faults.ts, outbox.ts).
// Exit 0 after a clean stop, 2 for usage or configuration errors and for a data folder that cannot
// be written (one line, Bahasa Indonesia then English).
import { readFileSync } from 'node:fs';
import * as z from 'zod';
import type { CommandIo } from './io';
import { EXIT_OK, EXIT_USAGE, languageOption, parseOptions, unwritableLine, writeLine } from './io';
import { FaultNarration } from './fault-narration';
import { createStationAgent, setUpStation } from '../agent/composition-root';

export const APP_VERSION = '0.1.0';

const NumbersSchema = z.record(z.string(), z.number().nonnegative()).optional();
const ConfigSchema = z.strictObject({
  schedule: NumbersSchema,
  faultPolicy: NumbersSchema,
  deliveryPolicy: NumbersSchema,
});

export async function run(argv: string[], io: CommandIo): Promise<number> {
  let values;
  let config: z.infer<typeof ConfigSchema> = {};
  try {
    ({ values } = parseOptions(argv, {
      'data-dir': { type: 'string' },
      profile: { type: 'string' },
      simulate: { type: 'string' },
      config: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      lang: { type: 'string' },
    }));
    languageOption(values.lang);
    if (values.config) {
      config = ConfigSchema.parse(JSON.parse(readFileSync(values.config, 'utf8')));
    }
  } catch (error) {
    writeLine(io.stderr, `siaga agent: ${(error as Error).message}`);
    return EXIT_USAGE;
  }
  const station = setUpStation({
    profile: values.profile,
    simulate: values.simulate,
    dataDir: values['data-dir'],
  });
  const verbose = values.verbose;
  const { agent, usbWatch } = await createStationAgent(station, {
    appVersion: APP_VERSION,
    schedule: config.schedule,
    faultPolicy: config.faultPolicy,
    deliveryPolicy: config.deliveryPolicy,
    log: (line) => {
      if (verbose || !line.startsWith('committed')) {
        writeLine(io.stderr, `${new Date().toISOString()} ${line}`);
      }
    },
  });
  const stopped = new Promise<void>((resolve) => {
    const onSignal = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  const narration = new FaultNarration(languageOption(values.lang));
  const narrate = () => {
    try {
      const store = agent.currentStore;
      if (store !== null) {
        for (const line of narration.update(store.listFaults({ includeResolved: true }), new Date())) {
          writeLine(io.stdout, line);
        }
      }
    } catch {
      // An unreadable store is reported by the agent's own log; the narration catches up at the
      // next fault, district or delivery event.
    }
  };
  // Event-driven, no polling: a fault opens or resolves (faults-changed), the district acknowledges
  // a batch (delivered) or reports a fault's state (district-changed). An idle agent does nothing.
  const unsubscribe = agent.subscribe((event) => {
    if (event.type === 'faults-changed' || event.type === 'district-changed' || event.type === 'delivered') {
      narrate();
    }
  });
  narration.begin(agent.currentStore?.listFaults({ includeResolved: true }) ?? []);
  await agent.start();
  // A person started this by hand: tell them now rather than wait for the folder to be fixed (the
  // kiosk's agent, by contrast, keeps retrying and shows a banner).
  const unwritable = agent.unwritable;
  if (unwritable !== null) {
    unsubscribe();
    await agent.stop();
    usbWatch?.stop();
    writeLine(io.stderr, unwritableLine('agent', unwritable));
    return EXIT_USAGE;
  }
  narrate();
  const status = agent.status();
  writeLine(
    io.stdout,
    `siaga agent running: data ${station.dataDir}, ${status.enrolled ? 'enrolled' : 'NOT enrolled (events are kept until `siaga enroll`)'}, ${status.outboxPending} queued`,
  );
  await stopped;
  unsubscribe();
  await agent.stop();
  narrate();
  usbWatch?.stop();
  writeLine(io.stdout, 'siaga agent stopped');
  return EXIT_OK;
}
