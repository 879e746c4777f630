// Escalation webhooks are checked by the address their host resolves to, at send time, against
// real HTTP peers on loopback (127.0.0.1, 127.0.0.2, ::1) and a real SMTP peer. Host names resolve
// through the notifier's resolver seam (`resolve`): names like hooks.sragen.test exist nowhere else,
// so a delivery to them proves the connection went to the address the seam gave and was checked.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { EscalationConfigSchema } from '../../../district/server/escalation/config';
import { runEscalation } from '../../../district/server/escalation/run';
import { createNotifier } from '../../../district/server/notify/notifier';
import type { Resolver } from '../../../district/server/notify/webhook';
import { WebhookRefusedError } from '../../../district/server/notify/webhook';
import { postEvents } from '../../helpers/dashboard';
import { startTestDistrict, TestStation } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';
import { startSmtp } from '../../helpers/smtp';
import type { TestSmtp } from '../../helpers/smtp';

interface Peer {
  host: string;
  port: number;
  received: { headers: IncomingHttpHeaders; body: string; url: string }[];
  server: Server;
}

/** A real HTTP server answering `status` (and `location`) to every request, recording each. */
async function startPeer(host: string, status = 204, location?: string): Promise<Peer> {
  const received: Peer['received'] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      received.push({ headers: request.headers, body, url: request.url ?? '' });
      response.writeHead(status, location === undefined ? {} : { location }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { host, port: (server.address() as AddressInfo).port, received, server };
}

/** A resolver seam with fixed answers per name, counting the questions. */
function resolver(answers: Record<string, string[][]>): Resolver & { asked: string[] } {
  const asked: string[] = [];
  const resolve = async (hostname: string) => {
    asked.push(hostname);
    const sequence = answers[hostname];
    if (sequence === undefined) {
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    }
    // Each question takes the next answer; the last one repeats.
    const answer = sequence[Math.min(asked.filter((name) => name === hostname).length - 1, sequence.length - 1)];
    return answer.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(resolve, { asked });
}

describe('webhooks are checked by the address they resolve to', () => {
  let first: Peer;
  let second: Peer;
  let ipv6: Peer;
  let redirecting: Peer;

  before(async () => {
    first = await startPeer('127.0.0.1');
    second = await startPeer('127.0.0.2');
    ipv6 = await startPeer('::1');
    redirecting = await startPeer('127.0.0.1', 302, 'http://127.0.0.2/elsewhere');
  });
  after(async () => {
    for (const peer of [first, second, ipv6, redirecting]) {
      await new Promise((resolve) => peer.server.close(resolve));
    }
  });

  const notifier = (resolve: Resolver, webhookAddresses: string[] = []) =>
    createNotifier({ smtpUrl: null, from: 'Siaga <siaga@localhost>', resolve, webhookAddresses, webhookTimeoutMs: 2000 });

  it('a listed name resolving to loopback is refused unless the address is listed; listed, it is delivered there', async () => {
    const resolve = resolver({ 'hooks.sragen.test': [['127.0.0.1']] });
    const url = `http://hooks.sragen.test:${first.port}/siaga`;
    await assert.rejects(notifier(resolve).postWebhook(url, { n: 1 }), (error: Error) => {
      assert.ok(error instanceof WebhookRefusedError, String(error));
      assert.match(error.message, /hooks\.sragen\.test -> 127\.0\.0\.1 \(loopback/);
      assert.match(error.message, /webhookAddresses/);
      return true;
    });
    assert.equal(first.received.length, 0, 'nothing reached the peer');
    await notifier(resolve, ['127.0.0.1']).postWebhook(url, { n: 2 });
    assert.equal(first.received.length, 1);
    assert.deepEqual(JSON.parse(first.received[0].body), { n: 2 });
    assert.equal(first.received[0].headers.host, `hooks.sragen.test:${first.port}`);
    assert.equal(first.received[0].url, '/siaga');
    // A network listed instead of the address: the same.
    await notifier(resolve, ['127.0.0.0/8']).postWebhook(url, { n: 3 });
    assert.equal(first.received.length, 2);
  });

  it('connects to the address checked, never to a second DNS answer (rebinding)', async () => {
    // First answer: the listed 127.0.0.1; any later one: 127.0.0.2, not listed.
    const resolve = resolver({ 'rebind.sragen.test': [['127.0.0.1'], ['127.0.0.2']] });
    const hook = notifier(resolve, ['127.0.0.1']);
    const before = first.received.length;
    // Both peers listen on the same port number only by chance; ask the one on 127.0.0.1.
    await hook.postWebhook(`http://rebind.sragen.test:${first.port}/a`, { n: 1 });
    assert.equal(first.received.length, before + 1);
    assert.deepEqual(resolve.asked, ['rebind.sragen.test'], 'one question per send');
    // The next send asks again, gets the rebound answer and is refused before any connection.
    await assert.rejects(hook.postWebhook(`http://rebind.sragen.test:${second.port}/b`, { n: 2 }), WebhookRefusedError);
    assert.equal(second.received.length, 0);
    assert.equal(resolve.asked.length, 2);
  });

  it('a name with one public and one internal address is refused whole; literals and IPv6 forms are checked too', async () => {
    const resolve = resolver({ 'mixed.sragen.test': [['203.0.113.7', '127.0.0.1']] });
    await assert.rejects(notifier(resolve).postWebhook(`http://mixed.sragen.test:${first.port}/`, {}), /127\.0\.0\.1 \(loopback/);
    const before = first.received.length;
    for (const literal of [`http://127.0.0.1:${first.port}/`, `http://[::ffff:127.0.0.1]:${first.port}/`, `http://[::1]:${ipv6.port}/`, `http://[::ffff:7f00:1]:${first.port}/`]) {
      await assert.rejects(notifier(resolve).postWebhook(literal, {}), WebhookRefusedError, literal);
    }
    // Other spellings of 127.0.0.1 the URL parser accepts (decimal, hex, short).
    for (const spelled of [`http://2130706433:${first.port}/`, `http://0x7f.0.0.1:${first.port}/`, `http://127.1:${first.port}/`]) {
      await assert.rejects(notifier(resolve).postWebhook(spelled, {}), /127\.0\.0\.1 \(loopback/, spelled);
    }
    // The system's own resolver (no seam): localhost is this machine.
    await assert.rejects(
      createNotifier({ smtpUrl: null, from: 'x <x@localhost>' }).postWebhook(`http://localhost:${first.port}/`, {}),
      /localhost -> .*loopback/,
    );
    assert.equal(first.received.length, before);
    assert.equal(ipv6.received.length, 0);
    assert.deepEqual(resolve.asked, ['mixed.sragen.test'], 'literals need no resolver');
    // Both ways: listed, the IPv6 loopback peer gets it.
    await notifier(resolve, ['::1']).postWebhook(`http://[::1]:${ipv6.port}/v6`, { v: 6 });
    assert.equal(ipv6.received.length, 1);
    const metadata = resolver({ 'meta.sragen.test': [['169.254.169.254']], 'zero.sragen.test': [['0.0.0.0']] });
    await assert.rejects(notifier(metadata).postWebhook('http://meta.sragen.test/latest/meta-data/', {}), /link-local/);
    await assert.rejects(notifier(metadata, ['127.0.0.1']).postWebhook(`http://zero.sragen.test:${first.port}/`, {}), /unspecified.*never allowed/);
  });

  it('a redirect is not followed, and a resolver that never answers fails within the timeout', async () => {
    const resolve = resolver({ 'redirect.sragen.test': [['127.0.0.1']] });
    await assert.rejects(
      notifier(resolve, ['127.0.0.0/8']).postWebhook(`http://redirect.sragen.test:${redirecting.port}/`, {}),
      /answered 302/,
    );
    assert.equal(redirecting.received.length, 1);
    assert.equal(second.received.filter((request) => request.url === '/elsewhere').length, 0);
    const silent: Resolver = () => new Promise(() => undefined);
    const started = Date.now();
    await assert.rejects(
      createNotifier({ smtpUrl: null, from: 'x <x@localhost>', resolve: silent, webhookTimeoutMs: 300 }).postWebhook('http://slow.sragen.test/', {}),
      /no DNS answer within 300 ms/,
    );
    assert.ok(Date.now() - started < 5000);
  });
});

describe('a refused webhook in an escalation pass', () => {
  const NOW = Date.parse('2026-03-11T05:00:00.000Z');
  let district: TestDistrict;
  let smtp: TestSmtp;
  let peer: Peer;

  before(async () => {
    smtp = await startSmtp();
    peer = await startPeer('127.0.0.1');
    district = await startTestDistrict({ now: () => NOW });
    const station = new TestStation();
    await station.enroll(district, 'Loket Sragen Kota', 'Sragen Kota');
    await postEvents(
      district,
      station,
      [station.fault('fault.opened', 'fp-1', { firstSeen: new Date(NOW - 3 * 3_600_000).toISOString() }, NOW)],
      NOW,
    );
  });
  after(async () => {
    await district.close();
    await smtp.stop();
    await new Promise((resolve) => peer.server.close(resolve));
  });

  it('is logged with its reason, named in the outcome, and never holds back the email', async () => {
    const hooks = [`http://internal.sragen.test:${peer.port}/hook`, 'http://slow.sragen.test/hook'];
    const config = EscalationConfigSchema.parse({
      rules: [{ id: 'open-1h', condition: 'open', afterHours: 1, notify: 'teknisi' }],
      contacts: { teknisi: { emails: ['teknisi@sragen.example'], webhooks: hooks } },
    });
    const silent = new Set(['slow.sragen.test']);
    const resolve: Resolver = (hostname) =>
      silent.has(hostname) ? new Promise(() => undefined) : Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
    const warnings: { message: string; detail: Record<string, unknown> }[] = [];
    const notifier = createNotifier({ smtpUrl: smtp.url, from: 'Siaga <siaga@example.go.id>', resolve, webhookTimeoutMs: 500 });
    try {
      const result = await runEscalation(
        { db: district.db, notifier, config, warn: (message, detail) => warnings.push({ message, detail }) },
        NOW,
      );
      assert.equal(result.escalated, 1);
      assert.equal(result.sent, 1, 'the email went out');
      assert.equal(result.failed, 1, 'the silent resolver timed out');
      assert.deepEqual(result.refused.map((refusal) => refusal.recipient), [hooks[0]]);
      assert.match(result.refused[0].reason, /internal\.sragen\.test -> 127\.0\.0\.1 \(loopback/);
      assert.deepEqual(warnings.map((warning) => [warning.message, warning.detail.recipient]), [
        ['escalation webhook refused', hooks[0]],
      ]);
      assert.match(String(warnings[0].detail.reason), /not listed in webhookAddresses/);
      const mails = await smtp.waitFor(1);
      assert.deepEqual(mails[0].to, ['teknisi@sragen.example']);
      assert.equal(peer.received.length, 0);
      const rows = await district.db.query<{ recipient: string; error: string | null; sent_at: string | null }>(
        "SELECT recipient, error, sent_at FROM notifications WHERE channel = 'webhook' ORDER BY recipient",
      );
      assert.match(rows.find((row) => row.recipient === hooks[0])?.error ?? '', /webhook ditolak \/ refused/);
      assert.equal(rows.find((row) => row.recipient === hooks[0])?.sent_at, null);
    } finally {
      notifier.close();
    }
    // Both ways: the operator lists the address; the next pass delivers the waiting webhook.
    const listed = createNotifier({ smtpUrl: smtp.url, from: 'Siaga <siaga@example.go.id>', resolve, webhookTimeoutMs: 500, webhookAddresses: ['127.0.0.1'] });
    try {
      const again = await runEscalation({ db: district.db, notifier: listed, config }, NOW + 60_000);
      assert.deepEqual([again.sent, again.refused], [1, []]);
      assert.equal(peer.received.length, 1);
      assert.equal((JSON.parse(peer.received[0].body) as { type: string }).type, 'siaga.escalation');
    } finally {
      listed.close();
    }
  });
});
