// Bench: the agent's idle CPU and RSS with the default schedule (goal < 1 % of a core, < 80 MB).
// Runs `siaga agent` (electron/commands/agent.ts, bundled with esbuild as scripts/build.mjs ships
// the CLI, so tsx's own loader is not measured) in a child process with the simulated kit,
// enrolled to a local district, and samples /proc/PID/stat and /proc/PID/status.
// usage: node --import tsx bench/agent-idle.ts [SECONDS]   (default 90)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { enrollStation, startHttpDistrict } from '../tests/helpers/station-district';

const seconds = Number(process.argv[2] ?? 90);
const dataDir = mkdtempSync(path.join(tmpdir(), 'siaga-bench-idle-'));
const district = await startHttpDistrict();
const root = path.resolve(import.meta.dirname, '..');
// Two levels below the root, as dist/cli/siaga.mjs is, so resources/ resolves the same way.
const bundleDir = mkdtempSync(path.join(root, 'bench', '.agent-idle-'));
const entry = path.join(bundleDir, 'entry.mts');
const bundle = path.join(bundleDir, 'agent.mjs');
writeFileSync(
  entry,
  `import { run } from ${JSON.stringify(path.join(root, 'electron/commands/agent.ts'))};
process.exitCode = await run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });`,
);
await build({
  entryPoints: [entry],
  bundle: true,
  outfile: bundle,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['electron', 'better-sqlite3', 'usb', 'serialport', 'pg-native'],
  loader: { '.json': 'json' },
  logLevel: 'warning',
  banner: {
    js: "import { createRequire as __siagaRequire } from 'node:module'; const require = __siagaRequire(import.meta.url);",
  },
});
const clockTicks = 100;
const cpuSeconds = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / clockTicks;
};
const rssMb = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
try {
  await enrollStation(district, dataDir);
  const child = spawn(
    process.execPath,
    [bundle, '--data-dir', dataDir, '--simulate', 'healthy'],
    { stdio: ['ignore', 'pipe', 'inherit'], cwd: root },
  );
  await new Promise((resolve, reject) => {
    child.stdout!.once('data', resolve);
    child.once('exit', (code) => reject(new Error(`agent exited (${code})`)));
  });
  // Let start-up (module loading, first active check) settle before measuring.
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const startCpu = cpuSeconds(child.pid!);
  const started = performance.now();
  const rss: number[] = [];
  while (performance.now() - started < seconds * 1000) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    rss.push(rssMb(child.pid!));
  }
  const cpu = (cpuSeconds(child.pid!) - startCpu) / ((performance.now() - started) / 1000);
  await new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
  console.log(
    `agent idle over ${seconds} s (default schedule, simulated kit): CPU ${(cpu * 100).toFixed(2)} % of a core (goal < 1 %), RSS median ${rss.sort((a, b) => a - b)[Math.floor(rss.length / 2)]!.toFixed(1)} MB, max ${Math.max(...rss).toFixed(1)} MB (goal < 80 MB)`,
  );
} finally {
  await district.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(bundleDir, { recursive: true, force: true });
}
