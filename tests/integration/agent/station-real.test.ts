// `siaga`'s full check over the real adapters and OS-level peers (see station-real-child.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runRealStation } from '../../helpers/real-station';

test('full check on real transports: healthy, then unplugged, on battery, out of media, and a silent UPS, a loose cable', async () => {
  const report = (await runRealStation('test', 120_000)) as {
    healthy: Record<string, string>;
    broken: Record<string, string>;
    silent: Record<string, string>;
    canRecord: boolean;
    canPrint: boolean;
    silentMs: number;
    loose: Record<string, string>;
  };
  assert.equal(report.healthy.fingerprint, 'FINGERPRINT_OK');
  assert.equal(report.healthy['card-printer'], 'CARD_PRINTER_OK');
  assert.equal(report.healthy.ups, 'UPS_OK');
  assert.equal(report.healthy.network, 'NETWORK_OK');
  assert.equal(report.broken.fingerprint, 'FINGERPRINT_MISSING');
  assert.equal(report.broken.ups, 'UPS_ON_BATTERY');
  assert.equal(report.broken['card-printer'], 'CARD_PRINTER_CARDS_OUT');
  assert.equal(report.canRecord, false);
  assert.equal(report.canPrint, false);
  assert.equal(report.silent.ups, 'UPS_NOT_RESPONDING');
  assert.ok(report.silentMs < 500 + 400, `a silent UPS held the check for ${report.silentMs} ms`);
  assert.equal(report.loose.fingerprint, 'FINGERPRINT_LOOSE_CABLE');
});
