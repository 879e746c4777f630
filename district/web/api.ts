// The browser's client of the dashboard API: same-origin fetch with the session cookie, and the
// session's CSRF token in `x-csrf-token` on every state-changing request.
let csrfToken = '';

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** A refused form's message per field (FieldErrors in dash-api.ts); empty otherwise. */
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * The district a province or national user has drilled into (kept for the tab's life): every
 * district route of the dashboard API gets `?district=CODE`; null for a district's own staff.
 */
const DISTRICT_KEY = 'siaga.district';

export function chosenDistrict(): string | null {
  // None on the server, which renders the first view of a district's own staff (first-view.tsx).
  return typeof window === 'undefined' ? null : window.sessionStorage.getItem(DISTRICT_KEY);
}

export function chooseDistrict(code: string | null): void {
  if (code === null) {
    window.sessionStorage.removeItem(DISTRICT_KEY);
  } else {
    window.sessionStorage.setItem(DISTRICT_KEY, code);
  }
}

/** Routes that are not one district's: the session and the province and national views. */
const WIDE_PATHS = /^\/api\/dash\/(login|logout|session|rollup)\b/;

function withDistrict(path: string): string {
  const district = chosenDistrict();
  if (district === null || !path.startsWith('/api/dash/') || WIDE_PATHS.test(path)) {
    return path;
  }
  return `${path}${path.includes('?') ? '&' : '?'}district=${encodeURIComponent(district)}`;
}

let signedOutListener: (() => void) | null = null;

/** Called when the server answers 401 (no valid session) to any request but the login. */
export function onSignedOut(listener: (() => void) | null): void {
  signedOutListener = listener;
}

/** Whether a failure means "not signed in" (401), rather than a server that did not answer. */
export const isSignedOut = (failure: unknown): boolean =>
  failure instanceof ApiError && failure.status === 401;

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(withDistrict(path), {
    method,
    credentials: 'same-origin',
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(method === 'GET' ? {} : { 'x-csrf-token': csrfToken }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json().catch(() => ({}))) as {
    error?: string;
    message?: string;
    fields?: Record<string, string>;
  };
  if (!response.ok) {
    // The session ended (expired, or signed out in another tab): the App shows the login form.
    if (response.status === 401 && !path.startsWith('/api/dash/login')) {
      signedOutListener?.();
    }
    throw new ApiError(
      response.status,
      json.error ?? 'error',
      // A failure of the server (or of a proxy before it) says so in words, not "Internal Server Error".
      response.status >= 500
        ? `Server Siaga sedang bermasalah (${response.status}); coba lagi sebentar lagi (the server failed; try again shortly)`
        : (json.message ?? response.statusText),
      json.fields,
    );
  }
  return json as T;
}

export const api = {
  get: <T>(path: string): Promise<T> => request<T>('GET', path),
  post: <T>(path: string, body: unknown = {}): Promise<T> => request<T>('POST', path, body),
};

/** The text to show for a failed request. */
export const messageOf = (failure: unknown): string =>
  failure instanceof Error ? failure.message : String(failure);

/** Requests started before the page that needs them is mounted (the board, at load), by path. */
const prefetched = new Map<string, Promise<unknown>>();
/** Their answers once arrived, for a first render that shows them at once (`takeArrived`). */
const arrived = new Map<string, unknown>();

/** Starts a GET now, for `getOnce` or `takeArrived` later: the board's data loads while the session is checked. */
export function prefetch(path: string): void {
  const request = api.get(path);
  request.then(
    (value) => {
      if (prefetched.get(path) === request) {
        arrived.set(path, value);
      }
    },
    () => undefined,
  );
  prefetched.set(path, request);
}

/** An answer the page already carries (the server's first view): taken as if prefetched and arrived. */
export function provide(path: string, value: unknown): void {
  const request = Promise.resolve(value);
  prefetched.set(path, request);
  arrived.set(path, value);
}

/** Settles when every prefetch started so far has answered or failed, or after `limitMs`. */
export function prefetchesSettled(limitMs: number): Promise<void> {
  return Promise.race([
    Promise.allSettled([...prefetched.values()]).then(() => undefined),
    new Promise<void>((resolve) => window.setTimeout(resolve, limitMs)),
  ]);
}

/** The prefetched answer of `path` if it has already arrived (taken once), else undefined. */
export function takeArrived<T>(path: string): T | undefined {
  if (!arrived.has(path)) {
    return undefined;
  }
  const value = arrived.get(path) as T;
  arrived.delete(path);
  prefetched.delete(path);
  return value;
}

/** The prefetched GET of `path` (once), or a new one; a failed prefetch (not signed in yet) is retried. */
export function getOnce<T>(path: string): Promise<T> {
  const early = prefetched.get(path) as Promise<T> | undefined;
  prefetched.delete(path);
  arrived.delete(path);
  return early === undefined ? api.get<T>(path) : early.catch(() => api.get<T>(path));
}
