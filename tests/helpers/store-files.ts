// Station store files for tests: a temporary data dir, a check report of many verdicts (pages of
// check results at the end of the file) and a damaged page where quick_check finds it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { STORE_FILE } from '../../electron/agent/store/store';
import type { CheckReport } from '../../electron/agent/types';

/** Runs `work` with a fresh data dir, removed afterwards. */
export function withStoreDir(work: (dir: string) => void): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'siaga-store-'));
  try {
    work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A passive check with `verdictCount` ok UPS verdicts, all at `startedAt`. */
export function upsCheckReport(verdictCount: number, startedAt = '2024-01-01T00:00:00.000Z'): CheckReport {
  return {
    startedAt,
    durationMs: 5,
    verdicts: Array.from({ length: verdictCount }, (_, index) => ({
      role: 'ups' as const,
      status: 'ok' as const,
      code: 'UPS_OK',
      severity: 'info' as const,
      message: { id: 'ok', en: 'ok' },
      nextStep: { id: '-', en: '-' },
      measurements: { index },
      checkedAt: startedAt,
      durationMs: 1,
    })),
    roleStatus: { ups: 'ok' },
    recording: 'yes',
    printing: 'yes',
    canRecord: true,
    canPrint: true,
    usbDevices: [],
    mode: 'passive',
  };
}

/**
 * Overwrites the last page of a closed, checkpointed store in `dir` (past its 8-byte page header):
 * SQLite still opens the file, `PRAGMA quick_check` fails.
 */
export function damageLastPage(dir: string): void {
  const file = path.join(dir, STORE_FILE);
  const bytes = readFileSync(file);
  const pageSize = bytes.readUInt16BE(16);
  const lastPage = bytes.length / pageSize - 1;
  bytes.fill(0xff, lastPage * pageSize + 8, (lastPage + 1) * pageSize);
  writeFileSync(file, bytes);
}
