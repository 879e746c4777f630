// Login throttling (docs/dashboard.md, "Login throttling"): growing delays per (account, address)
// and per address, kept in the table login_throttle so every count is one atomic statement on
// SQLite and PostgreSQL alike, survives a restart and costs the server no memory per attacker.
//
// Every attempt is admitted or refused by one INSERT ... ON CONFLICT DO UPDATE ... RETURNING on
// each key: the attempt is counted as a failure *before* its password is checked (so 40 concurrent
// attempts are 40 counts, and only the first few reach the hash), and a correct password then
// deletes its (account, address) row. An attempt while a key is blocked is refused with the time
// left and still counted, so hammering makes the next wait longer; the wait doubles from
// FIRST_DELAY_MS up to MAX_DELAY_MS. A key quiet for FORGET_AFTER_MS starts over.
//
// Nobody can lock the admin out: an address that has not failed is never delayed by another
// address's failures; the per-address budget is larger than the per-account one, so a shared
// office address does not block colleagues after one person's typos.
import type { Db } from '../db/types';

export const THROTTLE = {
  /** Failed attempts of one account from one address before the first delay. */
  freePerAccount: 5,
  /** Failed attempts from one address, on any accounts, before the first delay. */
  freePerAddress: 20,
  firstDelayMs: 1000,
  maxDelayMs: 5 * 60 * 1000,
  forgetAfterMs: 60 * 60 * 1000,
} as const;

/** The wait after the `failures`-th failure of a key that allows `free` failures: 0, then 1 s, 2 s, 4 s ... 5 min. */
export function delayAfter(failures: number, free: number): number {
  if (failures < free) {
    return 0;
  }
  return Math.min(THROTTLE.maxDelayMs, THROTTLE.firstDelayMs * 2 ** Math.min(30, failures - free));
}

/** delayAfter as a portable SQL CASE on the integer expression `failures`. */
function delaySql(failures: string, free: number): string {
  const steps: string[] = [];
  for (let count = free; delayAfter(count, free) < THROTTLE.maxDelayMs; count += 1) {
    steps.push(`WHEN ${failures} = ${count} THEN ${delayAfter(count, free)}`);
  }
  return `CASE WHEN ${failures} < ${free} THEN 0 ${steps.join(' ')} ELSE ${THROTTLE.maxDelayMs} END`;
}

export interface Admission {
  admitted: boolean;
  /** This key's failures so far, this attempt included. */
  failures: number;
  /** When refused: ms until the key admits again. */
  retryAfterMs: number;
}

/** Counts one attempt on `key` and tells whether it may go on to the password check. One atomic statement. */
export async function admit(db: Db, key: string, free: number, nowMs: number): Promise<Admission> {
  // The SET expressions all read the row as it was before this statement (SQL semantics on both engines).
  const now = 'CAST($2 AS BIGINT)';
  const stale = `login_throttle.last_attempt_ms < CAST($3 AS BIGINT)`;
  // A delay of 0 leaves blocked_until_ms = last_attempt_ms: never a block, even for an attempt
  // stamped a little earlier (another server process's clock, or a statement that ran late).
  const blocked = `(login_throttle.blocked_until_ms > ${now} AND login_throttle.blocked_until_ms > login_throttle.last_attempt_ms AND NOT ${stale})`;
  const failures = `(CASE WHEN ${stale} THEN 1 ELSE login_throttle.failures + 1 END)`;
  const [row] = await db.query<{
    failures: number | string;
    admitted: number | string;
    blocked_until_ms: number | string;
  }>(
    `INSERT INTO login_throttle (key, failures, admitted, blocked_until_ms, last_attempt_ms)
     VALUES ($1, 1, 1, ${now} + ${delaySql('1', free)}, ${now})
     ON CONFLICT (key) DO UPDATE SET
       failures = ${failures},
       admitted = CASE WHEN ${blocked} THEN 0 ELSE 1 END,
       blocked_until_ms = CASE WHEN ${blocked} THEN login_throttle.blocked_until_ms
         ELSE ${now} + ${delaySql(failures, free)} END,
       last_attempt_ms = ${now}
     RETURNING failures, admitted, blocked_until_ms`,
    [key, nowMs, nowMs - THROTTLE.forgetAfterMs],
  );
  const admitted = Number(row.admitted) === 1;
  return {
    admitted,
    failures: Number(row.failures),
    retryAfterMs: admitted ? 0 : Math.max(0, Number(row.blocked_until_ms) - nowMs),
  };
}

/** A correct password: the (account, address) key starts over. The address budget is left to expire. */
export async function forget(db: Db, key: string): Promise<void> {
  await db.run('DELETE FROM login_throttle WHERE key = $1', [key]);
}

/**
 * A correct password: the attempt it counted on the address is taken back, so only failures use up
 * an address's budget (an office behind one address logs in all day), while a colleague's correct
 * password never erases someone else's failures from it.
 */
export async function refundAddress(db: Db, address: string): Promise<void> {
  await db.run(
    `UPDATE login_throttle SET failures = failures - 1,
       blocked_until_ms = CASE WHEN failures - 1 < ${THROTTLE.freePerAddress} THEN 0 ELSE blocked_until_ms END
     WHERE key = $1 AND failures > 0`,
    [addressKey(address)],
  );
}

/** Rows quiet for longer than FORGET_AFTER_MS, deleted now and then so the table stays small. */
export async function pruneThrottle(db: Db, nowMs: number): Promise<number> {
  return db.run('DELETE FROM login_throttle WHERE last_attempt_ms < $1', [nowMs - THROTTLE.forgetAfterMs]);
}

export const accountKey = (username: string, address: string): string => `${username} ${address}`;
export const addressKey = (address: string): string => address;

/** A login attempt by `username` from `address`: admitted on both keys, or refused with the longer wait. */
export async function admitLogin(
  db: Db,
  username: string,
  address: string,
  nowMs: number,
): Promise<Admission & { accountFailures: number }> {
  const account = await admit(db, accountKey(username, address), THROTTLE.freePerAccount, nowMs);
  const perAddress = await admit(db, addressKey(address), THROTTLE.freePerAddress, nowMs);
  return {
    admitted: account.admitted && perAddress.admitted,
    failures: perAddress.failures,
    accountFailures: account.failures,
    retryAfterMs: Math.max(account.retryAfterMs, perAddress.retryAfterMs),
  };
}
