// Staff passwords, hashed with scrypt (node:crypto), a memory-hard function.
//
// Parameters (OWASP Password Storage Cheat Sheet, scrypt): N = 2^17 (cost), r = 8 (block size),
// p = 1 (parallelism): 128 * N * r = 128 MiB of memory and about 0.3 s of one core per hash here,
// so a stolen table costs an attacker the same per guess. Salt: 16 random bytes; key: 32 bytes.
// Stored as `scrypt$N$r$p$SALT_BASE64$KEY_BASE64`, so stronger parameters can come later and old
// hashes still verify.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { ScryptOptions } from 'node:crypto';

export interface ScryptParameters {
  cost: number;
  blockSize: number;
  parallelization: number;
}

export const DEFAULT_SCRYPT: ScryptParameters = { cost: 2 ** 17, blockSize: 8, parallelization: 1 };
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Passwords shorter than this are refused at `user add`. */
export const MIN_PASSWORD_LENGTH = 10;

/** Too many hashes are running or waiting: the caller answers 503 at once rather than queue more memory. */
export class HashingBusyError extends Error {
  constructor() {
    super('too many password checks at once');
    this.name = 'HashingBusyError';
  }
}

/**
 * Bounds the memory of password hashing: each scrypt holds 128 * N * r bytes (128 MiB at the
 * default) while it runs, and libuv would run four at once, so a login flood multiplied the server's
 * memory. At most `concurrency` hashes run; up to `maxWaiting` more wait in order; beyond that
 * `run` throws HashingBusyError without waiting.
 */
export class HashingQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly concurrency: number,
    readonly maxWaiting: number,
  ) {}

  get pending(): number {
    return this.running + this.waiting.length;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.maxWaiting) {
        throw new HashingBusyError();
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await work();
    } finally {
      // Hand the slot straight to the next waiter, or free it.
      const next = this.waiting.shift();
      if (next === undefined) {
        this.running -= 1;
      } else {
        next();
      }
    }
  }
}

/** The process's one queue: one hash at a time (0.3 s each on an idle core), 8 waiting (about 3 s) at most. */
export const hashingQueue = new HashingQueue(1, 8);

function derive(password: string, salt: Buffer, parameters: ScryptParameters): Promise<Buffer> {
  return hashingQueue.run(() => deriveNow(password, salt, parameters));
}

function deriveNow(password: string, salt: Buffer, parameters: ScryptParameters): Promise<Buffer> {
  const options: ScryptOptions = {
    N: parameters.cost,
    r: parameters.blockSize,
    p: parameters.parallelization,
    // scrypt needs 128 * N * r bytes; Node's default limit (32 MiB) is below our cost.
    maxmem: 256 * parameters.cost * parameters.blockSize,
  };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPassword(
  password: string,
  parameters: ScryptParameters = DEFAULT_SCRYPT,
): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, parameters);
  return [
    'scrypt',
    parameters.cost,
    parameters.blockSize,
    parameters.parallelization,
    salt.toString('base64'),
    key.toString('base64'),
  ].join('$');
}

/** True if `password` matches `stored`; false for a wrong password or a malformed hash. Constant time in the key. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') {
    return false;
  }
  const [cost, blockSize, parallelization] = parts.slice(1, 4).map(Number);
  if (
    ![cost, blockSize, parallelization].every((value) => Number.isInteger(value) && value > 0) ||
    cost > 2 ** 20
  ) {
    return false;
  }
  const salt = Buffer.from(parts[4], 'base64');
  const expected = Buffer.from(parts[5], 'base64');
  if (expected.length !== KEY_BYTES) {
    return false;
  }
  const key = await derive(password, salt, { cost, blockSize, parallelization });
  return timingSafeEqual(key, expected);
}
