// Screenshots of the kiosk as an operator sees it: Xvfb + chromium --kiosk --app=URL + ImageMagick
// `import -window root`, at 1280x800 and 1024x768. StationApi is the real station service on the
// simulated kit. Into a temporary folder (printed), or into docs/screenshots/ through
// `npm run screenshots` (SIAGA_SCREENSHOTS_DIR, tests/helpers/screenshots.ts).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startKioskServer } from '../tests/helpers/kiosk-server';
import { screenshotDirectory } from '../tests/helpers/screenshots';

const sizes = [
  [1280, 800],
  [1024, 768],
] as const;
const shots = [
  { name: 'board', scenario: 'kecamatan-down', hash: '', settleMs: 8000 },
  { name: 'board-healthy', scenario: 'healthy', hash: '', settleMs: 8000 },
  { name: 'wizard', scenario: 'ribbon-low', hash: '#daily', settleMs: 9000 },
];

const directory = screenshotDirectory();
console.log(`screenshots into ${directory}`);
let built = false;
for (const shot of shots) {
  const server = await startKioskServer({ scenario: shot.scenario, skipBuild: built });
  built = true;
  await server.service.runCheck({ mode: 'active' });
  await server.service.runCheck({ mode: 'active' });
  try {
    for (const [width, height] of sizes) {
      const file = join(directory, `${shot.name}-${width}x${height}.png`);
      const script = [
        `chromium --no-sandbox --disable-gpu --no-first-run --disable-sync --disable-background-networking --disable-component-update --disable-features=Translate --password-store=basic --user-data-dir=$(mktemp -d) --kiosk --window-position=0,0 --window-size=${width},${height} --app='${server.url}${shot.hash}' >/dev/null 2>&1 &`,
        'BROWSER=$!',
        `sleep ${shot.settleMs / 1000}`,
        `import -window root ${file}`,
        'kill $BROWSER',
        'wait $BROWSER 2>/dev/null || true',
      ].join('\n');
      // Asynchronous: the kiosk server lives in this process and must keep answering the page.
      const status = await new Promise<number | null>((resolve, reject) => {
        const child = spawn('xvfb-run', ['-a', '-s', `-screen 0 ${width}x${height}x24`, 'sh', '-c', script], {
          stdio: 'inherit',
        });
        child.on('error', reject);
        child.on('exit', (code) => resolve(code));
      });
      if (status !== 0) {
        throw new Error(`xvfb-run failed for ${file}: exit ${status}`);
      }
      console.log(`wrote ${file}`);
    }
  } finally {
    await server.close();
  }
}
