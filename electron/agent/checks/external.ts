// A vendor's own diagnostic program as a check: exit code 0 and, when configured, an output
// pattern mean a pass.
import type { ExternalCommandResult } from '../../../native/system/types';
import type { RoleSpec } from '../profile';
import type { Outcome } from './outcome';
import { ok } from './outcome';

type ExternalCheck = NonNullable<RoleSpec['external']>[number];

export function checkExternalResult(
  check: ExternalCheck,
  result: ExternalCommandResult,
): Outcome {
  const measurements: Record<string, unknown> = {
    external: check.name,
    command: [check.command, ...check.args].join(' '),
    exitCode: result.exitCode,
    timedOut: result.timedOut,
    elapsedMs: Math.round(result.elapsedMs),
    output: (result.stdout + result.stderr).slice(-2000),
  };
  if (result.error) {
    measurements.error = result.error;
    return { status: 'unknown', suffix: 'CHECK_ERROR', measurements };
  }
  if (result.timedOut) {
    return { status: 'fault', suffix: 'NOT_RESPONDING', measurements };
  }
  let patternOk = true;
  if (check.okPattern !== undefined) {
    try {
      patternOk = new RegExp(check.okPattern, 'm').test(result.stdout);
    } catch (error) {
      measurements.error = `okPattern: ${(error as Error).message}`;
      return { status: 'unknown', suffix: 'CHECK_ERROR', measurements };
    }
  }
  if (result.exitCode !== 0 || !patternOk) {
    return { status: 'fault', suffix: 'EXTERNAL_FAILED', measurements };
  }
  return ok(measurements);
}
