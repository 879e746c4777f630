// Runs every bench/*.ts (or the ones named) and prints their figures. Benchmarks are not pass/fail.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const wanted = process.argv.slice(2);
const files = readdirSync('bench')
  .filter((name) => name.endsWith('.ts') && (wanted.length === 0 || wanted.some((filter) => name.includes(filter))))
  .sort();
let failed = 0;
for (const name of files) {
  console.log(`\n== bench/${name}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', `bench/${name}`], { stdio: 'inherit' });
  failed += result.status === 0 ? 0 : 1;
}
process.exit(failed === 0 ? 0 : 1);
