// Each district's clock for escalation (local-day.ts) on a real SQLite database: a district's
// calendar time zone, except that a file writing `utcOffsetMinutes` keeps the default district's.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeZone } from '../../../district/server/calendar/store';
import { openDatabase } from '../../../district/server/db/open';
import { EscalationConfigSchema } from '../../../district/server/escalation/config';
import { districtDay, districtOffsets, localDay } from '../../../district/server/escalation/local-day';
import { addDistrict, addProvince } from '../../../district/server/tenancy/districts';

const dir = mkdtempSync(join(tmpdir(), 'siaga-esc-day-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const base = { rules: [], contacts: {}, digestHour: 7 };
const NOW = Date.parse('2026-03-11T16:30:00.000Z');

test("each district's offset is its calendar's; the file's, when written, is the default district's only", async () => {
  const db = await openDatabase({ dataDir: dir });
  try {
    await addProvince(db, { code: '51', name: 'Bali' });
    await addProvince(db, { code: '94', name: 'Papua' });
    await addDistrict(db, { code: '51.71', name: 'Kota Denpasar', province: '51', timeZone: 'WITA' });
    await addDistrict(db, { code: '94.71', name: 'Kota Jayapura', province: '94', timeZone: 'WIT' });
    const noOffset = EscalationConfigSchema.parse(base);
    const wibFile = EscalationConfigSchema.parse({ ...base, utcOffsetMinutes: 420 });
    assert.equal(noOffset.utcOffsetMinutes, undefined);
    // An offset no place on Earth has (minutes typed as seconds, say) is refused, not run.
    for (const utcOffsetMinutes of [480 * 60, -13 * 60, 7.5]) {
      assert.equal(EscalationConfigSchema.safeParse({ ...base, utcOffsetMinutes }).success, false, String(utcOffsetMinutes));
    }

    assert.deepEqual(Object.fromEntries(await districtOffsets(db, noOffset)), { default: 420, '51.71': 480, '94.71': 540 });
    await setTimeZone(db, 'WITA', NOW);
    // The default district's calendar now says WITA: it follows, unless the file writes an offset.
    assert.equal((await districtOffsets(db, noOffset)).get('default'), 480);
    assert.deepEqual(Object.fromEntries(await districtOffsets(db, wibFile)), { default: 420, '51.71': 480, '94.71': 540 });
    // A province's pass reads its own districts only.
    assert.deepEqual([...(await districtOffsets(db, wibFile, { level: 'province', code: '94' })).keys()], ['94.71']);
    // A zone hand-edited into nonsense counts as WIB rather than stopping every district's pass.
    await db.run("UPDATE districts SET time_zone = 'Asia/Jakarta' WHERE code = '94.71'");
    const offsets = await districtOffsets(db, noOffset);
    assert.equal(offsets.get('94.71'), 420);

    // 16:30 UTC is 00:30 on 12 March in WITA, 23:30 on 11 March in WIB; a district the map does
    // not hold (removed since) is WIB.
    assert.deepEqual(districtDay(NOW, noOffset, offsets, '51.71'), {
      startMs: Date.parse('2026-03-11T16:00:00.000Z'),
      digestMs: Date.parse('2026-03-11T23:00:00.000Z'),
      date: '2026-03-12',
    });
    assert.equal(districtDay(NOW, noOffset, offsets, 'gone').date, '2026-03-11');
    // The exported localDay keeps its meaning: the file's offset, else WIB.
    assert.equal(localDay(NOW, noOffset).date, '2026-03-11');
    assert.equal(localDay(NOW, EscalationConfigSchema.parse({ ...base, utcOffsetMinutes: 540 })).date, '2026-03-12');
  } finally {
    await db.close();
  }
});
