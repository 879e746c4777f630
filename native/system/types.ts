// Contracts of the system adapters: PC health, network reachability, external diagnostic commands.

export interface SystemSnapshot {
  diskFreeBytes: number;
  diskTotalBytes: number;
  memoryFreeBytes: number;
  memoryTotalBytes: number;
  uptimeSeconds: number;
  /** Local clock in ms since the epoch when sampled. */
  clockMs: number;
  hostname: string;
  platform: string;
}

export interface SystemProbe {
  snapshot(dataPath: string): Promise<SystemSnapshot>;
}

export type ReachabilityResult =
  | { ok: true; latencyMs: number; httpStatus?: number; serverDate?: string }
  | {
      ok: false;
      reason: 'dns' | 'refused' | 'timeout' | 'tls' | 'http-error' | 'error';
      message: string;
      latencyMs: number;
    };

export interface NetworkProbe {
  /** TCP connect (tcp://host:port) or HTTP(S) GET (http[s]://...) with a timeout. */
  reach(url: string, options: { timeoutMs: number }): Promise<ReachabilityResult>;
}

export interface ExternalCommandResult {
  exitCode: number | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  elapsedMs: number;
  /** spawn failure: the program does not exist, ... */
  error?: string;
}

export interface CommandRunner {
  run(
    command: string,
    args: string[],
    options: { timeoutMs: number; maxOutputBytes?: number },
  ): Promise<ExternalCommandResult>;
}
