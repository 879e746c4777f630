// Serves the built kiosk UI (dist/renderer) with StationApi implemented by the REAL station service
// over a real station Agent (its loop, store, fault lifecycle and outbox) on a simulated kit, over
// HTTP/JSON (POST /api/<channel>) and server-sent events (GET /api/events).
// The page gets window.siaga from tests/e2e/pages/kiosk-shim.ts. Arguments are validated by the same
// dispatch main.ts runs for IPC.
import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { build } from 'esbuild';
import { dispatchIpcCall } from '../../electron/station-api-ipc';
import type { Agent, AgentOptions } from '../../electron/agent/agent';
import { StationService } from '../../electron/station/service';
import type { StationServiceOptions } from '../../electron/station/service';
import type { SimulatedStation } from '../../electron/agent/simulate';
import type { Store } from '../../electron/agent/store/store';
// @ts-expect-error plain ESM build script without types
import { buildRenderer } from '../../scripts/build-renderer.mjs';
import { createSimulatedAgent } from './agent';

export interface KioskServer {
  url: string;
  service: StationService;
  agent: Agent;
  station: SimulatedStation;
  /** The agent's store (replaced if it is found corrupt). */
  readonly store: Store;
  dataDir: string;
  close(): Promise<void>;
}

export interface KioskServerOptions {
  scenario?: string;
  initialPin?: string;
  /** Background (passive) check interval; 0 or absent: one an hour (none within a test). */
  passiveIntervalMs?: number;
  service?: Partial<StationServiceOptions>;
  /** Agent options over the defaults (schedule, fetch, delivery policy, ...). */
  agent?: Partial<AgentOptions>;
  /** Skip rebuilding dist/renderer (a previous server in the same run built it). */
  skipBuild?: boolean;
  /**
   * false: return before the agent starts (the caller calls `agent.start()`), as main.ts opens the
   * window before it awaits the agent's start (store, startup check). Default true.
   */
  startAgent?: boolean;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.map': 'application/json',
};

let shimScript: string | undefined;

export async function startKioskServer(options: KioskServerOptions = {}): Promise<KioskServer> {
  const rendererDir: string = options.skipBuild
    ? join(process.cwd(), 'dist', 'renderer')
    : await buildRenderer();
  shimScript ??= (
    await build({
      entryPoints: ['tests/e2e/pages/kiosk-shim.ts'],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      target: 'chrome120',
    })
  ).outputFiles[0]!.text;
  const html = readFileSync(join(rendererDir, 'index.html'), 'utf8').replace(
    '<script type="module"',
    '<script src="shim.js"></script>\n    <script type="module"',
  );

  const dataDir = mkdtempSync(join(tmpdir(), 'siaga-kiosk-'));
  const { agent, station } = createSimulatedAgent(dataDir, options.scenario ?? 'healthy', {
    ...options.agent,
    schedule: {
      passiveIntervalMs: options.passiveIntervalMs || 60 * 60_000,
      confirmDelayMs: 100,
      hotplugSettleMs: 10,
      enrollmentPollMs: 1000,
      ...options.agent?.schedule,
    },
  });
  const service = new StationService({
    agent,
    initialPin: options.initialPin ?? '246810',
    ...options.service,
  });
  const streams = new Set<ServerResponse>();
  const unsubscribe = service.subscribe((event) => {
    const data = `data: ${JSON.stringify(event)}\n\n`;
    for (const stream of streams) {
      stream.write(data);
    }
  });

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/api/events') {
      response.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      response.write(': connected\n\n');
      streams.add(response);
      request.on('close', () => streams.delete(response));
      return;
    }
    if (url.pathname.startsWith('/api/') && request.method === 'POST') {
      const channel = url.pathname.slice('/api/'.length);
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const reply = (status: number, body: unknown) =>
          response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        (async () =>
          dispatchIpcCall(
            service,
            channel,
            JSON.parse(Buffer.concat(chunks).toString('utf8') || '[]') as unknown[],
          ))()
          .then((value) => reply(200, { ok: true, value: value ?? null }))
          .catch((error: unknown) => reply(200, { ok: false, error: (error as Error).message }));
      });
      return;
    }
    if (url.pathname === '/' || url.pathname === '/index.html') {
      response.writeHead(200, { 'content-type': TYPES['.html'] }).end(html);
      return;
    }
    if (url.pathname === '/shim.js') {
      response.writeHead(200, { 'content-type': TYPES['.js'] }).end(shimScript);
      return;
    }
    const file = normalize(join(rendererDir, url.pathname));
    if (!file.startsWith(rendererDir)) {
      response.writeHead(403).end();
      return;
    }
    try {
      const body = readFileSync(file);
      response
        .writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
        .end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  if (options.startAgent !== false) {
    await agent.start();
  }
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    service,
    agent,
    station,
    get store(): Store {
      const store = agent.currentStore;
      if (!store) {
        throw new Error('the kiosk server is closed');
      }
      return store;
    },
    dataDir,
    async close() {
      unsubscribe();
      service.stop();
      for (const stream of streams) {
        stream.end();
      }
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await agent.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
