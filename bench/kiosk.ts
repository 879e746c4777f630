// Kiosk figures: launch to a populated board (goal < 2 s) and the automatic phase of the daily check
// with every simulated peer (goal < 3 s). Real station service, simulated kit, Debian Chromium.
import { launchChromium } from '../tests/helpers/browser';
import { startKioskServer } from '../tests/helpers/kiosk-server';
// @ts-expect-error plain ESM build script without types
import { buildRenderer } from '../scripts/build-renderer.mjs';

const RUNS = 5;
await buildRenderer();
const launches: number[] = [];
const automatic: number[] = [];
/** Chromium's own part: the browser process, and a new window with an empty page. */
const chromiumLaunches: number[] = [];
const windows: number[] = [];
for (let run = 0; run < RUNS; run++) {
  const started = performance.now();
  // In the order of Electron and main.ts: the browser process is up before main's code runs; then
  // the station is set up, the window opens, and the agent starts (store, startup check) while the
  // page loads. (Until 2026-12 this bench started the agent, awaited its startup check, launched
  // Chromium only then, and ran a second startup check beside the page.)
  const browser = await launchChromium();
  chromiumLaunches.push(performance.now() - started);
  const server = await startKioskServer({ skipBuild: true, startAgent: false });
  try {
    const windowStarted = performance.now();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    windows.push(performance.now() - windowStarted);
    const agentStarted = server.agent.start();
    await page.goto(server.url);
    await page
      .locator('[data-testid="tile-network"]:not([data-status="unknown"])')
      .waitFor({ timeout: 10_000 });
    launches.push(performance.now() - started);
    await agentStarted;
    const dailyStarted = performance.now();
    await server.service.startDailyCheck();
    automatic.push(performance.now() - dailyStarted);
  } finally {
    await browser.close();
    await server.close();
  }
}
const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return `median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} ms, max ${sorted[sorted.length - 1]!.toFixed(0)} ms`;
};
console.log(
  `launch (server + agent + Chromium) to populated board: ${summary(launches)} over ${RUNS} runs (goal < 2000 ms)`,
);
console.log(
  `  of which Chromium itself: browser launch ${summary(chromiumLaunches)}, new window ${summary(windows)}`,
);
console.log(
  `daily check automatic phase, all simulated peers: ${summary(automatic)} over ${RUNS} runs (goal < 3000 ms)`,
);
