// Group commit of the intake (district/db/group-commit.ts) on SQLite and on a real PostgreSQL:
// many stations' signed batches at once share transactions, yet each is stored exactly once and
// answered with its own accepted and duplicate ids; refusals store nothing; a batch whose storage
// fails fails alone.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { groupCommitterOf } from '../../../district/server/db/group-commit';
import { withRequestBound } from '../../../district/server/db/postgres';
import { storeEvents } from '../../../district/server/intake/intake';
import type { Event } from '../../../protocol/events';
import { PATHS } from '../../../protocol/requests';
import type { ErrorResponse, EventsResponse } from '../../../protocol/requests';
import { startTestDistrict, TestStation } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';
import { startPostgres } from '../../helpers/postgres';
import type { TestPostgres } from '../../helpers/postgres';

const STATIONS = 40;

interface Sent {
  station: TestStation;
  ids: string[];
}

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`group commit on ${engine}`, () => {
    let postgres: TestPostgres | undefined;
    let district: TestDistrict;
    let stations: TestStation[];
    let clockMs = Date.now();

    before(async () => {
      if (engine === 'postgres') {
        postgres = await startPostgres();
      }
      district = await startTestDistrict({
        url: postgres?.url,
        now: () => clockMs,
        maxBatchesPerSecond: Infinity,
        maxInFlight: 10_000,
      });
      stations = [];
      for (let index = 0; index < STATIONS; index++) {
        const station = new TestStation();
        await station.enroll(district, `Loket ${index}`, `Kecamatan ${index % 4}`);
        stations.push(station);
      }
    });
    after(async () => {
      await district?.close();
      await postgres?.stop();
    });

    const post = (station: TestStation, events: unknown[], timestampMs = clockMs) => {
      const body = JSON.stringify({ events });
      return district.app.inject({
        method: 'POST',
        url: PATHS.events,
        payload: body,
        headers: station.headers('POST', PATHS.events, body, timestampMs),
      });
    };
    const eventCount = async (): Promise<number> =>
      Number((await district.db.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM events'))[0].n);

    test('concurrent batches from many stations: each event stored once, each reply its own', async () => {
      const committer = groupCommitterOf(withRequestBound(district.db)); // the committer POST /events uses
      const groupsBefore = committer.stats.groups;
      const unitsBefore = committer.stats.units;
      const eventsBefore = await eventCount();
      clockMs += 1000;
      // Per station: a first batch, and a second that repeats the first batch and adds a new event
      // (a station re-sending after a timeout), both in flight at once, so each repeated event is
      // accepted by exactly one of the two. (A station's seq only grows, so a batch that arrives
      // after the other never brings a new event with a lower seq: the district refuses that.)
      const sent: Sent[] = [];
      const requests: Promise<{ statusCode: number; json(): unknown }>[] = [];
      for (const station of stations) {
        const first = [station.heartbeat(clockMs), station.fault('fault.opened', 'f-1', {}, clockMs)];
        const second = [...first, station.heartbeat(clockMs + 1)];
        for (const events of [first, second]) {
          sent.push({ station, ids: events.map((event) => event.id) });
          requests.push(post(station, events, clockMs + sent.length));
        }
      }
      // Refused requests mixed in: a forged signature and a body that is not JSON.
      const forgedBody = JSON.stringify({ events: [stations[0].heartbeat(clockMs)] });
      const forgedHeaders = stations[1].headers(
        'POST',
        PATHS.events,
        forgedBody,
        clockMs,
        stations[0].stationId,
      );
      const forged = district.app.inject({
        method: 'POST',
        url: PATHS.events,
        payload: forgedBody,
        headers: forgedHeaders,
      });
      const malformed = district.app.inject({
        method: 'POST',
        url: PATHS.events,
        payload: '{"events": [',
        headers: stations[2].headers('POST', PATHS.events, '{"events": [', clockMs + 5000),
      });
      const [replies, forgedReply, malformedReply] = await Promise.all([
        Promise.all(requests),
        forged,
        malformed,
      ]);

      assert.equal(forgedReply.statusCode, 401, forgedReply.body);
      assert.equal((forgedReply.json() as ErrorResponse).error, 'bad-signature');
      assert.equal(malformedReply.statusCode, 400, malformedReply.body);
      assert.equal((malformedReply.json() as ErrorResponse).error, 'malformed');

      const acceptedBy = new Map<string, number>();
      replies.forEach((reply, index) => {
        assert.equal(reply.statusCode, 200, JSON.stringify(reply.json()));
        const body = reply.json() as EventsResponse;
        // Every id of this request is answered, in this request's reply, as accepted or duplicate.
        assert.deepEqual([...body.accepted, ...body.duplicates].sort(), [...sent[index].ids].sort());
        for (const id of body.accepted) {
          acceptedBy.set(id, (acceptedBy.get(id) ?? 0) + 1);
        }
      });
      const unique = new Set(sent.flatMap((request) => request.ids));
      assert.equal(unique.size, STATIONS * 3);
      assert.equal(acceptedBy.size, unique.size, 'every event is accepted by one reply');
      assert.ok(
        [...acceptedBy.values()].every((times) => times === 1),
        'no event is accepted twice',
      );
      assert.equal((await eventCount()) - eventsBefore, unique.size, 'each event stored exactly once');

      const groups = committer.stats.groups - groupsBefore;
      const units = committer.stats.units - unitsBefore;
      assert.equal(units, STATIONS * 2, 'only the accepted requests reach storage');
      assert.ok(groups < units, `batches share commits (${units} batches in ${groups} transactions)`);

      const faults = await district.db.query<{ station_id: string; state: string }>(
        "SELECT station_id, state FROM faults WHERE fault_id = 'f-1'",
      );
      assert.equal(faults.length, STATIONS);
      assert.ok(faults.every((fault) => fault.state === 'open'));
    });

    test('a later seq wins whatever the order in the shared transaction', async () => {
      clockMs += 1000;
      const station = stations[3];
      const opened = station.fault('fault.opened', 'f-order', {}, clockMs);
      const resolved = station.fault('fault.resolved', 'f-order', {}, clockMs + 10);
      const reopened = stations[4].fault('fault.opened', 'f-order', {}, clockMs);
      // The resolution (higher seq) is sent first, the opening right after it. Which one the server
      // reaches first is up to the event loop: if the resolution is stored first, the opening's seq
      // is below the station's last and it is refused alone (seq strictly increases); if the opening
      // is stored first, both are accepted. Either way the resolution wins, and the other station's
      // batch in the same group is untouched.
      const replies = await Promise.all([
        post(station, [resolved], clockMs + 1),
        post(station, [opened], clockMs + 2),
        post(stations[4], [reopened], clockMs + 3),
      ]);
      const [resolvedReply, openedReply, otherReply] = replies.map((reply) => reply.statusCode);
      assert.equal(resolvedReply, 200);
      assert.ok([200, 400].includes(openedReply), `the opening is stored or refused, not ${openedReply}`);
      assert.equal(otherReply, 200);
      const [other] = await district.db.query<{ state: string }>(
        "SELECT state FROM faults WHERE station_id = $1 AND fault_id = 'f-order'",
        [stations[4].stationId],
      );
      assert.equal(other.state, 'open');
      const [fault] = await district.db.query<{ state: string; last_seq: number | string }>(
        "SELECT state, last_seq FROM faults WHERE station_id = $1 AND fault_id = 'f-order'",
        [station.stationId],
      );
      assert.equal(fault.state, 'resolved');
      assert.equal(Number(fault.last_seq), resolved.seq);
    });

    test('a batch whose storage fails fails alone; the others in its group are stored', async () => {
      clockMs += 1000;
      const committer = groupCommitterOf(district.db);
      const fallbacksBefore = committer.stats.fallbacks;
      const eventsBefore = await eventCount();
      const good = stations.slice(0, 10).map((station) => ({
        station,
        events: [station.heartbeat(clockMs), station.heartbeat(clockMs + 1)],
      }));
      // Verified stations only reach storage, so a batch for a station that is not in the
      // database (the events' foreign key) stands for a write the database refuses.
      const ghost = new TestStation();
      ghost.stationId = 'st-not-in-database';
      const ghostEvents: Event[] = [ghost.heartbeat(clockMs)];
      const options = { nowMs: clockMs, source: 'http' as const };
      const results = await Promise.allSettled([
        ...good
          .slice(0, 5)
          .map((batch) => storeEvents(district.db, batch.station.stationId, batch.events, options)),
        storeEvents(district.db, ghost.stationId, ghostEvents, options),
        ...good
          .slice(5)
          .map((batch) => storeEvents(district.db, batch.station.stationId, batch.events, options)),
      ]);
      const ghostResult = results.splice(5, 1)[0];
      assert.equal(ghostResult.status, 'rejected', 'the bad batch fails');
      results.forEach((result, index) => {
        assert.equal(result.status, 'fulfilled', `batch ${index} is stored despite its bad neighbour`);
        assert.deepEqual(
          (result as PromiseFulfilledResult<{ accepted: string[] }>).value.accepted,
          good[index].events.map((event) => event.id),
        );
      });
      assert.equal(committer.stats.fallbacks, fallbacksBefore + 1, 'the group was retried one by one');
      assert.equal((await eventCount()) - eventsBefore, 20);
      const ghostRows = await district.db.query('SELECT id FROM events WHERE station_id = $1', [
        ghost.stationId,
      ]);
      assert.equal(ghostRows.length, 0);
    });
  });
}
