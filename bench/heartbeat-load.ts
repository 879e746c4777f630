// Load generators shared by the district benches (district-heartbeats, district-cluster).
// Open loop: every station once a minute, requests spread evenly at the true rate, signed before
// the clock starts (signing is each station's own work, not the server's), sent over keep-alive
// connections. Latency is counted from each request's *scheduled* send time, so a generator that
// falls behind (a busy event loop, a core taken by PostgreSQL) counts against the figure instead
// of quietly sending later and measuring less ("coordinated omission"); the generator's own lag is
// printed beside it, so a bad p99 can be told apart from a slow server.
// Closed loop: N requests in flight at a time, as fast as they are answered: saturation throughput.
import http from 'node:http';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { PATHS } from '../protocol/requests';
import type { BenchStation } from './district-seed';
import { heartbeatEvent, percentile, signedBatch } from './district-seed';
import type { SlowRequest, TimedNote } from './heartbeat-stalls';

/** The goal for a heartbeat's latency (issue 13): p99 below this, from the scheduled send. */
export const HEARTBEAT_GOAL_MS = 50;

export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

/** Keep-alive connections, at most `sockets` to one host (beyond that, requests wait in the agent, and that wait counts). */
export function keepAliveAgent(sockets = 256): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
}

/** POST /api/v1/events; resolves with the status and body (a connection error rejects). */
export function postEvents(agent: http.Agent, url: string, request: SignedRequest): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      url + PATHS.events,
      {
        method: 'POST',
        agent,
        headers: { ...request.headers, 'content-length': Buffer.byteLength(request.body) },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

export interface OpenLoopOptions {
  url: string;
  stations: BenchStation[];
  seconds: number;
  agent?: http.Agent;
  /** Called when the first request is due (signing and the wait before it are over); what it returns is called after the last answer. For CPU and memory windows. */
  during?: () => () => void;
}

export interface OpenLoopResult {
  stations: number;
  requests: number;
  ratePerSecond: number;
  /** Seconds from the first scheduled send to the last answer. */
  elapsed: number;
  signingSeconds: number;
  failures: string[];
  /** Sorted, ms: answer received minus scheduled send time (the figure that counts). */
  latency: number[];
  /** Sorted, ms: answer received minus actual send (what a closed-loop client would report). */
  service: number[];
  /** Sorted, ms: actual send minus scheduled send (the generator's own lag). */
  lag: number[];
  /** The generator's event-loop delay, ms. */
  loopDelayP99: number;
  /** The generator's CPU over the run, % of one core. */
  generatorCpuPercent: number;
  /** Epoch ms the first request was due. */
  beginMs: number;
  /** Each request slower than HEARTBEAT_GOAL_MS or not answered 200, for heartbeat-stalls.ts. */
  slow: SlowRequest[];
  /** The generator's own GC pauses of 5 ms or more. */
  generatorGc: TimedNote[];
}

/** Each station heartbeats once a minute for `seconds`, open loop, signed beforehand. */
export async function openLoopHeartbeats(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const { stations, seconds } = options;
  const intervalMs = 60_000 / stations.length;
  const total = Math.floor((seconds * 1000) / intervalMs);
  const agent = options.agent ?? keepAliveAgent();
  // Estimate the signing time on a copy (its seq is thrown away) to choose a start far enough
  // ahead that every request is signed with its own scheduled time before the first is due.
  const calibration = { ...stations[0] };
  const calibrationStarted = performance.now();
  for (let index = 0; index < 200; index++) {
    signedBatch(calibration, [heartbeatEvent(calibration, Date.now())], Date.now());
  }
  const perSignMs = (performance.now() - calibrationStarted) / 200;
  const startEpoch = Date.now() + Math.ceil(total * perSignMs * 1.5) + 1000;
  const signingStarted = performance.now();
  const requests: SignedRequest[] = new Array(total);
  for (let index = 0; index < total; index++) {
    const station = stations[index % stations.length];
    const at = Math.round(startEpoch + index * intervalMs);
    requests[index] = signedBatch(station, [heartbeatEvent(station, at, index % 7 !== 0)], at);
  }
  const signingSeconds = (performance.now() - signingStarted) / 1000;
  const begin = performance.now() + (startEpoch - Date.now());
  await sleep(Math.max(0, begin - performance.now()));

  const latency: number[] = [];
  const service: number[] = [];
  const lag: number[] = [];
  const failures: string[] = [];
  const slow: SlowRequest[] = [];
  const generatorGc: TimedNote[] = [];
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.duration >= 5) {
        generatorGc.push({ startMs: performance.timeOrigin + entry.startTime, ms: entry.duration, text: 'generator GC' });
      }
    }
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  const pending: Promise<void>[] = [];
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  const cpuStarted = process.cpuUsage();
  const ended = options.during?.();
  const fire = (index: number): void => {
    const scheduled = begin + index * intervalMs;
    const sent = performance.now();
    lag.push(sent - scheduled);
    const note = (status: number): void => {
      const done = performance.now();
      if (status !== 200 || done - scheduled >= HEARTBEAT_GOAL_MS) {
        slow.push({
          scheduledMs: performance.timeOrigin + scheduled,
          latencyMs: done - scheduled,
          serviceMs: done - sent,
          station: stations[index % stations.length].id,
          timestampMs: Math.round(startEpoch + index * intervalMs),
          status,
        });
      }
    };
    pending.push(
      postEvents(agent, options.url, requests[index]).then(
        (answer) => {
          const done = performance.now();
          note(answer.status);
          if (answer.status === 200) {
            latency.push(done - scheduled);
            service.push(done - sent);
          } else {
            failures.push(`${answer.status} ${answer.text.slice(0, 120)}`);
          }
        },
        (error: Error) => {
          note(0);
          failures.push(error.message);
        },
      ),
    );
  };
  let next = 0;
  while (next < total) {
    const now = performance.now();
    // Everything due by now goes out now: a late tick sends its backlog at once, as real stations would.
    while (next < total && begin + next * intervalMs <= now) {
      fire(next++);
    }
    if (next < total) {
      await sleep(Math.max(0, begin + next * intervalMs - performance.now()));
    }
  }
  await Promise.all(pending);
  ended?.();
  const elapsed = (performance.now() - begin) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  loopDelay.disable();
  gcObserver.disconnect();
  if (options.agent === undefined) {
    agent.destroy();
  }
  const ascending = (left: number, right: number): number => left - right;
  return {
    stations: stations.length,
    requests: total,
    ratePerSecond: 1000 / intervalMs,
    elapsed,
    signingSeconds,
    failures,
    latency: latency.sort(ascending),
    service: service.sort(ascending),
    lag: lag.sort(ascending),
    loopDelayP99: loopDelay.percentile(99) / 1e6,
    generatorCpuPercent: ((cpu.user + cpu.system) / 1000 / (elapsed * 1000)) * 100,
    beginMs: performance.timeOrigin + begin,
    slow,
    generatorGc,
  };
}

