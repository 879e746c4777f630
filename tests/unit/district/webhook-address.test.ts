// Which addresses a webhook may reach (notify/webhook-address.ts), both ways: loopback, link-local
// (cloud metadata), private and their IPv6 and IPv4-in-IPv6 spellings are refused unless listed;
// unspecified, multicast and reserved never; public addresses always pass; the operator's list is
// parsed strictly and cannot open everything.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EscalationConfigSchema } from '../../../district/server/escalation/config';
import { addressRefusal, parseAllowedNetwork, parseIpAddress } from '../../../district/server/notify/webhook-address';

const kindOf = (address: string, listed: string[] = []): string =>
  addressRefusal(address, listed.map(parseAllowedNetwork))?.kind ?? 'allowed';

test('loopback, link-local and private addresses are refused in every spelling; public ones pass', () => {
  const cases: [string, string][] = [
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::FFFF:7F00:0001', 'loopback'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fc00::1', 'private'],
    ['::ffff:10.0.0.1', 'private'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['::ffff:0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['not-an-address', 'invalid'],
    // Public: the edges of the private ranges and real public addresses.
    ['8.8.8.8', 'allowed'],
    ['172.15.255.255', 'allowed'],
    ['172.32.0.0', 'allowed'],
    ['100.128.0.1', 'allowed'],
    ['169.255.0.1', 'allowed'],
    ['2001:4860:4860::8888', 'allowed'],
    ['::ffff:8.8.8.8', 'allowed'],
    ['fec0::1', 'private'],
  ];
  for (const [address, kind] of cases) {
    assert.equal(kindOf(address), kind, address);
  }
});

test('a listed address or network opens exactly what it holds, in IPv4 and IPv4-in-IPv6 spellings', () => {
  assert.equal(kindOf('127.0.0.1', ['127.0.0.1']), 'allowed');
  assert.equal(kindOf('::ffff:127.0.0.1', ['127.0.0.1']), 'allowed');
  assert.equal(kindOf('127.0.0.2', ['127.0.0.1']), 'loopback');
  assert.equal(kindOf('::1', ['127.0.0.1']), 'loopback');
  assert.equal(kindOf('10.20.5.5', ['10.20.0.0/16']), 'allowed');
  assert.equal(kindOf('10.21.0.1', ['10.20.0.0/16']), 'private');
  assert.equal(kindOf('10.20.5.5', ['::ffff:10.20.0.0/112']), 'allowed');
  assert.equal(kindOf('fd12:3456::9', ['fd12:3456::/32']), 'allowed');
  assert.equal(kindOf('fd12:3457::9', ['fd12:3456::/32']), 'private');
  assert.equal(kindOf('169.254.169.254', ['10.0.0.0/8']), 'link-local');
  // A listed network is its network: host bits are ignored.
  assert.equal(kindOf('192.168.7.9', ['192.168.7.200/24']), 'allowed');
});

test('the operator cannot list never-allowed or malformed entries', () => {
  for (const entry of ['0.0.0.0/0', '::/0', '0.0.0.0', '224.0.0.0/3', 'ff00::/8', '240.0.0.0/4', '::ffff:0:0/95', '64:ff9b::/32']) {
    assert.throws(() => parseAllowedNetwork(entry), /never-allowed|IPv4 networks as IPv4/, entry);
  }
  for (const entry of ['010.0.0.1', '10.0.0.0/33', '::1/129', 'intranet.local', '10.0.0.1/', '1.2.3', '1:2:3:4:5:6:7:8:9', '1::2::3', '[::1]']) {
    assert.throws(() => parseAllowedNetwork(entry), /not an IP address|prefix longer/, entry);
  }
  assert.deepEqual(parseAllowedNetwork('::ffff:10.0.0.0/104'), parseAllowedNetwork('10.0.0.0/8'));
  assert.equal(parseIpAddress('1:2:3:4:5:6:1.2.3.4')?.family, 6);
  const refused = EscalationConfigSchema.safeParse({ rules: [], contacts: {}, webhookAddresses: ['10.0.0.0/8', '0.0.0.0/0'] });
  assert.equal(refused.success, false);
  assert.match(JSON.stringify(refused.error?.issues), /webhookAddresses.*0\.0\.0\.0\/0|0\.0\.0\.0\/0.*never-allowed/);
  const accepted = EscalationConfigSchema.parse({ rules: [], contacts: {}, webhookAddresses: ['10.0.0.0/8', '::1'] });
  assert.deepEqual(accepted.webhookAddresses, ['10.0.0.0/8', '::1']);
  assert.deepEqual(EscalationConfigSchema.parse({ rules: [], contacts: {} }).webhookAddresses, []);
});
