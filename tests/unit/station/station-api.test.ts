// The UI <-> agent contract: every IPC argument is validated, and the client/dispatch pair maps
// each channel onto the same StationApi method.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CALL_NAMES } from '../../../electron/station-api';
import type { CallArguments, CallName, StationApi } from '../../../electron/station-api';
import {
  IPC_CHANNELS,
  createIpcClient,
  dispatchIpcCall,
  ipcChannel,
  parseIpcArguments,
} from '../../../electron/station-api-ipc';

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

/** A StationApi whose every method records `name:argument count` in `calls` and returns its name. */
function recordingApi(calls: string[]): StationApi {
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
    'forecasts',
  ];
  return {
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
}

test('dispatch validates before the agent sees a call', async () => {
  const calls: string[] = [];
  const api = recordingApi(calls);
  await assert.rejects(dispatchIpcCall(api, 'siaga:runShell', []), /unknown channel/);
  await assert.rejects(dispatchIpcCall(api, 'siaga:getStatus', ['extra']));
  await assert.rejects(dispatchIpcCall(api, 'siaga:technician.usbTree', ['short']));
  assert.deepEqual(calls, []);
  assert.equal(await dispatchIpcCall(api, 'siaga:runCheck', [{}]), 'runCheck');
  assert.deepEqual(calls, ['runCheck:1']);
});

const token = 'a'.repeat(32);
/** One valid argument list per call: a call added to the table without one here fails to compile. */
const VALID_ARGUMENTS: { [Name in CallName]: CallArguments<Name> } = {
  getStatus: [],
  runCheck: [{ mode: 'passive' }],
  listFaults: [],
  startDailyCheck: [],
  submitDailyCheck: [submission as CallArguments<'submitDailyCheck'>[0]],
  getConsumables: [],
  reportCamera: [{ code: 'CAMERA_OK', measurements: {}, elapsedMs: 5 }],
  getSettings: [],
  updateSettings: [{ language: 'en' }],
  unlockTechnician: ['1234'],
  lockTechnician: [token],
  'technician.usbTree': [token],
  'technician.history': [token, 'camera', 10],
  'technician.logs': [token],
  'technician.serial': [{ token, path: '/dev/ttyS0', baudRate: 2400, data: 'Q1\r', timeoutMs: 500 }],
  'technician.rerun': [token, ['ups']],
  'technician.adoptBaseline': [token],
  'technician.enroll': [{ token, districtUrl: 'http://district.test', code: 'ABCD-1234' }],
  'technician.exportDiagnostics': [token],
  'technician.changePin': [token, '246810'],
  'technician.forecasts': [token],
};

test('client and dispatch map every channel onto the StationApi method of the same name', async () => {
  const calls: string[] = [];
  const server = recordingApi(calls);
  const client = createIpcClient(
    (channel, ...args) => dispatchIpcCall(server, channel, args),
    () => () => undefined,
  );
  assert.deepEqual(
    IPC_CHANNELS,
    CALL_NAMES.map((name) => ipcChannel(name)),
  );
  for (const name of CALL_NAMES) {
    const method = name.startsWith('technician.')
      ? (client.technician as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[
          name.slice('technician.'.length)
        ]!
      : (client as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[name]!;
    const args = VALID_ARGUMENTS[name] as unknown[];
    assert.equal(await method(...args), name, name);
    assert.equal(calls.at(-1), `${name}:${args.length}`);
  }
  assert.equal(calls.length, IPC_CHANNELS.length);
  // Every method of the recording api (11 top-level, 9 technician) has its channel.
  assert.equal(IPC_CHANNELS.length, 21);
});

test('the client leaves out trailing undefined arguments, so an optional one survives JSON', async () => {
  const sent: unknown[][] = [];
  const client = createIpcClient(
    async (_channel, ...args) => sent.push(args),
    () => () => undefined,
  );
  await client.technician.rerun(token, undefined);
  await client.runCheck(undefined);
  assert.deepEqual(sent, [[token], []]);
  assert.doesNotThrow(() =>
    parseIpcArguments('siaga:technician.rerun', JSON.parse(JSON.stringify(sent[0])) as unknown[]),
  );
});
