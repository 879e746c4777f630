// `siaga-district bundle import FILE`: the signed events a station carried on a USB stick.
// Exit 0 all stored, 1 when a request of the bundle was refused.
import { readFileSync } from 'node:fs';
import { writeLine } from '../../cli/command';
import { importBundle } from '../server/intake/bundle-import';
import { RejectionLog } from '../server/intake/rejections';
import { defineCommand, onePositional, withDb } from './io';

export const bundleImport = defineCommand({
  usage: 'bundle import FILE [--json]',
  options: { json: { type: 'boolean', default: false } },
  run: async ({ values, positionals }, io) => {
    const file = onePositional(positionals, 'FILE');
    const text = readFileSync(file, 'utf8');
    const result = await withDb(values, async (db) => {
      const rejections = new RejectionLog(db);
      try {
        return await importBundle(db, text, { rejections, source: file });
      } finally {
        await rejections.close();
      }
    });
    writeLine(
      io.stdout,
      values.json
        ? JSON.stringify(result)
        : `bundle from ${result.stationId}: ${result.requests} requests, ${result.accepted} events stored, ${result.duplicates} already held, ${result.refused.length} requests refused`,
    );
    for (const refused of result.refused) {
      writeLine(io.stderr, `  request #${refused.index} refused (${refused.error}): ${refused.message}`);
    }
    return result.refused.length > 0 ? 1 : 0;
  },
});
