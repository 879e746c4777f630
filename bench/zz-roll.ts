import { performance } from 'node:perf_hooks';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../district/server/db/open';
import { rollup } from '../district/server/tenancy/rollup';
import { seedCountry, provinceCode } from './national-seed';
const db = await openDatabase({ dataDir: mkdtempSync(join(tmpdir(), 'zz-')) });
const nowMs = Date.now();
let t = performance.now();
await seedCountry(db, nowMs);
console.log('seed', performance.now() - t);
await rollup(db, { scope: { level: 'national' }, nowMs, windowMs: 600000 });
const orig = db.query.bind(db);
(db as any).query = async (sql: string, p?: any) => { const t = performance.now(); const r = await orig(sql, p); console.log((performance.now() - t).toFixed(1), 'ms', r.length, sql.replace(/\s+/g, ' ').slice(0, 110)); return r; };
for (const scope of [{ level: 'national' }, { level: 'province', code: provinceCode(0) }] as const) {
  t = performance.now();
  await rollup(db, { scope, nowMs, windowMs: 600000 });
  console.log('total', scope.level, performance.now() - t);
}
