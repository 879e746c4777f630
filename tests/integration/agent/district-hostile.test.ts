// A hostile network and a fake district against the station's outbox and enrollment, over real
// sockets on loopback (HTTP and HTTPS with openssl-made certificates). Whatever the fake answers,
// the station deletes an event only on a reply signed for that very request by the pinned key;
// it follows no redirect (the code and the reports never go where the district URL does not say),
// reads no reply past MAX_REPLY_BYTES, and trusts no certificate for another host or out of date.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  districtKeyFromPem,
  generateDistrictKeyPair,
  signReply,
} from '../../../district/server/intake/signature';
import { enroll, EnrollError } from '../../../electron/agent/enroll';
import type { Identity } from '../../../electron/agent/identity';
import { generateKeyPair, loadIdentity } from '../../../electron/agent/identity';
import { Outbox } from '../../../electron/agent/outbox';
import { Store } from '../../../electron/agent/store/store';
import type { EnrollResponse, EventsResponse } from '../../../protocol/requests';
import { EventsRequestSchema, MAX_REPLY_BYTES } from '../../../protocol/requests';
import { HEADER_NONCE, HEADER_REPLY_SIGNATURE } from '../../../protocol/signing';
import { heartbeatDraft } from '../../helpers/station-events';

const pinned = districtKeyFromPem(generateDistrictKeyPair().privateKeyPem);
const other = districtKeyFromPem(generateDistrictKeyPair().privateKeyPem);
const dir = mkdtempSync(path.join(tmpdir(), 'siaga-hostile-'));

type Handler = (request: http.IncomingMessage, response: http.ServerResponse, body: string) => void;
let handler: Handler = () => undefined;
/** Requests that reached the fake district and the server a redirect points to. */
let districtRequests = 0;
let elsewhere: { path: string; body: string }[] = [];
/** Bytes the fake district managed to write of an endless reply before the station hung up. */
let bytesWritten = 0;

function listen(server: http.Server | https.Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

function collect(handle: Handler): http.RequestListener {
  return (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handle(request, response, Buffer.concat(chunks).toString('utf8')));
  };
}

const servers: (http.Server | https.Server)[] = [];
let districtUrl = '';
let elsewhereUrl = '';

before(async () => {
  const district = http.createServer(
    collect((request, response, body) => {
      districtRequests++;
      handler(request, response, body);
    }),
  );
  const attacker = http.createServer(
    collect((request, response, body) => {
      elsewhere.push({ path: request.url ?? '', body });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    }),
  );
  servers.push(district, attacker);
  districtUrl = `http://127.0.0.1:${await listen(district)}`;
  elsewhereUrl = `http://127.0.0.1:${await listen(attacker)}`;
});

after(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  districtRequests = 0;
  elsewhere = [];
  bytesWritten = 0;
});

function sentIds(body: string): string[] {
  return EventsRequestSchema.parse(JSON.parse(body)).events.map((event) => event.id);
}

function allAccepted(body: string, extra: Partial<EventsResponse> = {}): string {
  const reply: EventsResponse = { accepted: sentIds(body), duplicates: [], serverTime: Date.now(), ...extra };
  return JSON.stringify(reply);
}

/** Writes blank 1 MB chunks (up to 256 MB) as fast as the station reads them, counting bytesWritten. */
const endlessReply: Handler = (_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json' });
  const chunk = Buffer.alloc(1024 * 1024, 0x20);
  const pump = (): void => {
    while (bytesWritten < 256 * chunk.length && !response.destroyed) {
      bytesWritten += chunk.length;
      if (!response.write(chunk)) {
        response.once('drain', pump);
        return;
      }
    }
    response.end();
  };
  pump();
};

function nonceOf(request: http.IncomingMessage): string {
  return String(request.headers[HEADER_NONCE]);
}

