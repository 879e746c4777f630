// The login throttle on PostgreSQL: the same atomic count as on SQLite (one INSERT ... ON CONFLICT
// ... RETURNING), under 40 concurrent attempts over a pool of connections.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { accountKey, THROTTLE } from '../../../district/server/auth/throttle';
import { addStaff, PASSWORD, STAFF } from '../../helpers/dashboard';
import { startTestDistrict } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';
import { assertAtomicLoginCount } from '../../helpers/login-throttle';
import { startPostgres } from '../../helpers/postgres';
import type { TestPostgres } from '../../helpers/postgres';

const clock = Date.now();
let postgres: TestPostgres;
let district: TestDistrict;

before(async () => {
  postgres = await startPostgres();
  district = await startTestDistrict({ url: postgres.url, now: () => clock });
  await addStaff(district.db);
});
after(async () => {
  await district?.close();
  await postgres?.stop();
});

test('40 concurrent attempts on one key: 40 distinct counts, the free ones admitted (PostgreSQL)', async () => {
  await assertAtomicLoginCount(district.db, clock);
});

test('40 concurrent wrong passwords through the API: counted 40, throttled; the admin elsewhere gets in (PostgreSQL)', async () => {
  const attempt = (address: string, password: string) =>
    district.app.inject({
      method: 'POST',
      url: '/api/dash/login',
      remoteAddress: address,
      payload: { username: STAFF.admin, password },
    });
  const answers = await Promise.all(
    Array.from({ length: 40 }, () => attempt('10.1.0.1', 'salah-salah-salah')),
  );
  assert.equal(answers.filter((answer) => answer.statusCode === 401).length, THROTTLE.freePerAccount);
  assert.equal(answers.filter((answer) => answer.statusCode === 429).length, 40 - THROTTLE.freePerAccount);
  const [row] = await district.db.query<{ failures: number | string }>(
    'SELECT failures FROM login_throttle WHERE key = $1',
    [accountKey(STAFF.admin, '10.1.0.1')],
  );
  assert.equal(Number(row.failures), 40);
  assert.equal((await attempt('10.1.0.2', PASSWORD)).statusCode, 200);
});
