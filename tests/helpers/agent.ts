// The station's real Agent (check runner, store, fault lifecycle, outbox) on a simulated kit, as
// station-side tests and benches build it; and polling until an agent or district reaches a state.
import { Agent } from '../../electron/agent/agent';
import type { AgentOptions } from '../../electron/agent/agent';
import { runCheck } from '../../electron/agent/check';
import { loadCatalog } from '../../electron/agent/catalog';
import { createSimulatedStation } from '../../electron/agent/simulate';
import type { SimulatedStation } from '../../electron/agent/simulate';

/**
 * A real Agent over `dataDir` on a simulated kit starting in `scenario` (see electron/agent/simulate.ts),
 * with the shipped catalog and check runner, app version 0.1.0 and `options` over that. Not started.
 */
export function createSimulatedAgent(
  dataDir: string,
  scenario = 'healthy',
  options: Partial<AgentOptions> = {},
): { agent: Agent; station: SimulatedStation } {
  const station = createSimulatedStation(scenario);
  const agent = new Agent({
    dataDir,
    profile: station.profile,
    catalog: loadCatalog(),
    adapters: station.adapters,
    runCheck,
    appVersion: '0.1.0',
    ...options,
  });
  return { agent, station };
}

/** Polls `probe` every 25 ms until it gives a value other than undefined; throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
