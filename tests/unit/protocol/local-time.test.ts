// Times as people in Indonesia read them; the zone offset is cached per zone and quarter hour, so
// the cache must never carry an offset across a transition or from one zone to another.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatClock, formatDateTime, formatMonth, zoneLabel } from '../../../protocol/local-time';

test('Indonesian zones are named WIB, WITA and WIT in both languages', () => {
  const iso = '2026-11-23T00:42:00Z';
  assert.equal(formatClock('id', iso, 'Asia/Jakarta'), '07.42 WIB');
  assert.equal(formatClock('en', iso, 'Asia/Jakarta'), '07:42 WIB');
  assert.equal(formatClock('id', iso, 'Asia/Makassar'), '08.42 WITA');
  assert.equal(formatClock('id', iso, 'Asia/Jayapura'), '09.42 WIT');
  assert.match(formatDateTime('id', iso, 'Asia/Jakarta'), /^23 Nov 2026.*07\.42 WIB$/);
  assert.equal(formatMonth('id', '2026-01'), 'Januari 2026');
});

test('a daylight-saving change inside a cached quarter hour is never missed', () => {
  // Europe/Berlin goes from UTC+1 to UTC+2 at 01:00 UTC on 29 March 2026, and back at 01:00 UTC
  // on 25 October 2026: the minute before and the minute of each change differ.
  assert.equal(zoneLabel(new Date('2026-03-29T00:59:00Z'), 'Europe/Berlin'), 'UTC+1');
  assert.equal(zoneLabel(new Date('2026-03-29T01:00:00Z'), 'Europe/Berlin'), 'UTC+2');
  assert.equal(zoneLabel(new Date('2026-03-29T00:45:00Z'), 'Europe/Berlin'), 'UTC+1');
  assert.equal(zoneLabel(new Date('2026-10-25T00:59:59Z'), 'Europe/Berlin'), 'UTC+2');
  assert.equal(zoneLabel(new Date('2026-10-25T01:00:00Z'), 'Europe/Berlin'), 'UTC+1');
  assert.equal(formatClock('en', '2026-03-29T00:59:00Z', 'Europe/Berlin'), '01:59 UTC+1');
  assert.equal(formatClock('en', '2026-03-29T01:14:00Z', 'Europe/Berlin'), '03:14 UTC+2');
  // Lord Howe Island changes by half an hour at 02:00 local (+10:30), 15:30 UTC: not on an hour,
  // so an hourly cache would give 15:29 and 15:30 the same offset.
  assert.equal(zoneLabel(new Date('2026-10-03T15:29:00Z'), 'Australia/Lord_Howe'), 'UTC+10:30');
  assert.equal(zoneLabel(new Date('2026-10-03T15:30:00Z'), 'Australia/Lord_Howe'), 'UTC+11');
});

test("the same quarter hour in another zone gets that zone's own offset", () => {
  const date = new Date('2026-11-23T00:42:00Z');
  assert.equal(zoneLabel(date, 'Asia/Jakarta'), 'WIB');
  assert.equal(zoneLabel(date, 'Asia/Kolkata'), 'UTC+5:30');
  assert.equal(zoneLabel(date, 'Asia/Kathmandu'), 'UTC+5:45');
  assert.equal(zoneLabel(date, 'America/Sao_Paulo'), 'UTC-3');
  assert.equal(zoneLabel(date, 'Asia/Jakarta'), 'WIB');
});

test('many distinct times (more than the cache keeps) still get the right offset', () => {
  const start = Date.parse('2026-01-01T00:00:00Z');
  for (let index = 0; index < 12_000; index += 1) {
    const date = new Date(start + index * 15 * 60_000 + 7 * 60_000);
    if (index % 1000 === 0 || index > 11_990) {
      assert.equal(zoneLabel(date, 'Asia/Makassar'), 'WITA');
    } else {
      zoneLabel(date, 'Asia/Makassar');
    }
  }
  assert.equal(zoneLabel(new Date('2026-03-29T00:59:00Z'), 'Europe/Berlin'), 'UTC+1');
});
