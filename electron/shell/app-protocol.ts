// The kiosk page's own origin, `app://siaga/`, and the decisions the Electron shell (main.ts) takes
// about it: which file a request maps to, where a frame may navigate, who may use the camera, when
// DevTools may open and whether the kiosk window may close. Electron-free, so it is unit-tested;
// main.ts only wires these answers to Electron's events.
//
// Contract: a request maps to a file strictly inside the renderer folder, or to nothing (404);
// percent-encoded dots and slashes, backslashes, NUL and another host are refused, never resolved,
// and so is any name Windows does not treat as a plain file (see isPlainFileName), on every platform.
import path from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'siaga';
/** The origin as Chromium reports it for a standard scheme. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/** Sent as a header with every response; the same as the meta tag of renderer/index.html (tested). */
export const APP_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob: mediastream:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** Whether `url` is a page of our own origin (any path, query or hash). */
export function isAppUrl(url: string | undefined): boolean {
  if (url === undefined) {
    return false;
  }
  try {
    const parsed = new URL(url);
    return (
      parsed.protocol === `${APP_SCHEME}:` &&
      parsed.host === APP_HOST &&
      parsed.username === '' &&
      parsed.password === ''
    );
  } catch {
    return false;
  }
}

/**
 * The file inside `rendererRoot` that `requestUrl` names, or null when it names none (another
 * scheme or host, a path leaving the folder, an encoded separator or NUL). `/` is index.html.
 */
export function resolveAppFile(rendererRoot: string, requestUrl: string): string | null {
  if (!isAppUrl(requestUrl)) {
    return null;
  }
  return resolveAppPath(rendererRoot, new URL(requestUrl).pathname);
}

/**
 * The file inside `rendererRoot` for a URL path as sent (percent-encoded). The URL parser already
 * folds `..`; this refuses one that survives (or is smuggled encoded) instead of trusting it.
 */
export function resolveAppPath(rendererRoot: string, rawPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  // An encoded '/' or '\' would be a separator only after decoding: refuse rather than guess.
  if (decoded.includes('\\') || decoded.includes('\0') || /%2f|%5c/i.test(rawPath)) {
    return null;
  }
  const segments = decoded.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment === '..' || segment === '.' || !isPlainFileName(segment))) {
    return null;
  }
  const root = path.resolve(rendererRoot);
  const file = path.resolve(root, ...(segments.length === 0 ? ['index.html'] : segments));
  const relative = path.relative(root, file);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    return null;
  }
  return file;
}

/**
 * DOS device names: in any folder and with any extension Windows opens the device, not a file
 * (`renderer\\COM1.js` is the serial port, `CON` the console). The superscript digits count too.
 */
const WINDOWS_DEVICE_NAME =
  /^(CON|PRN|AUX|NUL|COM[0-9\u00b9\u00b2\u00b3]|LPT[0-9\u00b9\u00b2\u00b3]|CONIN\$|CONOUT\$)$/i;

/**
 * Whether a path segment names the same plain file on Windows as elsewhere: no device name (the
 * part before the first dot, spaces trimmed), no `:` (an NTFS stream or a drive) and no trailing
 * dot or space (which Windows trims away).
 */
function isPlainFileName(segment: string): boolean {
  const base = segment.split('.')[0]!.trimEnd();
  return !/[. ]$/.test(segment) && !segment.includes(':') && !WINDOWS_DEVICE_NAME.test(base);
}

export function contentType(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** A frame may navigate only within our own origin (in-page hash routes included). */
export function navigationAllowed(targetUrl: string): boolean {
  return isAppUrl(targetUrl);
}

export interface PermissionQuestion {
  permission: string;
  /** The requesting page's URL or origin, as Electron gives it. */
  origin: string;
  /** For 'media' requests: the kinds asked for; absent in permission checks. */
  mediaTypes?: readonly string[];
}

/** Only our own page may use the camera ('media', video only); every other permission is refused. */
export function permissionAllowed(question: PermissionQuestion): boolean {
  if (question.permission !== 'media') {
    return false;
  }
  const videoOnly = (question.mediaTypes ?? []).every((type) => type === 'video');
  return videoOnly && isAppUrl(question.origin);
}

/** DevTools are a technician's tool: open only while a technician session (PIN) is live. */
export function devToolsAllowed(technicianSession: boolean): boolean {
  return technicianSession;
}

/**
 * Whether the window may close now. In kiosk mode the station must never be left without the app:
 * only quitting the app (shutdown, update, technician's quit) closes it.
 */
export function windowMayClose(options: { kiosk: boolean; quitting: boolean }): boolean {
  return !options.kiosk || options.quitting;
}
