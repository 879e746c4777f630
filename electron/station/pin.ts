// Technician mode behind a PIN: scrypt-hashed PIN in the store, a lockout after PIN_ATTEMPTS wrong
// entries that doubles each time (up to an hour), and short sessions renewed by use. Until a
// technician sets a PIN, the installer's initial PIN opens it.
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { UnlockResult } from '../station-api';
import { ChangePinRequestSchema, PinSchema } from '../station-api';
import { META, readMeta, writeMeta } from '../agent/store/meta';
import type { Store } from '../agent/store/store';

/** Wrong PINs before a lockout; the lockout doubles each time, up to an hour. */
export const PIN_ATTEMPTS = 5;
export const PIN_LOCKOUT_MS = 5 * 60_000;
const PIN_LOCKOUT_MAX_MS = 60 * 60_000;
/** A session ends after this long without use. */
const SESSION_MS = 15 * 60_000;

function hashPin(pin: string, salt: string): string {
  return scryptSync(pin, salt, 32).toString('hex');
}

export interface TechnicianLockOptions {
  store: () => Store;
  initialPin?: string;
  now: () => number;
  log: (level: 'info' | 'warn', message: string) => void;
}

export class TechnicianLock {
  private readonly sessions = new Map<string, number>();

  constructor(private readonly options: TechnicianLockOptions) {}

  unlock(pin: string): UnlockResult {
    const store = this.options.store();
    const state = readMeta(store, META.technicianPin);
    const now = this.options.now();
    if (state.lockedUntil > now) {
      return { ok: false, reason: 'locked', lockedUntil: new Date(state.lockedUntil).toISOString() };
    }
    if (PinSchema.safeParse(pin).success && this.matches(pin, state)) {
      writeMeta(store, META.technicianPin, { ...state, failures: 0, lockedUntil: 0, lockouts: 0 });
      const token = randomBytes(24).toString('base64url');
      this.sessions.set(token, now + SESSION_MS);
      this.options.log('info', 'technician mode unlocked');
      return { ok: true, token, expiresAt: new Date(now + SESSION_MS).toISOString() };
    }
    const failures = state.failures + 1;
    if (failures >= PIN_ATTEMPTS) {
      const lockMs = Math.min(PIN_LOCKOUT_MS * 2 ** state.lockouts, PIN_LOCKOUT_MAX_MS);
      const lockedUntil = now + lockMs;
      writeMeta(store, META.technicianPin, {
        ...state,
        failures: 0,
        lockedUntil,
        lockouts: state.lockouts + 1,
      });
      this.options.log(
        'warn',
        `technician PIN locked for ${lockMs / 60_000} min after ${failures} wrong entries`,
      );
      return { ok: false, reason: 'locked', lockedUntil: new Date(lockedUntil).toISOString() };
    }
    writeMeta(store, META.technicianPin, { ...state, failures });
    this.options.log('warn', `wrong technician PIN (${failures} of ${PIN_ATTEMPTS})`);
    return { ok: false, reason: 'wrong-pin', attemptsLeft: PIN_ATTEMPTS - failures };
  }

  lock(token: string): void {
    this.sessions.delete(token);
  }

  /** Whether a technician session is live now (the shell allows DevTools only then). */
  get active(): boolean {
    const now = this.options.now();
    return [...this.sessions.values()].some((expires) => expires >= now);
  }

  /** Throws unless the token is a live session; renews it. */
  authorise(token: string): void {
    const expires = this.sessions.get(token);
    const now = this.options.now();
    if (expires === undefined || expires < now) {
      this.sessions.delete(token);
      throw new Error('technician session expired: enter the PIN again');
    }
    this.sessions.set(token, now + SESSION_MS);
  }

  changePin(token: string, newPin: string): void {
    const valid = ChangePinRequestSchema.parse({ token, newPin });
    this.authorise(valid.token);
    const salt = randomBytes(16).toString('hex');
    writeMeta(this.options.store(), META.technicianPin, {
      hash: hashPin(valid.newPin, salt),
      salt,
      failures: 0,
      lockedUntil: 0,
      lockouts: 0,
    });
    this.options.log('info', 'technician PIN changed');
  }

  private matches(pin: string, state: { hash?: string; salt?: string }): boolean {
    if (!state.hash || !state.salt) {
      const initial = this.options.initialPin;
      return (
        initial !== undefined &&
        pin.length === initial.length &&
        timingSafeEqual(Buffer.from(pin), Buffer.from(initial))
      );
    }
    return timingSafeEqual(Buffer.from(hashPin(pin, state.salt), 'hex'), Buffer.from(state.hash, 'hex'));
  }
}
