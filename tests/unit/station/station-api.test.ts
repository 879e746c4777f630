// The UI <-> agent contract: every IPC argument is validated, and the client/dispatch pair maps
// each channel onto the same StationApi method.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IPC_SCHEMAS, createApiClient, dispatch, parseIpcArguments } from '../../../electron/station-api';
import type { IpcChannel, StationApi } from '../../../electron/station-api';

const submission = {
  runId: 'run-1',
  manual: [{ step: 'camera', result: 'ok' }],
  consumables: { blankCards: 10, ribbonPrints: 20 },
  operator: { name: 'Budi Santoso', nip: '198503122010011001' },
};

test('daily check sign-off: NIP must be 18 digits, stock non-negative integers', () => {
  assert.doesNotThrow(() => parseIpcArguments('siaga:submitDailyCheck', [submission]));
  for (const nip of ['19850312201001100', '1985031220100110011', '19850312201001100x', '']) {
    assert.throws(() =>
      parseIpcArguments('siaga:submitDailyCheck', [{ ...submission, operator: { name: 'Budi', nip } }]),
    );
  }
  assert.throws(() =>
    parseIpcArguments('siaga:submitDailyCheck', [
      { ...submission, consumables: { blankCards: -1, ribbonPrints: 0 } },
    ]),
  );
  assert.throws(() =>
    parseIpcArguments('siaga:submitDailyCheck', [
      { ...submission, manual: [{ step: 'teleport', result: 'ok' }] },
    ]),
  );
});

test('unknown channels, extra arguments and malformed values are refused', () => {
  assert.throws(() => parseIpcArguments('siaga:runShell', []), /unknown channel/);
  assert.throws(() => parseIpcArguments('constructor', []), /unknown channel/);
  assert.throws(() => parseIpcArguments('siaga:getStatus', ['extra']));
  assert.throws(() => parseIpcArguments('siaga:updateSettings', [{ language: 'fr' }]));
  assert.throws(() => parseIpcArguments('siaga:updateSettings', [{ language: 'id', evil: true }]));
  assert.throws(() => parseIpcArguments('siaga:technician.usbTree', ['short']));
  assert.throws(() => parseIpcArguments('siaga:technician.changePin', ['a'.repeat(32), '12']));
  assert.throws(() =>
    parseIpcArguments('siaga:reportCamera', [
      { code: 'CAMERA_OK', measurements: {}, elapsedMs: 5, snapshot: 'javascript:alert(1)' },
    ]),
  );
  assert.throws(() =>
    parseIpcArguments('siaga:reportCamera', [{ code: 'CAMERA_EXPLODED', measurements: {}, elapsedMs: 5 }]),
  );
  assert.deepEqual(parseIpcArguments('siaga:runCheck', [{}]), [{ mode: 'active' }]);
  assert.deepEqual(parseIpcArguments('siaga:runCheck', []), []);
});

test('client and dispatch map every channel onto the StationApi method of the same name', async () => {
  const calls: string[] = [];
  const record =
    (name: string) =>
    async (...args: unknown[]) => {
      calls.push(`${name}:${args.length}`);
      return name;
    };
  const technicianNames = [
    'usbTree',
    'history',
    'logs',
    'serial',
    'rerun',
    'adoptBaseline',
    'enroll',
    'exportDiagnostics',
    'changePin',
  ];
  const server = {
    ...Object.fromEntries(
      [
        'getStatus',
        'runCheck',
        'listFaults',
        'startDailyCheck',
        'submitDailyCheck',
        'getConsumables',
        'reportCamera',
        'getSettings',
        'updateSettings',
        'unlockTechnician',
        'lockTechnician',
      ].map((name) => [name, record(name)]),
    ),
    subscribe: () => () => undefined,
    technician: Object.fromEntries(technicianNames.map((name) => [name, record(`technician.${name}`)])),
  } as unknown as StationApi;
  const client = createApiClient(
    (channel, args) => dispatch(server, channel, args),
    () => () => undefined,
  );
  for (const channel of Object.keys(IPC_SCHEMAS) as IpcChannel[]) {
    const name = channel.slice('siaga:'.length);
    const method = name.startsWith('technician.')
      ? (client.technician as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[
          name.slice('technician.'.length)
        ]!
      : (client as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[name]!;
    assert.equal(await method('x'), name, channel);
  }
  assert.equal(calls.length, Object.keys(IPC_SCHEMAS).length);
});