function station(options: { url?: string; caPem?: string } = {}) {
  const stationDir = mkdtempSync(path.join(dir, 'station-'));
  const store = Store.open(stationDir);
  const keys = generateKeyPair();
  const identity: Identity = {
    stationId: 'st-HOSTILE',
    stationName: 'Loket 1',
    kecamatan: 'Sragen Kota',
    districtUrl: options.url ?? districtUrl,
    publicKey: keys.publicKey,
    privateKey: keys.privateKey,
    enrolledAt: new Date().toISOString(),
    districtPublicKey: pinned.publicKeyBase64,
    ...(options.caPem === undefined ? {} : { districtCaPem: options.caPem }),
  };
  const outbox = new Outbox(store, () => identity, {
    policy: { baseBackoffMs: 10, maxBackoffMs: 20, requestTimeoutMs: 20_000 },
  });
  store.appendEvents(
    Array.from({ length: 5 }, (_, index) => heartbeatDraft(new Date().toISOString(), index)),
  );
  return {
    store,
    outbox,
    close() {
      store.close();
    },
  };
}

async function expectNothingDeleted(reason: RegExp, options: { url?: string; caPem?: string } = {}) {
  const context = station(options);
  try {
    const outcome = await context.outbox.sendBatch();
    assert.equal(outcome.kind, 'retry', JSON.stringify(outcome));
    assert.match(outcome.kind === 'retry' ? outcome.reason : '', reason);
    assert.equal(context.store.pendingCount(), 5, 'nothing deleted');
  } finally {
    context.close();
  }
}

describe('a fake district with the right key, misused', () => {
  test('a reply signed for another status code acts on nothing', async () => {
    handler = (request, response, body) => {
      const text = allAccepted(body);
      response
        .writeHead(200, {
          [HEADER_REPLY_SIGNATURE]: signReply(pinned.privateKey, nonceOf(request), 500, text),
        })
        .end(text);
    };
    await expectNothingDeleted(/unverified reply \(HTTP 200\)/);
  });

  test('a signed body cut short acts on nothing', async () => {
    handler = (request, response, body) => {
      const text = allAccepted(body, { faults: [] });
      const signature = signReply(pinned.privateKey, nonceOf(request), 200, text);
      // Still valid JSON: the `faults` member is what is cut off.
      const truncated = text.replace(',"faults":[]', '');
      response.writeHead(200, { [HEADER_REPLY_SIGNATURE]: signature }).end(truncated);
    };
    await expectNothingDeleted(/unverified reply/);
  });

  test('accepted ids the station never sent delete nothing; the ones it sent are deleted', async () => {
    handler = (request, response, body) => {
      const ids = sentIds(body);
      const text = JSON.stringify({
        accepted: ['01ARZ3NDEKTSV4RRFFQ69G5FAV', ...ids.slice(0, 2)],
        duplicates: ['7ZZZZZZZZZZZZZZZZZZZZZZZZZ'],
        serverTime: Date.now(),
      });
      response
        .writeHead(200, {
          [HEADER_REPLY_SIGNATURE]: signReply(pinned.privateKey, nonceOf(request), 200, text),
        })
        .end(text);
    };
    const context = station();
    try {
      const outcome = await context.outbox.sendBatch();
      assert.equal(outcome.kind, 'delivered');
      assert.equal(outcome.kind === 'delivered' ? outcome.count : 0, 2);
      assert.equal(context.store.pendingCount(), 3);
    } finally {
      context.close();
    }
  });

  test('a validly signed reply larger than MAX_REPLY_BYTES is not read, and deletes nothing', async () => {
    handler = (request, response, body) => {
      const text = allAccepted(body).replace(/}$/, `,"padding":"${'x'.repeat(MAX_REPLY_BYTES)}"}`);
      response
        .writeHead(200, {
          [HEADER_REPLY_SIGNATURE]: signReply(pinned.privateKey, nonceOf(request), 200, text),
        })
        .end(text);
    };
    await expectNothingDeleted(/larger than/);
  });

  test('an endless reply is cut off after MAX_REPLY_BYTES instead of filling the memory', async () => {
    handler = endlessReply;
    await expectNothingDeleted(/larger than/);
    assert.ok(bytesWritten < 64 * 1024 * 1024, `the station read ${bytesWritten} bytes`);
  });
});

