// Runs inside tests/helpers/read-only-folder.ts with argv[2] (the data folder) mounted read-only:
// a simulated station's agent and StationService start, the kiosk status is read, then the folder
// is made writable again from in here. The last stdout line is the JSON report the parent asserts on.
import { execFileSync } from 'node:child_process';
import { createStationAgent, setUpStation } from '../../../electron/agent/composition-root';
import { StationService } from '../../../electron/station/service';

const dataDir = process.argv[2]!;

async function waitFor<T>(what: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = what();
    if (value !== undefined || Date.now() > until) {
      return value;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const setup = setUpStation({ simulate: 'healthy', dataDir });
const { agent } = await createStationAgent(setup, {
  appVersion: 'test',
  schedule: { storeRetryMs: 200, passiveIntervalMs: 60_000, heartbeatIntervalMs: 60_000 },
});
const service = new StationService({ agent, kiosk: true });
await agent.start();
const before = await service.getStatus();
const storeBefore = agent.currentStore !== null;
execFileSync('mount', ['-o', 'remount,bind,rw', dataDir]);
const fault = await waitFor(
  () => agent.currentStore?.listFaults().find((record) => record.code === 'PC_DATA_FOLDER_READONLY'),
  10_000,
);
const after = await service.getStatus();
const events = agent.currentStore?.pending(100).map((event) => event.type) ?? [];
await agent.stop();
service.stop();
process.stdout.write(`${JSON.stringify({ storeBefore, before, fault: fault ?? null, after, events })}\n`);
