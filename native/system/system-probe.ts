// PC health from the operating system: disk free where the station keeps its data, memory, clock.
import { statfs } from 'node:fs/promises';
import os from 'node:os';
import type { SystemProbe, SystemSnapshot } from './types';

export function createSystemProbe(): SystemProbe {
  return {
    async snapshot(dataPath: string): Promise<SystemSnapshot> {
      const disk = await statfs(dataPath);
      return {
        diskFreeBytes: disk.bavail * disk.bsize,
        diskTotalBytes: disk.blocks * disk.bsize,
        memoryFreeBytes: os.freemem(),
        memoryTotalBytes: os.totalmem(),
        uptimeSeconds: os.uptime(),
        clockMs: Date.now(),
        hostname: os.hostname(),
        platform: `${os.platform()} ${os.release()}`,
      };
    },
  };
}
