// Runs tests/helpers/station-real-child.ts (the full check over the real adapters and OS-level
// peers) on a fake sysfs tree holding the station kit, and returns its JSON report.
import { FakeSysfs, expectReport, runInFakeSysfs } from './fake-sysfs';
import { STATION_KIT } from './usb-fixtures';

export async function runRealStation(
  mode: 'test' | 'bench',
  timeoutMs: number,
): Promise<Record<string, unknown>> {
  const tree = new FakeSysfs();
  try {
    for (const { device } of STATION_KIT) {
      tree.add(device);
    }
    return expectReport(
      await runInFakeSysfs('tests/helpers/station-real-child.ts', {
        root: tree.root,
        args: [mode],
        timeoutMs,
      }),
    );
  } finally {
    tree.dispose();
  }
}
