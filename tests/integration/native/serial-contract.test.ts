// One SerialTransport contract (tests/helpers/contracts/serial.ts) for the real serialport adapter
// on socat ptys with a simulated UPS, and for the simulator's UPS, so `--simulate` cannot drift
// from a real station.
import { createSimulatedStation } from '../../../electron/agent/simulate';
import { createSerialTransport } from '../../../native/serial/serial-query';
import { serialContract } from '../../helpers/contracts/serial';
import type { UpsPeerState } from '../../helpers/contracts/serial';
import { startPtyPair } from '../../helpers/pty';
import { holdSerialPort, startUpsSimulator } from '../../helpers/serial-simulators';

serialContract('real adapter on a pty', async () => {
  let stopCurrent = async () => undefined as void;
  return {
    transport: createSerialTransport(),
    async ups(state) {
      await stopCurrent();
      const pty = await startPtyPair();
      const simulator = await startUpsSimulator(pty.devicePath, state === 'busy' ? 'healthy' : state);
      const holder = state === 'busy' ? await holdSerialPort(pty.appPath) : undefined;
      stopCurrent = async () => {
        await holder?.release();
        await simulator.stop();
        await pty.stop();
      };
      return pty.appPath;
    },
    missingPath: '/dev/siaga-no-such-port',
    dispose: () => stopCurrent(),
  };
});

serialContract('simulator', async () => {
  const station = createSimulatedStation('healthy');
  const upsPath = station.profile.roles.ups?.serial?.path;
  if (upsPath === undefined) {
    throw new Error('the simulated profile has no UPS port');
  }
  const scenarios: Record<UpsPeerState, string> = {
    healthy: 'healthy',
    'on-battery': 'ups-on-battery',
    silent: 'ups-silent',
    garbage: 'ups-garbage',
    busy: 'ups-busy',
  };
  return {
    transport: station.adapters.serial,
    async ups(state) {
      station.set(scenarios[state]);
      return upsPath;
    },
    missingPath: 'SIM:/dev/siaga-no-such-port',
    dispose: async () => undefined,
  };
});
