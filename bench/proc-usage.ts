// CPU and memory of processes from /proc (Linux), for benches that run servers as child processes.
// CPU is utime + stime of a process and all its descendants (PostgreSQL's backends are children of
// the postmaster), in seconds; the machine's busy time comes from /proc/stat, so what the
// processes under test did not use is shown as other work or idle, not left out.
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

/** USER_HZ: the unit of /proc/PID/stat times on every Linux this runs on. */
const TICKS_PER_SECOND = 100;

function statFields(pid: number): string[] | null {
  try {
    // Fields after "(comm) ": the name may hold spaces, so split after its closing parenthesis.
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  } catch {
    return null; // gone meanwhile
  }
}

/** utime + stime of one process, seconds (0 if it is gone). */
export function cpuSeconds(pid: number): number {
  const fields = statFields(pid);
  return fields === null ? 0 : (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

export function rssMegabytes(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? 0 : Number(match[1]) / 1024;
  } catch {
    return 0;
  }
}

/** `pid` and every process below it, now. */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) {
      continue;
    }
    const fields = statFields(Number(name));
    if (fields !== null) {
      const parent = Number(fields[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(name)]);
    }
  }
  const tree: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const current = queue.shift()!;
    tree.push(current);
    queue.push(...(children.get(current) ?? []));
  }
  return tree;
}

/**
 * CPU seconds of `pid` and its descendants, those that ended included: each live process's own
 * time plus the time of the children it has reaped (cutime + cstime), so a PostgreSQL backend that
 * exits moves its time into the postmaster's instead of dropping out of the sum.
 */
export function treeCpuSeconds(pid: number): number {
  return processTree(pid).reduce((sum, member) => {
    const fields = statFields(member);
    return fields === null
      ? sum
      : sum + (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND;
  }, 0);
}

/** Busy seconds of the whole machine (all cores) so far: everything but idle and iowait. */
function machineBusySeconds(): number {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const ticks = values.slice(0, 8).map(Number);
  const idle = ticks[3] + ticks[4];
  return (ticks.reduce((sum, value) => sum + value, 0) - idle) / TICKS_PER_SECOND;
}

export interface CpuShare {
  name: string;
  /** % of one core over the window. */
  percent: number;
  /** CPU seconds over the window. */
  seconds: number;
}

/**
 * Starts a CPU window over named processes: `pid` alone, or `tree` (the process and all below it,
 * as read at each end of the window).
 * The returned stop() gives each group's share, then "other work" (the rest of the machine's busy
 * time: other programs, the kernel's own threads) and "idle", all in % of one core, summing to
 * cores x 100.
 */
export function cpuWindow(groups: Record<string, { pid: number } | { tree: number }>): () => CpuShare[] {
  const entries = Object.entries(groups);
  const used = (group: { pid: number } | { tree: number }): number =>
    'pid' in group ? cpuSeconds(group.pid) : treeCpuSeconds(group.tree);
  const before = entries.map(([, group]) => used(group));
  const busyBefore = machineBusySeconds();
  const started = performance.now();
  return () => {
    const seconds = (performance.now() - started) / 1000;
    const share = (name: string, used: number): CpuShare => ({ name, percent: (used / seconds) * 100, seconds: used });
    const shares = entries.map(([name, group], index) => share(name, used(group) - before[index]));
    const busy = machineBusySeconds() - busyBefore;
    const ours = shares.reduce((sum, entry) => sum + entry.seconds, 0);
    return [
      ...shares,
      share('other work', Math.max(0, busy - ours)),
      share('idle', Math.max(0, cpus().length * seconds - busy)),
    ];
  };
}

/** "server 1 80 %, PostgreSQL 40 %, ... (of 200 %)" */
export function formatCpuShares(shares: readonly CpuShare[]): string {
  return `${shares.map((share) => `${share.name} ${share.percent.toFixed(0)} %`).join(', ')} (of ${cpus().length * 100} %)`;
}

/** Samples each pid's RSS every second until the returned stop(): median and max, MB. */
export function rssSampler(pids: readonly number[]): () => { median: number; max: number }[] {
  const samples: number[][] = pids.map((pid) => [rssMegabytes(pid)]);
  const timer = setInterval(() => pids.forEach((pid, index) => samples[index].push(rssMegabytes(pid))), 1000);
  return () => {
    clearInterval(timer);
    return samples.map((values) => {
      const sorted = [...values].sort((left, right) => left - right);
      return { median: sorted[Math.floor(sorted.length / 2)], max: sorted[sorted.length - 1] };
    });
  };
}

/** "servers 2.1 ms, PostgreSQL 1.4 ms, haproxy 0.2 ms": CPU per request of the named shares (prefix match). */
export function cpuPerRequest(shares: readonly CpuShare[], requests: number, names: Record<string, string>): string {
  return Object.entries(names)
    .map(([label, prefix]) => {
      const seconds = shares.filter((share) => share.name.startsWith(prefix)).reduce((sum, share) => sum + share.seconds, 0);
      return `${label} ${((seconds * 1000) / Math.max(1, requests)).toFixed(2)} ms`;
    })
    .join(', ');
}

/**
 * A warning line when other programs took more than a fifth of a core (the most of any 'other work'
 * share given): the figures are then the scheduler's sharing, not the system's own.
 */
export function contentionWarning(shares: readonly CpuShare[]): string | null {
  const other = Math.max(0, ...shares.filter((share) => share.name === 'other work').map((share) => share.percent));
  return other <= 20
    ? null
    : `    WARNING: other programs used up to ${other.toFixed(0)} % of a core meanwhile (load average ${loadavg()
        .map((value) => value.toFixed(2))
        .join(' ')}): rerun on a quiet machine for the closing figures`;
}
