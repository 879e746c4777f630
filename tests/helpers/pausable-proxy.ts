// A TCP proxy on 127.0.0.1 that can fall silent: paused, it stops forwarding and stops reading in
// both directions and sends no RST or FIN, as a network that drops packets does to a connection
// that stays open. Connections made while paused are accepted and left unanswered. Resumed, what
// waited in the buffers is forwarded as if nothing happened.
import net from 'node:net';

export interface PausableProxy {
  port: number;
  pause(): void;
  resume(): void;
  close(): Promise<void>;
}

export async function startPausableProxy(targetPort: number): Promise<PausableProxy> {
  const pairs = new Set<{ near: net.Socket; far: net.Socket }>();
  let paused = false;
  const flow = (pair: { near: net.Socket; far: net.Socket }): void => {
    pair.near.pipe(pair.far);
    pair.far.pipe(pair.near);
  };
  const server = net.createServer((near) => {
    near.pause();
    const far = net.connect(targetPort, '127.0.0.1');
    far.pause();
    const pair = { near, far };
    pairs.add(pair);
    const end = (): void => {
      near.destroy();
      far.destroy();
      pairs.delete(pair);
    };
    near.on('error', end).on('close', end);
    far.on('error', end).on('close', end);
    if (!paused) {
      flow(pair);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    pause: () => {
      paused = true;
      for (const { near, far } of pairs) {
        near.unpipe(far);
        far.unpipe(near);
        near.pause();
        far.pause();
      }
    },
    resume: () => {
      paused = false;
      pairs.forEach(flow);
    },
    close: async () => {
      pairs.forEach(({ near, far }) => {
        near.destroy();
        far.destroy();
      });
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
