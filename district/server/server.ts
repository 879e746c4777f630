// Runs the district app on a port until SIGINT/SIGTERM, then closes cleanly (requests, log, database).
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import type { AppOptions } from './app';
import { settledWithin } from './time-bound';

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
    // Every step runs even when one before it fails or hangs (the database down or silent at that
    // moment): the process must still let go of its connections and exit. A step still running
    // after CLOSE_STEP_BOUND_MS is left to finish while the next one runs (closing the database
    // ends what waits on it). Every failure is reported, in one error.
    closing ??= (async () => {
      const failures: unknown[] = [];
      const lingering: Promise<void>[] = [];
      const steps: [string, () => Promise<void> | undefined][] = [
        ['stopping the background work', () => options.stopBeforeClose?.()],
        ['closing the server', () => app.close()],
        ['closing the database', () => options.db.close()],
      ];
      for (const [what, step] of steps) {
        const running = Promise.resolve()
          .then(step)
          .catch((error: unknown) => {
            failures.push(error);
          });
        if ((await settledWithin(running, CLOSE_STEP_BOUND_MS)) === 'late') {
          failures.push(new Error(`${what} did not finish within ${CLOSE_STEP_BOUND_MS / 1000} s`));
          lingering.push(running);
        }
      }
      await settledWithin(Promise.all(lingering), CLOSE_STEP_BOUND_MS);
      if (failures.length > 0) {
        throw new Error(failures.map((failure) => (failure as Error).message ?? String(failure)).join('; '), {
          cause: failures[0],
        });
      }
    })();
    return closing;
  };
  return { app, url, close };
}

/** The longest one step of a server's close is waited for before the next runs (see close). */
export const CLOSE_STEP_BOUND_MS = 5_000;

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
