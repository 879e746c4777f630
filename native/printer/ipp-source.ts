// PrinterStatusSource over IPP: one Get-Printer-Attributes POST to CUPS or to the printer itself,
// with a hard timeout, mapped onto PrinterStatus.
import http from 'node:http';
import https from 'node:https';
import {
  decodeIppResponse,
  encodeGetPrinterAttributes,
  IppDecodeError,
  IppGroupTag,
  ippStatusName,
} from './ipp-codec';
import type { IppResponse, IppValue } from './ipp-codec';
import type { PrinterMarker, PrinterPath, PrinterStatus, PrinterStatusSource } from './types';

export const DEFAULT_IPP_PORT = 631;

export const STATUS_ATTRIBUTES = [
  'printer-name',
  'printer-state',
  'printer-state-reasons',
  'printer-state-message',
  'printer-is-accepting-jobs',
  'printer-make-and-model',
  'printer-info',
  'printer-location',
  'printer-up-time',
  'queued-job-count',
  'marker-names',
  'marker-types',
  'marker-colors',
  'marker-levels',
  'marker-low-levels',
  'marker-high-levels',
  'marker-message',
  'printer-supply',
  'printer-supply-description',
] as const;

export interface IppStatusSourceOptions {
  /** Responses larger than this are refused as bad-response. */
  maxResponseBytes?: number;
  requestingUserName?: string;
  requestedAttributes?: readonly string[];
}

interface Endpoint {
  /** What is sent as printer-uri (always ipp:// or ipps://). */
  printerUri: string;
  /** Where the POST goes. */
  url: URL;
}

/**
 * A CUPS queue name becomes ipp://localhost:631/printers/NAME. ipp:// and ipps:// are HTTP and
 * HTTPS on the same port (default 631); http:// and https:// are used as given.
 */
export function resolvePrinterEndpoint(queue: string): Endpoint {
  if (!queue.includes('://')) {
    const printerUri = `ipp://localhost:${DEFAULT_IPP_PORT}/printers/${encodeURIComponent(queue)}`;
    return {
      printerUri,
      url: new URL(`http://localhost:${DEFAULT_IPP_PORT}/printers/${encodeURIComponent(queue)}`),
    };
  }
  const parsed = new URL(queue);
  const schemes: Record<string, { http: string; ipp: string }> = {
    'ipp:': { http: 'http:', ipp: 'ipp:' },
    'ipps:': { http: 'https:', ipp: 'ipps:' },
    'http:': { http: 'http:', ipp: 'ipp:' },
    'https:': { http: 'https:', ipp: 'ipps:' },
  };
  const scheme = schemes[parsed.protocol];
  if (scheme === undefined) {
    throw new Error(`unsupported printer URI scheme ${parsed.protocol}`);
  }
  const isIpp = parsed.protocol === 'ipp:' || parsed.protocol === 'ipps:';
  const port =
    parsed.port !== ''
      ? parsed.port
      : isIpp
        ? String(DEFAULT_IPP_PORT)
        : parsed.protocol === 'https:'
          ? '443'
          : '80';
  const path = `${parsed.pathname}${parsed.search}`;
  return {
    printerUri: `${scheme.ipp}//${parsed.hostname}:${port}${path}`,
    url: new URL(`${scheme.http}//${parsed.hostname}:${port}${path}`),
  };
}

/**
 * A CUPS queue name, or a URI on a CUPS queue path (/printers/NAME, /classes/NAME), is a spooler
 * queue; any other URI (IPP Everywhere printers serve /ipp/print) is a printer reached directly.
 */
export function printerPath(queue: string): PrinterPath {
  if (!queue.includes('://')) {
    return 'spooler';
  }
  try {
    return /^\/(printers|classes)\//.test(new URL(queue).pathname) ? 'spooler' : 'printer';
  } catch {
    return 'printer';
  }
}

interface HttpReply {
  statusCode: number;
  contentType: string;
  body: Buffer;
}

