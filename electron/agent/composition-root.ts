// Builds what the `siaga` commands and the Electron shell need to run this station: real or
// simulated adapters, the profile, the catalog, the data directory, and the agent over them.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Adapters } from './adapters';
import { createRealAdapters } from './adapters';
import { loadCatalog, type Catalog } from './catalog';
import { loadProfile, parseProfile, type Profile } from './profile';
import { createSimulatedStation, type SimulatedStation } from './simulate';
import { Agent, type AgentOptions } from './agent';
import { runCheck } from './check';
import { watchUsb, type UsbWatch } from './runtime/usb-watch';

export interface StationSetup {
  adapters: Adapters;
  profile: Profile;
  profilePath?: string;
  catalog: Catalog;
  dataDir: string;
  simulation?: SimulatedStation;
}

/** %PROGRAMDATA%\Siaga on Windows, ~/.siaga elsewhere; SIAGA_DATA_DIR overrides. */
export function defaultDataDir(): string {
  if (process.env.SIAGA_DATA_DIR) {
    return process.env.SIAGA_DATA_DIR;
  }
  if (process.platform === 'win32') {
    return path.join(process.env.PROGRAMDATA ?? 'C:\\ProgramData', 'Siaga');
  }
  return path.join(os.homedir(), '.siaga');
}

/** A station with no profile yet expects nothing but reports what is attached. */
export const EMPTY_PROFILE: Profile = parseProfile({ version: 1, roles: {} });

export function setUpStation(options: {
  profile?: string;
  simulate?: string;
  dataDir?: string;
}): StationSetup {
  const dataDir = options.dataDir ?? defaultDataDir();
  const catalog = loadCatalog();
  const savedProfile = path.join(dataDir, 'profile.json');
  const profilePath = options.profile ?? (existsSync(savedProfile) ? savedProfile : undefined);
  if (options.simulate !== undefined) {
    const simulation = createSimulatedStation(options.simulate);
    const profile = options.profile ? loadProfile(options.profile) : simulation.profile;
    return {
      adapters: simulation.adapters,
      profile,
      profilePath: options.profile,
      catalog,
      dataDir,
      simulation,
    };
  }
  const profile = profilePath ? loadProfile(profilePath) : EMPTY_PROFILE;
  return { adapters: createRealAdapters(), profile, profilePath, catalog, dataDir };
}

/** The directory whose disk the PC check measures: the data dir once it exists, the home dir before. */
export function diskPath(dataDir: string): string {
  return existsSync(dataDir) ? dataDir : os.homedir();
}

/** The agent for a station set up above, with USB hotplug on real hardware (not for a simulated kit,
 *  which changes by scenario, not by plugging). Stop the returned watch after the agent. */
export async function createStationAgent(
  setup: StationSetup,
  options: Pick<AgentOptions, 'appVersion'> &
    Partial<Omit<AgentOptions, 'dataDir' | 'profile' | 'catalog' | 'adapters' | 'runCheck' | 'hotplug'>>,
): Promise<{ agent: Agent; usbWatch?: UsbWatch }> {
  const usbWatch = setup.simulation
    ? undefined
    : await watchUsb(setup.adapters, { intervalMs: options.schedule?.usbRescanIntervalMs });
  const agent = new Agent({
    ...options,
    dataDir: setup.dataDir,
    profile: setup.profile,
    catalog: setup.catalog,
    adapters: setup.adapters,
    runCheck: (context) => runCheck({ ...context, dataDir: diskPath(setup.dataDir) }),
    hotplug: usbWatch?.hotplug,
  });
  return { agent, usbWatch };
}