describe('redirects', () => {
  test('the outbox follows no redirect: the signed batch never reaches the other server', async () => {
    handler = (request, response) => {
      response.writeHead(307, { location: `${elsewhereUrl}${request.url ?? ''}` }).end();
    };
    await expectNothingDeleted(/redirect/);
    assert.equal(districtRequests, 1);
    assert.deepEqual(elsewhere, [], 'nothing was sent where the redirect pointed');
  });

  test('enrollment follows no redirect: the one-time code never reaches the other server', async () => {
    handler = (request, response) => {
      response.writeHead(308, { location: `${elsewhereUrl}${request.url ?? ''}` }).end();
    };
    const stationDir = mkdtempSync(path.join(dir, 'enroll-'));
    await assert.rejects(
      enroll({ dataDir: stationDir, districtUrl, code: 'KODE-RAHASIA', appVersion: '0.1.0' }),
      (error: unknown) => error instanceof EnrollError && /redirect/.test(error.message),
    );
    assert.deepEqual(elsewhere, [], 'the code was not sent where the redirect pointed');
    assert.equal(loadIdentity(stationDir), null);
  });
});

describe('enrollment', () => {
  test('a district key named at enrollment is the only one trusted later', async () => {
    handler = (request, response) => {
      const reply: EnrollResponse = {
        stationId: 'st-PINNED',
        stationName: 'Loket 1',
        kecamatan: 'Sragen Kota',
        serverTime: Date.now(),
        districtPublicKey: pinned.publicKeyBase64,
      };
      const text = JSON.stringify(reply);
      response
        .writeHead(200, {
          [HEADER_REPLY_SIGNATURE]: signReply(pinned.privateKey, nonceOf(request), 200, text),
        })
        .end(text);
    };
    const stationDir = mkdtempSync(path.join(dir, 'enroll-'));
    const identity = await enroll({ dataDir: stationDir, districtUrl, code: 'KODE', appVersion: '0.1.0' });
    assert.equal(identity.districtPublicKey, pinned.publicKeyBase64);
    // Later replies signed by another (well-formed) district key are nobody's.
    handler = (request, response, body) => {
      const text = allAccepted(body);
      response
        .writeHead(200, {
          [HEADER_REPLY_SIGNATURE]: signReply(other.privateKey, nonceOf(request), 200, text),
        })
        .end(text);
    };
    const store = Store.open(stationDir);
    try {
      store.appendEvents([heartbeatDraft(new Date().toISOString(), 0)]);
      const outcome = await new Outbox(store, () => identity).sendBatch();
      assert.equal(outcome.kind, 'retry');
      assert.equal(store.pendingCount(), 1);
    } finally {
      store.close();
    }
  });
});