class ResponseTooLarge extends Error {}
/** The peer closed the connection before the whole response arrived. */
class ConnectionDropped extends Error {}

function post(url: URL, body: Uint8Array, signal: AbortSignal, maxBytes: number): Promise<HttpReply> {
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/ipp', 'content-length': body.length, connection: 'close' },
        signal,
        // One connection per poll: nothing is left open between polls of a station that runs for weeks.
        agent: false,
        // Printers and CUPS serve ipps with self-signed certificates; status is not secret.
        ...(url.protocol === 'https:' ? { rejectUnauthorized: false } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            response.destroy(new ResponseTooLarge(`response exceeds ${maxBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        response.once('error', (error: NodeJS.ErrnoException) =>
          reject(
            error instanceof ResponseTooLarge
              ? error
              : new ConnectionDropped(
                  `connection closed during the response: ${error.code ?? error.message}`,
                ),
          ),
        );
        response.once('aborted', () =>
          reject(new ConnectionDropped('connection closed during the response')),
        );
        response.once('end', () =>
          resolve({
            statusCode: response.statusCode ?? 0,
            contentType: String(response.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    request.once('error', (error) => {
      // A parse error leaves the socket open to a peer that may never close it.
      request.destroy();
      reject(error);
    });
    request.end(body);
  });
}

const unreachableCodes = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
  'ENETDOWN',
  'EHOSTDOWN',
]);

/** The peer closed or reset the connection while the request or its response was under way. */
const droppedCodes = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

function classifyError(
  error: unknown,
  timedOut: boolean,
): { reason: 'unreachable' | 'dropped' | 'timeout' | 'bad-response' | 'error'; message: string } {
  const message = error instanceof Error ? error.message : String(error);
  if (timedOut) {
    return { reason: 'timeout', message: 'no response before the timeout' };
  }
  const code =
    typeof error === 'object' && error !== null && 'code' in error
      ? String((error as { code: unknown }).code)
      : '';
  if (unreachableCodes.has(code)) {
    return { reason: 'unreachable', message: `${code}: ${message}` };
  }
  if (error instanceof ConnectionDropped || droppedCodes.has(code)) {
    return { reason: 'dropped', message: code ? `${code}: ${message}` : message };
  }
  if (code.startsWith('HPE_') || error instanceof ResponseTooLarge) {
    return { reason: 'bad-response', message: code ? `${code}: ${message}` : message };
  }
  return { reason: 'error', message: code ? `${code}: ${message}` : message };
}

function firstValue(values: IppValue[] | undefined): IppValue | undefined {
  return values?.[0];
}

function asString(value: IppValue | undefined): string | undefined {
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'object' && value.kind === 'textWithLanguage') {
    return value.text;
  }
  if (typeof value === 'object' && value.kind === 'octets') {
    return new TextDecoder('utf-8').decode(value.bytes);
  }
  return undefined;
}

function asNumber(value: IppValue | undefined): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/** JSON-friendly copy of a value for technicians. */
function toPlain(value: IppValue): unknown {
  if (typeof value !== 'object') {
    return value;
  }
  switch (value.kind) {
    case 'octets':
      return asString(value);
    case 'textWithLanguage':
      return value.text;
    case 'outOfBand':
      return `(${value.name})`;
    case 'collection': {
      const members: Record<string, unknown> = {};
      for (const [name, values] of Object.entries(value.members)) {
        Object.defineProperty(members, name, {
          value: plainValues(values),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return members;
    }
    default: {
      const { kind: _kind, ...rest } = value;
      return rest;
    }
  }
}

function plainValues(values: IppValue[]): unknown {
  return values.length === 1 ? toPlain(values[0] as IppValue) : values.map(toPlain);
}

const severitySuffix = /-(report|warning|error)$/;

export function splitStateReasons(
  keywords: readonly string[],
): Pick<PrinterStatus, 'reasons' | 'reasonSeverity'> {
  const reasons: string[] = [];
  const reasonSeverity: PrinterStatus['reasonSeverity'] = {};
  for (const keyword of keywords) {
    const match = severitySuffix.exec(keyword);
    const reason = match ? keyword.slice(0, match.index) : keyword;
    if (reason === 'none' || reason === '' || reasons.includes(reason)) {
      continue;
    }
    reasons.push(reason);
    // RFC 8011 section 5.4.12: a reason without a suffix is to be taken as an error.
    Object.defineProperty(reasonSeverity, reason, {
      value: (match?.[1] ?? 'error') as 'report' | 'warning' | 'error',
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return { reasons, reasonSeverity };
}

/**
 * printer-supply values (PWG 5100.13) look like
 * `index=2;class=supplyThatIsConsumed;type=toner;unit=percent;maxcapacity=100;level=5;colorantname=black;`.
 */
function markersFromSupplies(supplies: IppValue[], descriptions: IppValue[]): PrinterMarker[] {
  return supplies.flatMap((supply, index) => {
    const text = asString(supply);
    if (text === undefined) {
      return [];
    }
    const fields = new Map(
      text
        .split(';')
        .map((pair) => pair.split('='))
        .filter((pair) => pair.length === 2)
        .map(([key, value]) => [String(key).trim().toLowerCase(), String(value).trim()]),
    );
    const level = Number(fields.get('level'));
    const capacity = Number(fields.get('maxcapacity'));
    let percent = -1;
    if (Number.isInteger(level) && level < 0) {
      percent = level;
    } else if (Number.isFinite(level) && fields.get('unit') === 'percent') {
      percent = Math.min(100, level);
    } else if (Number.isFinite(level) && Number.isFinite(capacity) && capacity > 0) {
      percent = Math.round((level * 100) / capacity);
    }
    return [
      {
        name: asString(descriptions[index]) ?? fields.get('colorantname') ?? `supply-${index + 1}`,
        type: fields.get('type') ?? 'unknown',
        level: percent,
      },
    ];
  });
}

export function markersFromAttributes(attributes: Record<string, IppValue[]>): PrinterMarker[] {
  const names = attributes['marker-names'] ?? [];
  const types = attributes['marker-types'] ?? [];
  const levels = attributes['marker-levels'] ?? [];
  const lowLevels = attributes['marker-low-levels'] ?? [];
  const count = Math.max(names.length, levels.length);
  if (count === 0) {
    return markersFromSupplies(
      attributes['printer-supply'] ?? [],
      attributes['printer-supply-description'] ?? [],
    );
  }
  const markers: PrinterMarker[] = [];
  for (let index = 0; index < count; index += 1) {
    const marker: PrinterMarker = {
      name: asString(names[index]) ?? `marker-${index + 1}`,
      type: asString(types[index]) ?? 'unknown',
      level: asNumber(levels[index]) ?? -1,
    };
    const lowLevel = asNumber(lowLevels[index]);
    if (lowLevel !== undefined) {
      marker.lowLevel = lowLevel;
    }
    markers.push(marker);
  }
  return markers;
}

const printerStates: Record<number, PrinterStatus['state']> = { 3: 'idle', 4: 'processing', 5: 'stopped' };

/** Maps the printer attributes group of a Get-Printer-Attributes response. */
export function statusFromIppResponse(queue: string, response: IppResponse): PrinterStatus {
  const attributes: Record<string, IppValue[]> = Object.create(null) as Record<string, IppValue[]>;
  for (const group of response.groups) {
    if (group.tag === IppGroupTag.printer) {
      for (const [name, values] of Object.entries(group.attributes)) {
        attributes[name] = values;
      }
    }
  }
  const raw: Record<string, unknown> = {};
  for (const [name, values] of Object.entries(attributes)) {
    Object.defineProperty(raw, name, {
      value: plainValues(values),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  const reasonKeywords = (attributes['printer-state-reasons'] ?? []).flatMap((value) => {
    const text = asString(value);
    return text === undefined ? [] : [text];
  });
  const status: PrinterStatus = {
    queue,
    state: printerStates[asNumber(firstValue(attributes['printer-state'])) ?? 0] ?? 'unknown',
    ...splitStateReasons(reasonKeywords),
    markers: markersFromAttributes(attributes),
    raw,
  };
  const accepting = firstValue(attributes['printer-is-accepting-jobs']);
  if (typeof accepting === 'boolean') {
    status.acceptingJobs = accepting;
  }
  const message = asString(firstValue(attributes['printer-state-message']));
  if (message !== undefined) {
    status.stateMessage = message;
  }
  const makeAndModel = asString(firstValue(attributes['printer-make-and-model']));
  if (makeAndModel !== undefined) {
    status.makeAndModel = makeAndModel;
  }
  return status;
}

export function createIppStatusSource(options: IppStatusSourceOptions = {}): PrinterStatusSource {
  const maxResponseBytes = options.maxResponseBytes ?? 1024 * 1024;
  const requestedAttributes = options.requestedAttributes ?? STATUS_ATTRIBUTES;
  let nextRequestId = 1;
  return {
    async getStatus(queue, { timeoutMs }) {
      const started = performance.now();
      const elapsed = () => Math.round(performance.now() - started);
      let endpoint: Endpoint;
      try {
        endpoint = resolvePrinterEndpoint(queue);
      } catch (error) {
        return {
          ok: false,
          reason: 'error',
          message: error instanceof Error ? error.message : String(error),
          elapsedMs: elapsed(),
        };
      }
      const requestId = nextRequestId;
      nextRequestId = (nextRequestId % 0x7fffffff) + 1;
      const body = encodeGetPrinterAttributes({
        printerUri: endpoint.printerUri,
        requestId,
        requestedAttributes,
        ...(options.requestingUserName !== undefined
          ? { requestingUserName: options.requestingUserName }
          : {}),
      });
      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeoutMs);
      let reply: HttpReply;
      try {
        reply = await post(endpoint.url, body, controller.signal, maxResponseBytes);
      } catch (error) {
        return { ok: false, ...classifyError(error, timedOut), elapsedMs: elapsed() };
      } finally {
        clearTimeout(timer);
      }
      if (reply.statusCode === 404) {
        return {
          ok: false,
          reason: 'not-found',
          message: `HTTP 404 for ${endpoint.url.href}`,
          elapsedMs: elapsed(),
        };
      }
      if (reply.statusCode !== 200) {
        return {
          ok: false,
          // 503 is a peer too busy to answer now (it says so), not a broken one.
          reason: reply.statusCode >= 500 && reply.statusCode !== 503 ? 'failed' : 'error',
          message: `HTTP ${reply.statusCode} for ${endpoint.url.href}`,
          elapsedMs: elapsed(),
        };
      }
      let response: IppResponse;
      try {
        response = decodeIppResponse(reply.body, { maxBytes: maxResponseBytes });
      } catch (error) {
        const detail = error instanceof IppDecodeError ? error.message : String(error);
        return {
          ok: false,
          reason: 'bad-response',
          message: `not an IPP response (${reply.contentType || 'no content-type'}): ${detail}`,
          elapsedMs: elapsed(),
        };
      }
      if (response.statusCode === 0x0406) {
        return {
          ok: false,
          reason: 'not-found',
          message: `${ippStatusName(response.statusCode)} for ${endpoint.printerUri}`,
          elapsedMs: elapsed(),
        };
      }
      if (response.statusCode >= 0x0100) {
        return {
          ok: false,
          // server-error-* (0x05xx) but server-error-busy (0x0507): the printer says it failed.
          reason:
            response.statusCode >= 0x0500 && response.statusCode < 0x0600 && response.statusCode !== 0x0507
              ? 'failed'
              : 'error',
          message: `${ippStatusName(response.statusCode)} for ${endpoint.printerUri}`,
          elapsedMs: elapsed(),
        };
      }
      return { ok: true, status: statusFromIppResponse(queue, response), elapsedMs: elapsed() };
    },
  };
}
