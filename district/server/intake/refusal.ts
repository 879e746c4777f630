// A refused request: the protocol's error code, its HTTP status, and an English message.
import { ERROR_STATUS } from '../../../protocol/requests';
import type { ErrorCode } from '../../../protocol/requests';

export class Refusal extends Error {
  readonly status: number;

  constructor(
    readonly error: ErrorCode,
    message: string,
    /** The claimed station (unverified unless the error comes after signature verification). */
    readonly stationId: string | null = null,
    /** For rate-limited / unavailable. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'Refusal';
    this.status = ERROR_STATUS[error];
  }
}
