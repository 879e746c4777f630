// One contract for the system adapters (tests/helpers/contracts/system.ts): the real ones on this
// machine's disk, processes and local sockets, and the simulator's, so `--simulate` cannot drift
// from a real station.
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import { createSimulatedStation } from '../../../electron/agent/simulate';
import { createCommandRunner } from '../../../native/system/command-runner';
import { createNetworkProbe } from '../../../native/system/network-probe';
import { createSystemProbe } from '../../../native/system/system-probe';
import { systemContract } from '../../helpers/contracts/system';
import { freePort } from '../../helpers/ipp-printer';
import { startSilentPeer } from '../../helpers/silent-peer';

const UNKNOWN_HOST = 'http://siaga-no-such-host.invalid/';

systemContract('real adapters on this machine', async () => {
  const server = http.createServer((_request, response) => response.writeHead(204).end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const silent = await startSilentPeer();
  const port = (listening: net.Server) => (listening.address() as net.AddressInfo).port;
  return {
    system: createSystemProbe(),
    network: createNetworkProbe(),
    commands: createCommandRunner(),
    dataPath: os.tmpdir(),
    async endpoint(state) {
      switch (state) {
        case 'reachable':
          return `http://127.0.0.1:${port(server)}/health`;
        case 'refused':
          return `http://127.0.0.1:${await freePort()}/`;
        case 'silent':
          return `http://127.0.0.1:${silent.port}/`;
        case 'unknown-host':
          return UNKNOWN_HOST;
      }
    },
    command: { program: 'sh', args: ['-c', 'echo OK'] },
    async dispose() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await silent.close();
    },
  };
});

systemContract('simulator', async () => {
  const station = createSimulatedStation('healthy');
  const endpoints = station.profile.roles.network?.endpoints ?? [];
  const url = (name: string) => {
    const found = endpoints.find((endpoint) => endpoint.name === name)?.url;
    if (found === undefined) {
      throw new Error(`the simulated profile has no ${name} endpoint`);
    }
    return found;
  };
  return {
    system: station.adapters.system,
    network: station.adapters.network,
    commands: station.adapters.commands,
    dataPath: os.tmpdir(),
    async endpoint(state) {
      switch (state) {
        case 'reachable':
          station.set('healthy');
          return url('district');
        case 'refused':
          station.set('district-unreachable');
          return url('district');
        case 'silent':
          station.set('central-unreachable');
          return url('central');
        case 'unknown-host':
          return UNKNOWN_HOST;
      }
    },
    command: { program: 'fpdiag', args: ['--status'] },
    dispose: async () => undefined,
  };
});
