// Full-check wall time over the REAL adapters and OS-level peers (fake sysfs, pty UPS,
// ippeveprinter, loopback HTTP), beside the slowest single probe (goal <= 1.2x), and the time to a
// verdict for a UPS that never answers (goal: its timeout). Needs root (mount namespace).
import { runRealStation } from '../tests/helpers/real-station';

const report = (await runRealStation('bench', 180_000)) as {
  probes: Record<string, number>;
  full: number;
  sequential: number;
  silentUpsVerdictMs: number;
  silentTimeoutMs: number;
};
console.log('siaga check benchmark, real transports against OS-level peers (median of 15 runs)');
for (const [name, ms] of Object.entries(report.probes)) {
  console.log(`  probe ${name.padEnd(44)} ${ms.toFixed(1).padStart(7)} ms`);
}
const slowest = Math.max(...Object.values(report.probes));
console.log(`  full check${' '.repeat(40)} ${report.full.toFixed(1).padStart(7)} ms`);
console.log(
  `  ratio full / slowest probe${' '.repeat(24)} ${(report.full / slowest).toFixed(2).padStart(7)} x   (goal <= 1.2 x)`,
);
console.log(
  `  all probes one after another${' '.repeat(22)} ${report.sequential.toFixed(1).padStart(7)} ms   (full / sequential ${(report.full / report.sequential).toFixed(2)} x)`,
);
console.log(
  `  silent UPS: verdict after ${report.silentUpsVerdictMs.toFixed(1)} ms for a ${report.silentTimeoutMs} ms timeout (ratio ${(report.silentUpsVerdictMs / report.silentTimeoutMs).toFixed(3)})`,
);