describe('certificates', () => {
  const tlsDir = path.join(dir, 'tls');
  let caPem = '';
  let wrongHostUrl = '';
  let expiredUrl = '';
  let goodUrl = '';
  let goodPem = '';

  /** A self-signed certificate for `host`, valid over the given dates (openssl ca -selfsign). */
  function certificate(
    name: string,
    host: string,
    start: string,
    end: string,
  ): { cert: string; key: string } {
    const base = path.join(tlsDir, name);
    execFileSync('mkdir', ['-p', base]);
    writeFileSync(path.join(base, 'index.txt'), '');
    writeFileSync(path.join(base, 'serial'), '01\n');
    writeFileSync(
      path.join(base, 'ca.cnf'),
      [
        '[ca]',
        'default_ca=CA_default',
        '[CA_default]',
        `database=${base}/index.txt`,
        `new_certs_dir=${base}`,
        `serial=${base}/serial`,
        'default_md=sha256',
        'policy=policy_any',
        'copy_extensions=copy',
        '[policy_any]',
        'commonName=supplied',
      ].join('\n'),
    );
    const quiet = { stdio: 'ignore' as const };
    execFileSync(
      'openssl',
      [
        'req',
        '-new',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        `${base}/key.pem`,
        '-out',
        `${base}/cert.csr`,
        '-subj',
        `/CN=${host}`,
        '-addext',
        `subjectAltName=DNS:${host}`,
      ],
      quiet,
    );
    execFileSync(
      'openssl',
      [
        'ca',
        '-batch',
        '-selfsign',
        '-keyfile',
        `${base}/key.pem`,
        '-in',
        `${base}/cert.csr`,
        '-startdate',
        start,
        '-enddate',
        end,
        '-config',
        `${base}/ca.cnf`,
        '-out',
        `${base}/cert.pem`,
      ],
      quiet,
    );
    return { cert: readFileSync(`${base}/cert.pem`, 'utf8'), key: readFileSync(`${base}/key.pem`, 'utf8') };
  }

  /** Answers "all accepted", signed by the pinned key, unless the test sets `tlsHandler`. */
  let tlsHandler: Handler | null = null;

  async function serve(pair: { cert: string; key: string }): Promise<string> {
    const server = https.createServer(
      pair,
      collect((request, response, body) => {
        districtRequests++;
        if (tlsHandler !== null) {
          tlsHandler(request, response, body);
          return;
        }
        const text = allAccepted(body);
        response
          .writeHead(200, {
            [HEADER_REPLY_SIGNATURE]: signReply(pinned.privateKey, nonceOf(request), 200, text),
          })
          .end(text);
      }),
    );
    servers.push(server);
    return `https://localhost:${await listen(server)}`;
  }

  before(async () => {
    const wrongHost = certificate('wrong-host', 'district.example', '20200101000000Z', '20991231000000Z');
    const expired = certificate('expired', 'localhost', '20200101000000Z', '20200102000000Z');
    const good = certificate('good', 'localhost', '20200101000000Z', '20991231000000Z');
    wrongHostUrl = await serve(wrongHost);
    expiredUrl = await serve(expired);
    goodUrl = await serve(good);
    // Each test pins the certificate its server presents: only the name or the dates are wrong.
    caPem = wrongHost.cert;
    goodPem = good.cert;
  });

  test('over the pinned CA too, an endless reply is cut off and a redirect is not followed', async () => {
    tlsHandler = endlessReply;
    await expectNothingDeleted(/larger than/, { url: goodUrl, caPem: goodPem });
    assert.ok(bytesWritten < 64 * 1024 * 1024, `the station read ${bytesWritten} bytes`);
    tlsHandler = (request, response) => {
      response.writeHead(307, { location: `${elsewhereUrl}${request.url ?? ''}` }).end();
    };
    await expectNothingDeleted(/redirect \(HTTP 307/, { url: goodUrl, caPem: goodPem });
    tlsHandler = null;
    const honest = station({ url: goodUrl, caPem: goodPem });
    try {
      assert.equal(
        (await honest.outbox.sendBatch()).kind,
        'delivered',
        'the honest reply over the pinned CA',
      );
      assert.equal(honest.store.pendingCount(), 0);
    } finally {
      honest.close();
    }
  });

  test('a pinned certificate made out to another host is refused', async () => {
    await expectNothingDeleted(/network: .*(altnames|Hostname)/i, { url: wrongHostUrl, caPem });
    assert.equal(districtRequests, 0);
  });

  test('a pinned certificate out of date is refused', async () => {
    const expiredPem = readFileSync(path.join(tlsDir, 'expired', 'cert.pem'), 'utf8');
    await expectNothingDeleted(/network: .*expired/i, { url: expiredUrl, caPem: expiredPem });
    assert.equal(districtRequests, 0);
  });
});
