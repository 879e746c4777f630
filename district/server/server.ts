// Runs the district app on a port until SIGINT/SIGTERM, then closes cleanly (requests, log, database).
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import type { AppOptions } from './app';

export interface ServeOptions extends AppOptions {
  port: number;
  host: string;
  /** Background work on the database (forwarding upstream) to stop before the database closes. */
  stopBeforeClose?: () => Promise<void>;
  /** Called when the app cannot be built or cannot listen (the port is taken), before the error is thrown. */
  onListenError?: () => Promise<void>;
}

export interface RunningServer {
  app: FastifyInstance;
  /** The address actually bound, e.g. http://127.0.0.1:8080 (port 0 picks a free one). */
  url: string;
  close(): Promise<void>;
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  let app: FastifyInstance;
  let url: string;
  try {
    app = await buildApp(options);
    url = await app.listen({ port: options.port, host: options.host });
  } catch (error) {
    await options.onListenError?.();
    throw error;
  }
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    // Every step runs even when one before it fails (the database down at that moment): the
    // process must still let go of its connections and exit. The first failure is thrown after.
    closing ??= (async () => {
      const failures: unknown[] = [];
      for (const step of [() => options.stopBeforeClose?.(), () => app.close(), () => options.db.close()]) {
        try {
          await step();
        } catch (error) {
          failures.push(error);
        }
      }
      if (failures.length > 0) {
        throw failures[0];
      }
    })();
    return closing;
  };
  return { app, url, close };
}

/** Closes the server on the first SIGINT or SIGTERM; resolves when it is closed. */
export function closeOnSignals(server: RunningServer): Promise<void> {
  return new Promise((resolve, reject) => {
    const onSignal = (): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      server.close().then(resolve, reject);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
