// Runs inside `unshare -m` with a fake tree on /sys/bus/usb/devices (tests/helpers/fake-sysfs.ts).
// `siaga check`'s own steps (setUpStation, runCheck, hasFault) on the real usb library, whose device
// list is taken and then, with argv[4] = "vanish", the fingerprint scanner's directory is removed
// before its strings are read: a device unplugged in the middle of the check. The last stdout line
// is the JSON the parent asserts on.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createUsbSource } from '../../../native/usb/usb-source';
import { diskPath, setUpStation } from '../../../electron/agent/composition-root';
import { runCheck } from '../../../electron/agent/check';
import { hasFault } from '../../../electron/commands/check';
import { EXIT_FAULT, EXIT_OK } from '../../../electron/commands/io';

const [profile, dataDir, mode, directory] = process.argv.slice(2) as [string, string, string, string];
const root = process.env.FAKE_SYSFS ?? '';

async function main(): Promise<void> {
  const station = setUpStation({ profile, dataDir });
  const usb = createUsbSource({
    getDevices: async () => {
      const { usb: library } = await import('usb');
      const devices = await library.getDevices();
      if (mode === 'vanish') {
        // Listed, then unplugged: its serial number and names can no longer be read.
        rmSync(join(root, directory), { recursive: true, force: true });
      }
      return devices;
    },
  });
  const report = await runCheck({
    adapters: { ...station.adapters, usb },
    profile: station.profile,
    catalog: station.catalog,
    dataDir: diskPath(dataDir),
    mode: 'passive',
  });
  process.stdout.write(
    `${JSON.stringify({
      exitCode: hasFault(report) ? EXIT_FAULT : EXIT_OK,
      verdicts: report.verdicts.map(({ role, status, code, severity, device }) => ({
        role,
        status,
        code,
        severity,
        serialNumber: device?.serialNumber ?? null,
      })),
      recording: report.recording,
      lastVanished: usb.lastVanished,
    })}\n`,
  );
}

void main();
