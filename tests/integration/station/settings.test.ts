// The technician screen's settings have one source for the district URL: the station's identity.
// A kiosk already running while a technician enrolls the station with `siaga enroll` from the
// command line (the real CLI, against a real district over HTTP) shows the URL it was enrolled at.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { StationService } from '../../../electron/station/service';
import { addStation } from '../../../district/server/stations/stations';
import { createSimulatedAgent, waitFor } from '../../helpers/agent';
import { startHttpDistrict } from '../../helpers/station-district';

const run = promisify(execFile);

test('after `siaga enroll` from the command line, the settings show the district URL', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'siaga-settings-'));
  const district = await startHttpDistrict();
  const { agent } = createSimulatedAgent(dataDir, 'healthy', {
    schedule: {
      passiveIntervalMs: 60 * 60_000,
      confirmDelayMs: 50,
      hotplugSettleMs: 10,
      enrollmentPollMs: 100,
    },
  });
  const service = new StationService({ agent });
  try {
    await agent.start();
    assert.equal((await service.getSettings()).districtUrl, null, 'not enrolled yet');

    const { code } = await addStation(district.db, { name: 'Loket 2', kecamatan: 'Sragen Kota' });
    // A trailing path and slash, as a technician may type it: the station keeps the origin.
    const typed = `${district.url.replace(/\/$/, '')}/dashboard/`;
    const { stdout } = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        'electron/cli.ts',
        'enroll',
        '--district',
        typed,
        '--code',
        code,
        '--data-dir',
        dataDir,
      ],
      { encoding: 'utf8' },
    );
    assert.match(stdout, /Terdaftar \/ enrolled/);

    const expected = new URL(district.url).origin;
    const shown = await waitFor('the district URL in the settings', async () => {
      const { districtUrl } = await service.getSettings();
      return districtUrl ?? undefined;
    });
    assert.equal(shown, expected);
    assert.equal((await service.getStatus()).enrolled, true);
  } finally {
    service.stop();
    await agent.stop();
    await district.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
