// X-Forwarded-For from a hostile client: without --trust-proxy it is never believed; with it, only
// the hops the named proxies added count (a client's own leading entries are ignored), so a
// guesser cannot pose as many addresses to the login throttle nor write a false address into the
// audit log. SQLite; requests through fastify's inject with a chosen socket address.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { THROTTLE } from '../../../district/server/auth/throttle';
import { addStaff, STAFF } from '../../helpers/dashboard';
import { startTestDistrict } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';

const PROXY = '127.0.0.1';

async function failedLogin(district: TestDistrict, headers: Record<string, string>, remoteAddress = PROXY) {
  return district.app.inject({
    method: 'POST',
    url: '/api/dash/login',
    remoteAddress,
    headers,
    payload: { username: STAFF.admin, password: 'salah-sandi-sekali' },
  });
}

async function lastLoginAddress(district: TestDistrict): Promise<string | null> {
  const [row] = await district.db.query<{ ip: string | null }>(
    "SELECT ip FROM audit_log WHERE action = 'login-failed' ORDER BY at DESC, id DESC LIMIT 1",
  );
  return row?.ip ?? null;
}

describe('X-Forwarded-For from a hostile client', () => {
  const districts: TestDistrict[] = [];
  after(async () => {
    for (const district of districts) {
      await district.close();
    }
  });

  it('without --trust-proxy the header is ignored: the socket address is logged and throttled', async () => {
    const district = await startTestDistrict();
    districts.push(district);
    await addStaff(district.db);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < THROTTLE.freePerAccount + 2; attempt += 1) {
      const answer = await failedLogin(district, { 'x-forwarded-for': `203.0.113.${attempt + 1}` }, '198.51.100.20');
      statuses.push(answer.statusCode);
      if (answer.statusCode === 401) {
        assert.equal(await lastLoginAddress(district), '198.51.100.20');
      }
    }
    assert.ok(statuses.includes(429), `rotating X-Forwarded-For escaped the throttle: ${statuses.join(',')}`);
  });

  it('with --trust-proxy only the hop the proxy added counts, not what the client wrote before it', async () => {
    const district = await startTestDistrict({ trustProxy: [PROXY] });
    districts.push(district);
    await addStaff(district.db);
    // haproxy's `option forwardfor` appends the client it saw after whatever the client sent.
    const first = await failedLogin(district, { 'x-forwarded-for': '10.9.9.9, 198.51.100.7' });
    assert.equal(first.statusCode, 401, first.body);
    assert.equal(await lastLoginAddress(district), '198.51.100.7');
    // A request straight from an untrusted address (bypassing the proxy) is that address, header or not.
    const direct = await failedLogin(district, { 'x-forwarded-for': '10.9.9.9' }, '198.51.100.99');
    assert.equal(direct.statusCode, 401, direct.body);
    assert.equal(await lastLoginAddress(district), '198.51.100.99');
    // Rotating the client-written part does not make new addresses: the throttle still bites.
    const statuses: number[] = [];
    for (let attempt = 0; attempt < THROTTLE.freePerAccount + 2; attempt += 1) {
      const answer = await failedLogin(district, { 'x-forwarded-for': `203.0.113.${attempt + 1}, 198.51.100.7` });
      statuses.push(answer.statusCode);
    }
    assert.ok(statuses.includes(429), `spoofed leading hops escaped the throttle: ${statuses.join(',')}`);
  });
});
