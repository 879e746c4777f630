// Runs a vendor's own diagnostic program: no shell, a hard timeout (the whole process group is
// killed), output capped so a chatty tool cannot exhaust memory.
import { spawn } from 'node:child_process';
import type { CommandRunner, ExternalCommandResult } from './types';

export function createCommandRunner(): CommandRunner {
  return {
    run(command, args, { timeoutMs, maxOutputBytes = 256 * 1024 }) {
      const started = performance.now();
      return new Promise<ExternalCommandResult>((resolve) => {
        let stdout = '';
        let stderr = '';
        let timedOut = false;
        let settled = false;
        const child = spawn(command, args, {
          stdio: ['ignore', 'pipe', 'pipe'],
          detached: process.platform !== 'win32',
        });
        const kill = () => {
          try {
            if (child.pid !== undefined && process.platform !== 'win32') {
              process.kill(-child.pid, 'SIGKILL');
            } else {
              child.kill('SIGKILL');
            }
          } catch {
            // already gone
          }
        };
        const finish = (
          result: Omit<ExternalCommandResult, 'stdout' | 'stderr' | 'elapsedMs' | 'timedOut'>,
        ) => {
          if (settled) {
            return;
          }
          settled = true;
          clearTimeout(timer);
          resolve({ ...result, stdout, stderr, timedOut, elapsedMs: performance.now() - started });
        };
        const timer = setTimeout(() => {
          timedOut = true;
          kill();
          finish({ exitCode: null });
        }, timeoutMs);
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          if (stdout.length < maxOutputBytes) {
            stdout += chunk.slice(0, maxOutputBytes - stdout.length);
          }
        });
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
          if (stderr.length < maxOutputBytes) {
            stderr += chunk.slice(0, maxOutputBytes - stderr.length);
          }
        });
        child.once('error', (error) => finish({ exitCode: null, error: error.message }));
        child.once('close', (code) => finish({ exitCode: code }));
      });
    },
  };
}
