// Attacks on escalation webhooks checked by the address at send time (notify/webhook.ts,
// webhook-address.ts): IPv4 carried in IPv6 forms beyond ::ffff:0:0/96, URL spellings of loopback,
// a DNS answer mixing a public address with an internal one, redirects, a receiver that answers
// 200 and then trickles (or floods) its body, and `webhookAddresses` entries whose mask hides
// loopback or the metadata address behind public space. A real HTTP receiver on 127.0.0.1 tells
// whether anything arrived.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { UsageError } from '../../../cli/command';
import { escalationConfig } from '../../../district/commands/escalation-options';
import { postWebhook, WebhookRefusedError } from '../../../district/server/notify/webhook';
import type { Resolver } from '../../../district/server/notify/webhook';
import { addressRefusal, parseAllowedNetwork } from '../../../district/server/notify/webhook-address';

const PUBLIC = '203.0.114.10';

describe('webhooks under attack', () => {
  let receiver: Server;
  let port = 0;
  const received: string[] = [];
  before(async () => {
    receiver = createServer((request, response) => {
      received.push(request.url ?? '');
      request.resume();
      if (request.url === '/slow') {
        // Accepted at once, then a body that never ends.
        response.writeHead(200, { 'content-type': 'text/plain' });
        const timer = setInterval(() => response.write('.'), 50);
        response.on('close', () => clearInterval(timer));
      } else if (request.url === '/huge') {
        response.writeHead(200, { 'content-type': 'application/octet-stream' });
        const chunk = Buffer.alloc(1 << 20, 46);
        let sent = 0;
        const pump = (): void => {
          while (sent < 2048 && response.write(chunk)) {
            sent++;
          }
          if (sent >= 2048) {
            response.end();
          }
        };
        response.on('drain', () => {
          sent++;
          pump();
        });
        pump();
      } else if (request.url === '/moved') {
        response.writeHead(301, { location: 'http://169.254.169.254/latest/meta-data/' });
        response.end();
      } else {
        response.writeHead(204);
        response.end();
      }
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    port = (receiver.address() as { port: number }).port;
  });
  after(async () => {
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  });

  const resolverOf =
    (addresses: { address: string; family: number }[]): Resolver =>
    async () =>
      addresses;

  it('IPv4 inside IPv6 in every form that carries it is judged as the IPv4 address', async () => {
    for (const address of [
      '::127.0.0.1', // IPv4-compatible (deprecated ::/96)
      '::a9fe:a9fe', // the same form, the metadata address
      '::ffff:0:a9fe:a9fe', // IPv4-translated (SIIT, ::ffff:0:0:0/96)
      '::ffff:0:7f00:1',
    ]) {
      const refusal = addressRefusal(address, []);
      assert.ok(refusal !== null, `${address} must be refused`);
      assert.match(refusal.kind, /loopback|link-local/, address);
      // Listed as IPv4, it is allowed.
      assert.equal(
        addressRefusal(address, [parseAllowedNetwork('127.0.0.0/8'), parseAllowedNetwork('169.254.169.254')]),
        null,
      );
    }
    // A local-use NAT64 prefix (RFC 8215) is the operator's own translator into its network.
    assert.equal(addressRefusal('64:ff9b:1::a9fe:a9fe', [])?.kind, 'private');
    // ::1 and :: keep what they are; a public IPv6 address passes.
    assert.equal(addressRefusal('::1', [])?.kind, 'loopback');
    assert.equal(addressRefusal('::1', [parseAllowedNetwork('::1')]), null);
    assert.equal(addressRefusal('::', [])?.kind, 'unspecified');
    assert.equal(addressRefusal('2001:db8::1', []), null);
    const before = received.length;
    for (const url of [`http://[::127.0.0.1]:${port}/`, `http://[::ffff:0:7f00:1]:${port}/`]) {
      await assert.rejects(
        postWebhook(url, {}, { timeoutMs: 2000, allowed: [], resolve: resolverOf([]) }),
        WebhookRefusedError,
        url,
      );
    }
    // A name answering a public address and an IPv4-compatible loopback one is refused whole.
    await assert.rejects(
      postWebhook(
        `http://chat.example.go.id:${port}/`,
        {},
        {
          timeoutMs: 2000,
          allowed: [],
          resolve: resolverOf([
            { address: PUBLIC, family: 4 },
            { address: '::7f00:1', family: 6 },
          ]),
        },
      ),
      WebhookRefusedError,
    );
    assert.equal(received.length, before);
  });

  it('spellings of loopback in the URL never reach the receiver unless listed', async () => {
    const before = received.length;
    for (const host of [
      '2130706433',
      '0177.0.0.1',
      '0x7f.1',
      '127.1',
      'public@127.0.0.1',
      '[::ffff:7f00:1]',
      '[0:0:0:0:0:0:0:1]',
    ]) {
      await assert.rejects(
        postWebhook(`http://${host}:${port}/`, {}, { timeoutMs: 2000, allowed: [], resolve: resolverOf([]) }),
        WebhookRefusedError,
        host,
      );
    }
    assert.equal(received.length, before);
    // Listed, the same receiver is reached (the check is not a blanket refusal).
    await postWebhook(
      `http://0x7f.1:${port}/`,
      {},
      {
        timeoutMs: 2000,
        allowed: [parseAllowedNetwork('127.0.0.1')],
        resolve: resolverOf([]),
      },
    );
    assert.equal(received.length, before + 1);
  });

  it('a receiver that accepted the message but trickles or floods its body is a delivery, at once', async () => {
    const options = {
      timeoutMs: 1500,
      allowed: [parseAllowedNetwork('127.0.0.1')],
      resolve: resolverOf([{ address: '127.0.0.1', family: 4 }]),
    };
    for (const path of ['/slow', '/huge']) {
      const started = Date.now();
      // A 200 is the receiver's word that it has the message: counting it failed would send it
      // again at every pass (up to 5 times). The body is not read.
      await postWebhook(`http://chat.example.go.id:${port}${path}`, { fault: 'fp-1' }, options);
      assert.ok(Date.now() - started < 1000, `${path} took ${Date.now() - started} ms`);
    }
  });

  it('a 301 to the metadata address is a failure and is not followed', async () => {
    await assert.rejects(
      postWebhook(
        `http://chat.example.go.id:${port}/moved`,
        {},
        {
          timeoutMs: 2000,
          allowed: [parseAllowedNetwork('127.0.0.1')],
          resolve: resolverOf([{ address: '127.0.0.1', family: 4 }]),
        },
      ),
      /answered 301/,
    );
  });

  it('webhookAddresses refuses a mask that hides loopback, link-local or private space behind public addresses', () => {
    for (const entry of [
      '127.0.0.1/2', // 64.0.0.0/2: loopback and 100.64/10 with a quarter of the public internet
      '169.254.169.254/3', // 160.0.0.0/3: the metadata address, 172.16/12, 192.168/16
      '169.254.169.254/8',
      '172.0.0.0/8',
      '8.0.0.0/5', // 8-15: 10/8 inside
      'fe80::1/8', // fe00::/8 holds fe80::/10 and fec0::/10 with unassigned space
    ]) {
      assert.throws(() => parseAllowedNetwork(entry), /webhookAddresses|lebih luas|wider/, entry);
    }
    for (const entry of [
      '127.0.0.1',
      '127.0.0.0/8',
      '169.254.169.254',
      '169.254.0.0/16',
      '10.20.0.0/16',
      '172.16.0.0/12',
      'fd12:3456::/48',
      'fe80::/10',
      '::ffff:10.0.0.0/104',
      '8.8.8.0/24',
    ]) {
      assert.doesNotThrow(() => parseAllowedNetwork(entry), entry);
    }
  });

  describe('the --escalation file', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'siaga-webhook-hostile-'));
    });
    after(() => {
      rmSync(dir, { recursive: true, force: true });
    });
    const fileWith = (webhookAddresses: unknown): string => {
      const path = join(dir, `escalation-${Math.random().toString(36).slice(2)}.json`);
      writeFileSync(path, JSON.stringify({ rules: [], contacts: {}, webhookAddresses }));
      return path;
    };

    it('a bad entry stops start-up with a UsageError naming the field and the entry', () => {
      for (const [entries, index, shown] of [
        [['10.0.0.0/8', '127.0.0.1/2'], 1, '127.0.0.1/2'],
        [['127.0.0.1/0'], 0, '127.0.0.1/0'],
        [['::/0'], 0, '::/0'],
        [['0.0.0.0/1'], 0, '0.0.0.0/1'],
        [['garbage'], 0, 'garbage'],
        [['fe80::1%eth0'], 0, 'fe80::1%eth0'],
        [[127001], 0, 'string'],
      ] as const) {
        const path = fileWith(entries);
        assert.throws(
          () => escalationConfig({ escalation: path }),
          (error: unknown) =>
            error instanceof UsageError &&
            error.message.includes(`webhookAddresses.${index}`) &&
            error.message.includes(shown),
          JSON.stringify(entries),
        );
      }
      assert.throws(() => escalationConfig({ escalation: fileWith('127.0.0.1') }), /webhookAddresses/);
      assert.deepEqual(
        escalationConfig({ escalation: fileWith([' 10.20.0.0/16 ', '127.0.0.1']) }).webhookAddresses,
        [' 10.20.0.0/16 ', '127.0.0.1'],
      );
    });
  });
});
