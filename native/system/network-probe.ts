// Reachability and latency of an endpoint: a TCP connect for tcp://host:port, an HTTP GET for
// http(s):// (any HTTP answer, even 404, proves the link; its Date header gives the server's clock).
import net from 'node:net';
import type { NetworkProbe, ReachabilityResult } from './types';

function classify(error: unknown): {
  reason: 'dns' | 'refused' | 'timeout' | 'tls' | 'error';
  message: string;
} {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const code = (error as { code?: string })?.code ?? cause?.code ?? '';
  const message = cause?.message ?? (error as Error)?.message ?? String(error);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return { reason: 'dns', message };
  }
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return { reason: 'refused', message };
  }
  if (code.startsWith('ERR_TLS') || code.includes('CERT')) {
    return { reason: 'tls', message };
  }
  return { reason: 'error', message };
}

function reachTcp(host: string, port: number, timeoutMs: number): Promise<ReachabilityResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const finish = (result: ReachabilityResult) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(
      () =>
        finish({
          ok: false,
          reason: 'timeout',
          message: `no answer in ${timeoutMs} ms`,
          latencyMs: timeoutMs,
        }),
      timeoutMs,
    );
    socket.once('connect', () => finish({ ok: true, latencyMs: performance.now() - started }));
    socket.once('error', (error) =>
      finish({ ok: false, ...classify(error), latencyMs: performance.now() - started }),
    );
  });
}

async function reachHttp(url: string, timeoutMs: number): Promise<ReachabilityResult> {
  const started = performance.now();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(url, { method: 'GET', signal: controller.signal, redirect: 'manual' });
    await response.body?.cancel();
    const latencyMs = performance.now() - started;
    const serverDate = response.headers.get('date') ?? undefined;
    if (response.status >= 500) {
      return { ok: false, reason: 'http-error', message: `HTTP ${response.status}`, latencyMs };
    }
    return { ok: true, latencyMs, httpStatus: response.status, serverDate };
  } catch (error) {
    if (controller.signal.aborted) {
      return { ok: false, reason: 'timeout', message: `no answer in ${timeoutMs} ms`, latencyMs: timeoutMs };
    }
    return { ok: false, ...classify(error), latencyMs: performance.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

export function createNetworkProbe(): NetworkProbe {
  return {
    async reach(url, { timeoutMs }) {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        return { ok: false, reason: 'error', message: `not a URL: ${url}`, latencyMs: 0 };
      }
      if (parsed.protocol === 'tcp:') {
        return reachTcp(parsed.hostname, Number(parsed.port), timeoutMs);
      }
      return reachHttp(url, timeoutMs);
    },
  };
}
