// Refusals the district's modules throw when a request cannot be done as asked. Each carries its
// HTTP status and machine code; the dashboard's one error handler (routes/dashboard.ts) answers
// with them, and the command line prints the message. The station intake refuses with
// intake/refusal.ts instead (the protocol's error codes).

export class DistrictError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The body, query or parameters are not what the route takes (400). */
export class InvalidInputError extends DistrictError {
  constructor(message: string, code = 'invalid') {
    super(400, code, message);
  }
}

/** The thing asked for does not exist (404). */
export class NotFoundError extends DistrictError {
  constructor(message: string) {
    super(404, 'not-found', message);
  }
}

/** The request clashes with what the district holds now: a fault's state, a loan, a duplicate (409). */
export class ConflictError extends DistrictError {
  constructor(message: string) {
    super(409, 'conflict', message);
  }
}

/** Not now: too many attempts (429) or too busy (503); answered with Retry-After in whole seconds. */
export class RetryLaterError extends DistrictError {
  constructor(
    status: 429 | 503,
    code: string,
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(status, code, message);
  }
}
