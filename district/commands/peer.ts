// Forwarding between district servers (protocol/peering.ts). On the upstream (the province's
// service): `peer add` registers a district that runs its own server and prints its one-time code;
// `peers` lists them. On the district's own server: `upstream enroll` redeems the code (the server
// then forwards every accepted event, `serve` does the sending) and `upstream status` shows the link
// and the forward outbox.
import { readFileSync } from 'node:fs';
import { UsageError, writeLine } from '../../cli/command';
import { forwardQueueCounts } from '../server/peering/forward-queue';
import { addPeer } from '../server/peering/peers';
import { enrollUpstream, loadUpstreamLink } from '../server/peering/upstream-link';
import { defineCommand, noPositionals, numberOption, withDb } from './io';

/** The district server's version, sent at enrollment (informational). */
const DISTRICT_VERSION = '0.1.0';

export const peerAdd = defineCommand({
  usage:
    'peer add --name DISTRICT [--district CODE] [--code-hours 72] [--json]   a district that forwards here (into district CODE, required when this service has several); prints its one-time code',
  options: {
    name: { type: 'string' },
    district: { type: 'string' },
    'code-hours': { type: 'string', default: '72' },
    json: { type: 'boolean', default: false },
  },
  run: async ({ values, positionals }, io) => {
    noPositionals(positionals);
    if (values.name === undefined) {
      throw new UsageError('peer add needs --name');
    }
    const codeLifetimeMs = numberOption(values['code-hours'], 'code-hours') * 3_600_000;
    const name = values.name;
    const district = values.district;
    const peer = await withDb(values, (db) => addPeer(db, { districtName: name, district, codeLifetimeMs }));
    if (values.json) {
      writeLine(io.stdout, JSON.stringify(peer));
    } else {
      writeLine(io.stdout, `peer ${peer.peerId} (${peer.districtName}) -> district ${peer.districtCode}`);
      writeLine(io.stdout, `peer code: ${peer.code}  (one use, valid until ${peer.expiresAt})`);
    }
    return 0;
  },
});

export const peers = defineCommand({
  usage: 'peers [--json]   districts forwarding here, with their stations and last forward',
  options: { json: { type: 'boolean', default: false } },
  run: async ({ values, positionals }, io) => {
    noPositionals(positionals);
    const rows = await withDb(values, (db) =>
      db.query<Record<string, unknown>>(
        `SELECT p.id, p.district_name, p.district_code, p.enrolled_at, p.last_forward_at,
                (SELECT COUNT(*) FROM stations s WHERE s.peer_id = p.id) AS stations
         FROM peers p ORDER BY p.district_name`,
      ),
    );
    if (values.json) {
      writeLine(io.stdout, JSON.stringify(rows.map((row) => ({ ...row, stations: Number(row.stations) })), null, 2));
    } else {
      for (const peer of rows) {
        writeLine(
          io.stdout,
          `${peer.id}  ${peer.district_name}  district ${peer.district_code}  enrolled ${peer.enrolled_at ?? 'no'}  stations ${Number(peer.stations)}  last forward ${peer.last_forward_at ?? 'never'}`,
        );
      }
    }
    return 0;
  },
});

export const upstreamEnroll = defineCommand({
  usage:
    'upstream enroll --url URL --code CODE [--ca FILE] [--insecure] [--force] [--name DISTRICT]   forward this district to the province',
  options: {
    url: { type: 'string' },
    code: { type: 'string' },
    ca: { type: 'string' },
    insecure: { type: 'boolean', default: false },
    force: { type: 'boolean', default: false },
    name: { type: 'string' },
  },
  run: async ({ values, positionals }, io) => {
    noPositionals(positionals);
    const { url, code } = values;
    if (url === undefined || code === undefined) {
      throw new UsageError('upstream enroll needs --url and --code');
    }
    let caPem: string | undefined;
    if (values.ca !== undefined) {
      try {
        caPem = readFileSync(values.ca, 'utf8');
      } catch (error) {
        throw new UsageError(`cannot read --ca: ${(error as Error).message}`);
      }
    }
    // A refusal (UpstreamEnrollError) exits 1 with its reason, as every failed command does.
    const result = await withDb(values, (db) =>
      enrollUpstream(db, {
        url,
        code,
        caPem,
        insecure: values.insecure,
        force: values.force,
        districtName: values.name,
        appVersion: DISTRICT_VERSION,
      }),
    );
    writeLine(
      io.stdout,
      `enrolled at ${result.link.url} as ${result.link.peerId} (${result.districtName}); ${result.queued} stored events queued to forward; \`serve\` forwards them`,
    );
    return 0;
  },
});

export const upstreamStatus = defineCommand({
  usage: 'upstream status [--json]   the upstream this district forwards to and its forward outbox',
  options: { json: { type: 'boolean', default: false } },
  run: async ({ values, positionals }, io) => {
    noPositionals(positionals);
    const status = await withDb(values, async (db) => {
      const link = await loadUpstreamLink(db);
      return link === null
        ? null
        : { url: link.url, peerId: link.peerId, enrolledAt: link.enrolledAt, insecure: link.insecure, ...(await forwardQueueCounts(db)) };
    });
    if (values.json) {
      writeLine(io.stdout, JSON.stringify(status));
    } else if (status === null) {
      writeLine(io.stdout, 'tidak meneruskan ke mana pun / forwarding nowhere (upstream enroll)');
    } else {
      writeLine(
        io.stdout,
        `${status.url} as ${status.peerId} since ${status.enrolledAt}: ${status.pending} waiting, ${status.parked} refused by the upstream`,
      );
    }
    return 0;
  },
});