function spread(sorted: readonly number[]): string {
  if (sorted.length === 0) {
    return 'none';
  }
  return `p50 ${percentile(sorted, 0.5).toFixed(1)} ms, p99 ${percentile(sorted, 0.99).toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms`;
}

/** The open-loop figures, indented under `title`. */
export function printOpenLoop(title: string, result: OpenLoopResult): void {
  const failed = result.failures.length;
  console.log(
    `${title}: ${result.stations} stations once a minute = ${result.ratePerSecond.toFixed(0)} signed heartbeats/s, open loop; ` +
      `${result.requests} sent over ${(result.requests / result.ratePerSecond).toFixed(0)} s, last answer at ${result.elapsed.toFixed(1)} s; ` +
      `${failed} failed${failed > 0 ? ` (first: ${result.failures[0]})` : ''}`,
  );
  console.log(`    latency from scheduled send  ${spread(result.latency)}   (goal p99 < ${HEARTBEAT_GOAL_MS} ms)`);
  console.log(`    latency from actual send     ${spread(result.service)}`);
  console.log(
    `    generator lag (sent - due)   ${spread(result.lag)}; event-loop delay p99 ${result.loopDelayP99.toFixed(1)} ms; ` +
      `generator CPU ${result.generatorCpuPercent.toFixed(0)} % of a core (signing done beforehand: ${result.signingSeconds.toFixed(1)} s)`,
  );
}

/**
 * `concurrency` requests in flight, each sent as soon as one is answered, until `requests` are all
 * answered or `seconds` have passed; non-200 answers go to `failures`.
 */
export async function closedLoop(options: {
  url: string;
  requests: readonly SignedRequest[];
  concurrency: number;
  seconds: number;
  failures: string[];
  agent: http.Agent;
}): Promise<{ answered: number; seconds: number }> {
  let cursor = 0;
  let answered = 0;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (cursor < options.requests.length && performance.now() < deadline) {
        const answer = await postEvents(options.agent, options.url, options.requests[cursor++]).catch((error: Error) => ({
          status: 0,
          text: error.message,
        }));
        answered++;
        if (answer.status !== 200) {
          options.failures.push(`${answer.status} ${answer.text.slice(0, 120)}`);
        }
      }
    }),
  );
  return { answered, seconds: (performance.now() - started) / 1000 };
}
