// Staff authentication: scrypt password hashes, session cookies, CSRF tokens, roles.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  DEFAULT_SCRYPT,
  HashingBusyError,
  HashingQueue,
  hashPassword,
  verifyPassword,
} from '../../../district/server/auth/password';
import { roleAllows } from '../../../district/server/auth/roles';
import { delayAfter } from '../../../district/server/auth/throttle';
import { csrfMatches, sessionCookie, sessionTokenFrom } from '../../../district/server/auth/sessions';
import type { Session } from '../../../district/server/auth/sessions';

const CHEAP = { cost: 2 ** 10, blockSize: 8, parallelization: 1 };

test('the default hash is scrypt N=2^17 r=8 p=1 with a 16-byte salt and a 32-byte key, and verifies', async () => {
  const hash = await hashPassword('rahasia-sragen-2026');
  const [scheme, cost, blockSize, parallelization, salt, key] = hash.split('$');
  assert.deepEqual(
    [scheme, Number(cost), Number(blockSize), Number(parallelization)],
    ['scrypt', 2 ** 17, 8, 1],
  );
  assert.deepEqual(DEFAULT_SCRYPT, { cost: 2 ** 17, blockSize: 8, parallelization: 1 });
  assert.equal(Buffer.from(salt, 'base64').length, 16);
  assert.equal(Buffer.from(key, 'base64').length, 32);
  assert.equal(await verifyPassword('rahasia-sragen-2026', hash), true);
  assert.equal(await verifyPassword('rahasia-sragen-2027', hash), false);
});

test('two hashes of one password differ (salt) and both verify', async () => {
  const first = await hashPassword('kata-sandi-panjang', CHEAP);
  const second = await hashPassword('kata-sandi-panjang', CHEAP);
  assert.notEqual(first, second);
  assert.equal(await verifyPassword('kata-sandi-panjang', first), true);
  assert.equal(await verifyPassword('kata-sandi-panjang', second), true);
});

test('malformed or tampered hashes never verify', async () => {
  const hash = await hashPassword('kata-sandi-panjang', CHEAP);
  const parts = hash.split('$');
  const flipped = Buffer.from(parts[5], 'base64');
  flipped[0] ^= 1;
  for (const bad of [
    '',
    'plain-text-password',
    ['bcrypt', ...parts.slice(1)].join('$'),
    [...parts.slice(0, 5), flipped.toString('base64')].join('$'),
    [...parts.slice(0, 5), 'c2hvcnQ='].join('$'),
    ['scrypt', String(2 ** 30), ...parts.slice(2)].join('$'),
    ['scrypt', 'x', ...parts.slice(2)].join('$'),
  ]) {
    assert.equal(await verifyPassword('kata-sandi-panjang', bad), false, bad);
  }
});

test('the session token is read from any Cookie header position; the cookie is HttpOnly and SameSite=Strict', () => {
  assert.equal(sessionTokenFrom('a=1; siaga_session=abc-DEF_1; b=2'), 'abc-DEF_1');
  assert.equal(sessionTokenFrom('siaga_session='), null);
  assert.equal(sessionTokenFrom(undefined), null);
  assert.equal(sessionTokenFrom('other_siaga_session=x'), null);
  const cookie = sessionCookie('tok', { secure: true, maxAgeSeconds: 60 });
  for (const part of ['siaga_session=tok', 'HttpOnly', 'SameSite=Strict', 'Path=/', 'Max-Age=60', 'Secure']) {
    assert.ok(cookie.split('; ').includes(part), part);
  }
  assert.ok(!sessionCookie('tok', { secure: false, maxAgeSeconds: 60 }).includes('Secure'));
});

test('the CSRF header must equal the session token exactly', () => {
  const session: Session = {
    user: { id: 'u', username: 'u', name: 'U', email: null, role: 'viewer', scope: { level: 'district', code: 'default' } },
    csrfToken: 'token-123',
    expiresAt: '',
  };
  assert.equal(csrfMatches(session, 'token-123'), true);
  fc.assert(
    fc.property(fc.string(), (guess) => csrfMatches(session, guess) === (guess === 'token-123')),
    { numRuns: 10_000 },
  );
  assert.equal(csrfMatches(session, undefined), false);
  assert.equal(csrfMatches(session, ['token-123', 'token-123']), false);
});

test('roles: viewer < technician < admin', () => {
  assert.equal(roleAllows('viewer', 'viewer'), true);
  assert.equal(roleAllows('viewer', 'technician'), false);
  assert.equal(roleAllows('technician', 'technician'), true);
  assert.equal(roleAllows('technician', 'admin'), false);
  assert.equal(roleAllows('admin', 'viewer'), true);
  assert.equal(roleAllows('admin', 'admin'), true);
});

test('the hashing queue runs one hash at a time, queues a bounded few, and refuses the rest at once', async () => {
  const queue = new HashingQueue(1, 2);
  let running = 0;
  let mostAtOnce = 0;
  const work = async (): Promise<number> => {
    running += 1;
    mostAtOnce = Math.max(mostAtOnce, running);
    await new Promise((resolve) => setTimeout(resolve, 20));
    running -= 1;
    return 1;
  };
  const results = await Promise.allSettled([
    queue.run(work),
    queue.run(work),
    queue.run(work),
    queue.run(work),
  ]);
  assert.deepEqual(
    results.map((result) => result.status),
    ['fulfilled', 'fulfilled', 'fulfilled', 'rejected'],
  );
  assert.ok((results[3] as PromiseRejectedResult).reason instanceof HashingBusyError);
  assert.equal(mostAtOnce, 1);
  assert.equal(queue.pending, 0);
  // A failing hash frees its place too.
  await assert.rejects(
    queue.run(() => Promise.reject(new Error('boom'))),
    /boom/,
  );
  assert.equal(await queue.run(work), 1);
});

test('delays after failures: none for the free ones, then 1 s doubling to 5 minutes', () => {
  assert.deepEqual(
    [0, 4, 5, 6, 7, 13, 14, 40].map((failures) => delayAfter(failures, 5)),
    [0, 0, 1000, 2000, 4000, 256_000, 300_000, 300_000],
  );
});
