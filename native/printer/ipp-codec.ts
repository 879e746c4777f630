// A small IPP/1.1 message codec (RFC 8010 section 3): enough to send Get-Printer-Attributes and to
// read any response a printer or CUPS may send. The decoder is defensive: every length is checked
// against the buffer, collections nest at most MAX_COLLECTION_DEPTH deep, the message size and
// value count are capped, and the only exception it throws is IppDecodeError.

export const IPP_OPERATION_GET_PRINTER_ATTRIBUTES = 0x000b;
export const IPP_OPERATION_PRINT_JOB = 0x0002;

/** Delimiter tags (RFC 8010 section 3.5.1). */
export const IppGroupTag = {
  operation: 0x01,
  job: 0x02,
  endOfAttributes: 0x03,
  printer: 0x04,
  unsupported: 0x05,
  subscription: 0x06,
  eventNotification: 0x07,
  resource: 0x08,
  document: 0x09,
  system: 0x0a,
} as const;

/** Value tags (RFC 8010 section 3.5.2). */
export const IppValueTag = {
  unsupported: 0x10,
  unknown: 0x12,
  noValue: 0x13,
  notSettable: 0x15,
  deleteAttribute: 0x16,
  adminDefine: 0x17,
  integer: 0x21,
  boolean: 0x22,
  enum: 0x23,
  octetString: 0x30,
  dateTime: 0x31,
  resolution: 0x32,
  rangeOfInteger: 0x33,
  begCollection: 0x34,
  textWithLanguage: 0x35,
  nameWithLanguage: 0x36,
  endCollection: 0x37,
  textWithoutLanguage: 0x41,
  nameWithoutLanguage: 0x42,
  keyword: 0x44,
  uri: 0x45,
  uriScheme: 0x46,
  charset: 0x47,
  naturalLanguage: 0x48,
  mimeMediaType: 0x49,
  memberAttrName: 0x4a,
  extension: 0x7f,
} as const;

export interface IppDateTime {
  kind: 'dateTime';
  year: number;
  month: number;
  day: number;
  hour: number;
  minutes: number;
  seconds: number;
  deciSeconds: number;
  /** '+' or '-' from UTC. */
  utcDirection: string;
  utcHours: number;
  utcMinutes: number;
}

export interface IppResolution {
  kind: 'resolution';
  crossFeed: number;
  feed: number;
  /** 3 dots per inch, 4 dots per centimetre. */
  units: number;
}

export interface IppRange {
  kind: 'range';
  lower: number;
  upper: number;
}

export interface IppTextWithLanguage {
  kind: 'textWithLanguage';
  language: string;
  text: string;
}

export interface IppCollection {
  kind: 'collection';
  /** Null-prototype object: member names come from the wire. */
  members: Record<string, IppValue[]>;
}

export interface IppOutOfBand {
  kind: 'outOfBand';
  tag: number;
  /** unsupported, unknown, no-value, not-settable, delete-attribute, admin-define, or out-of-band-0xNN. */
  name: string;
}

/** octetString and value tags this codec does not know, kept as bytes. */
export interface IppOctets {
  kind: 'octets';
  tag: number;
  bytes: Uint8Array;
}

export type IppValue =
  | number
  | boolean
  | string
  | IppDateTime
  | IppResolution
  | IppRange
  | IppTextWithLanguage
  | IppCollection
  | IppOutOfBand
  | IppOctets;

export interface IppGroup {
  tag: number;
  /** Null-prototype object: attribute names come from the wire. */
  attributes: Record<string, IppValue[]>;
}

export interface IppResponse {
  version: { major: number; minor: number };
  statusCode: number;
  requestId: number;
  groups: IppGroup[];
}

export class IppDecodeError extends Error {
  override readonly name = 'IppDecodeError';
  constructor(
    message: string,
    /** Byte offset where decoding stopped. */
    readonly offset: number,
  ) {
    super(`${message} (at byte ${offset})`);
  }
}

export const MAX_IPP_MESSAGE_BYTES = 4 * 1024 * 1024;
const MAX_VALUES = 100_000;
const MAX_COLLECTION_DEPTH = 16;

const outOfBandNames: Record<number, string> = {
  0x10: 'unsupported',
  0x12: 'unknown',
  0x13: 'no-value',
  0x15: 'not-settable',
  0x16: 'delete-attribute',
  0x17: 'admin-define',
};

// ---------------------------------------------------------------------------------------------
// Encoding

/** A value with the tag it is sent with; a collection's members carry their own tags. */
export type IppTypedValue =
  | { tag: number; value: number | boolean | string }
  | { tag: number; value: Uint8Array }
  | { tag: number; value: IppDateTime | IppResolution | IppRange | IppTextWithLanguage | IppOutOfBand }
  | {
      tag: typeof IppValueTag.begCollection;
      value: { kind: 'collection'; members: Record<string, IppTypedValue[]> };
    };

export interface IppEncodeAttribute {
  name: string;
  values: IppTypedValue[];
}

export interface IppEncodeMessage {
  version?: { major: number; minor: number };
  /** operation-id in a request, status-code in a response. */
  code: number;
  requestId: number;
  groups: { tag: number; attributes: IppEncodeAttribute[] }[];
  /** Document data after end-of-attributes. */
  data?: Uint8Array;
}

class ByteWriter {
  private chunks: Uint8Array[] = [];
  private static readonly encoder = new TextEncoder();

  byte(value: number): void {
    this.chunks.push(Uint8Array.of(value & 0xff));
  }
  int16(value: number): void {
    this.chunks.push(Uint8Array.of((value >> 8) & 0xff, value & 0xff));
  }
  int32(value: number): void {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setInt32(0, value);
    this.chunks.push(bytes);
  }
  bytes(value: Uint8Array): void {
    this.chunks.push(value);
  }
  /** A two-byte length followed by the bytes. */
  sized(value: Uint8Array): void {
    if (value.length > 0xffff) {
      throw new RangeError(`IPP value of ${value.length} bytes exceeds 65535`);
    }
    this.int16(value.length);
    this.bytes(value);
  }
  text(value: string): Uint8Array {
    return ByteWriter.encoder.encode(value);
  }
  finish(): Uint8Array {
    const total = this.chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    const out = new Uint8Array(total);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
}

function encodeValueBytes(writer: ByteWriter, typed: IppTypedValue): Uint8Array {
  const { tag, value } = typed;
  if (value instanceof Uint8Array) {
    return value;
  }
  if (typeof value === 'number') {
    if (tag === IppValueTag.boolean) {
      return Uint8Array.of(value ? 1 : 0);
    }
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setInt32(0, value);
    return bytes;
  }
  if (typeof value === 'boolean') {
    return Uint8Array.of(value ? 1 : 0);
  }
  if (typeof value === 'string') {
    return writer.text(value);
  }
  switch (value.kind) {
    case 'dateTime': {
      const bytes = new Uint8Array(11);
      const view = new DataView(bytes.buffer);
      view.setUint16(0, value.year);
      bytes.set([value.month, value.day, value.hour, value.minutes, value.seconds, value.deciSeconds], 2);
      bytes[8] = value.utcDirection.charCodeAt(0) || 0x2b;
      bytes[9] = value.utcHours;
      bytes[10] = value.utcMinutes;
      return bytes;
    }
    case 'resolution': {
      const bytes = new Uint8Array(9);
      const view = new DataView(bytes.buffer);
      view.setInt32(0, value.crossFeed);
      view.setInt32(4, value.feed);
      bytes[8] = value.units;
      return bytes;
    }
    case 'range': {
      const bytes = new Uint8Array(8);
      const view = new DataView(bytes.buffer);
      view.setInt32(0, value.lower);
      view.setInt32(4, value.upper);
      return bytes;
    }
    case 'textWithLanguage': {
      const inner = new ByteWriter();
      inner.sized(inner.text(value.language));
      inner.sized(inner.text(value.text));
      return inner.finish();
    }
    case 'outOfBand':
      return new Uint8Array(0);
    case 'collection':
      return new Uint8Array(0);
  }
}

function encodeValue(writer: ByteWriter, name: string, typed: IppTypedValue): void {
  writer.byte(typed.tag);
  writer.sized(writer.text(name));
  if (
    typed.tag === IppValueTag.begCollection &&
    typeof typed.value === 'object' &&
    'kind' in typed.value &&
    typed.value.kind === 'collection'
  ) {
    writer.int16(0);
    for (const [member, values] of Object.entries(typed.value.members)) {
      writer.byte(IppValueTag.memberAttrName);
      writer.int16(0);
      writer.sized(writer.text(member));
      values.forEach((memberValue) => encodeValue(writer, '', memberValue));
    }
    writer.byte(IppValueTag.endCollection);
    writer.int16(0);
    writer.int16(0);
    return;
  }
  writer.sized(encodeValueBytes(writer, typed));
}

/** Encodes any IPP message; used for requests and, in tests, for responses. */
export function encodeIppMessage(message: IppEncodeMessage): Uint8Array {
  const writer = new ByteWriter();
  const version = message.version ?? { major: 1, minor: 1 };
  writer.byte(version.major);
  writer.byte(version.minor);
  writer.int16(message.code);
  writer.int32(message.requestId);
  for (const group of message.groups) {
    writer.byte(group.tag);
    for (const attribute of group.attributes) {
      attribute.values.forEach((typed, index) =>
        encodeValue(writer, index === 0 ? attribute.name : '', typed),
      );
    }
  }
  writer.byte(IppGroupTag.endOfAttributes);
  if (message.data) {
    writer.bytes(message.data);
  }
  return writer.finish();
}

export function encodeGetPrinterAttributes(request: {
  printerUri: string;
  requestId: number;
  requestedAttributes?: readonly string[];
  requestingUserName?: string;
}): Uint8Array {
  const operation: IppEncodeAttribute[] = [
    { name: 'attributes-charset', values: [{ tag: IppValueTag.charset, value: 'utf-8' }] },
    { name: 'attributes-natural-language', values: [{ tag: IppValueTag.naturalLanguage, value: 'en' }] },
    { name: 'printer-uri', values: [{ tag: IppValueTag.uri, value: request.printerUri }] },
  ];
  if (request.requestingUserName !== undefined) {
    operation.push({
      name: 'requesting-user-name',
      values: [{ tag: IppValueTag.nameWithoutLanguage, value: request.requestingUserName }],
    });
  }
  if (request.requestedAttributes && request.requestedAttributes.length > 0) {
    operation.push({
      name: 'requested-attributes',
      values: request.requestedAttributes.map((keyword) => ({ tag: IppValueTag.keyword, value: keyword })),
    });
  }
  return encodeIppMessage({
    code: IPP_OPERATION_GET_PRINTER_ATTRIBUTES,
    requestId: request.requestId,
    groups: [{ tag: IppGroupTag.operation, attributes: operation }],
  });
}

// ---------------------------------------------------------------------------------------------
// Decoding

const utf8 = new TextDecoder('utf-8', { fatal: false });

class ByteReader {
  offset = 0;
  private readonly view: DataView;
  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  get remaining(): number {
    return this.bytes.length - this.offset;
  }
  need(count: number, what: string): void {
    if (this.remaining < count) {
      throw new IppDecodeError(
        `truncated IPP message: ${what} needs ${count} bytes, ${this.remaining} left`,
        this.offset,
      );
    }
  }
  uint8(what: string): number {
    this.need(1, what);
    return this.bytes[this.offset++] as number;
  }
  uint16(what: string): number {
    this.need(2, what);
    const value = this.view.getUint16(this.offset);
    this.offset += 2;
    return value;
  }
  int32(what: string): number {
    this.need(4, what);
    const value = this.view.getInt32(this.offset);
    this.offset += 4;
    return value;
  }
  slice(count: number, what: string): Uint8Array {
    this.need(count, what);
    const value = this.bytes.subarray(this.offset, this.offset + count);
    this.offset += count;
    return value;
  }
}

function fixedLength(bytes: Uint8Array, expected: number, tag: number, start: number): void {
  if (bytes.length !== expected) {
    throw new IppDecodeError(
      `value tag 0x${tag.toString(16)} needs ${expected} bytes, got ${bytes.length}`,
      start,
    );
  }
}

function decodeSimpleValue(tag: number, bytes: Uint8Array, start: number): IppValue {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (tag >= 0x10 && tag <= 0x1f) {
    return { kind: 'outOfBand', tag, name: outOfBandNames[tag] ?? `out-of-band-0x${tag.toString(16)}` };
  }
  switch (tag) {
    case IppValueTag.integer:
    case IppValueTag.enum:
      fixedLength(bytes, 4, tag, start);
      return view.getInt32(0);
    case IppValueTag.boolean:
      fixedLength(bytes, 1, tag, start);
      return bytes[0] !== 0;
    case IppValueTag.dateTime: {
      fixedLength(bytes, 11, tag, start);
      return {
        kind: 'dateTime',
        year: view.getUint16(0),
        month: view.getUint8(2),
        day: view.getUint8(3),
        hour: view.getUint8(4),
        minutes: view.getUint8(5),
        seconds: view.getUint8(6),
        deciSeconds: view.getUint8(7),
        utcDirection: String.fromCharCode(view.getUint8(8)),
        utcHours: view.getUint8(9),
        utcMinutes: view.getUint8(10),
      };
    }
    case IppValueTag.resolution:
      fixedLength(bytes, 9, tag, start);
      return {
        kind: 'resolution',
        crossFeed: view.getInt32(0),
        feed: view.getInt32(4),
        units: view.getUint8(8),
      };
    case IppValueTag.rangeOfInteger:
      fixedLength(bytes, 8, tag, start);
      return { kind: 'range', lower: view.getInt32(0), upper: view.getInt32(4) };
    case IppValueTag.textWithLanguage:
    case IppValueTag.nameWithLanguage: {
      const inner = new ByteReader(bytes);
      const languageLength = inner.uint16('language length');
      const language = utf8.decode(inner.slice(languageLength, 'language'));
      const textLength = inner.uint16('text length');
      const text = utf8.decode(inner.slice(textLength, 'text'));
      if (inner.remaining !== 0) {
        throw new IppDecodeError(`${inner.remaining} stray bytes after a text/name with language`, start);
      }
      return { kind: 'textWithLanguage', language, text };
    }
    case IppValueTag.textWithoutLanguage:
    case IppValueTag.nameWithoutLanguage:
    case IppValueTag.keyword:
    case IppValueTag.uri:
    case IppValueTag.uriScheme:
    case IppValueTag.charset:
    case IppValueTag.naturalLanguage:
    case IppValueTag.mimeMediaType:
    case IppValueTag.memberAttrName:
      return utf8.decode(bytes);
    default:
      return { kind: 'octets', tag, bytes: bytes.slice() };
  }
}

interface RawValue {
  tag: number;
  name: string;
  bytes: Uint8Array;
  start: number;
}

function readRawValue(reader: ByteReader, tag: number, start: number): RawValue {
  const nameLength = reader.uint16('name length');
  const name = utf8.decode(reader.slice(nameLength, 'attribute name'));
  const valueLength = reader.uint16('value length');
  const bytes = reader.slice(valueLength, 'attribute value');
  return { tag, name, bytes, start };
}

function newRecord(): Record<string, IppValue[]> {
  return Object.create(null) as Record<string, IppValue[]>;
}

class Decoder {
  private valueCount = 0;
  constructor(private readonly reader: ByteReader) {}

  private countValue(start: number): void {
    this.valueCount += 1;
    if (this.valueCount > MAX_VALUES) {
      throw new IppDecodeError(`more than ${MAX_VALUES} values`, start);
    }
  }

  /** Reads the members after a begCollection up to and including its endCollection. */
  private collection(depth: number, start: number): IppCollection {
    if (depth > MAX_COLLECTION_DEPTH) {
      throw new IppDecodeError(`collections nested deeper than ${MAX_COLLECTION_DEPTH}`, start);
    }
    const members = newRecord();
    let current: IppValue[] | undefined;
    for (;;) {
      const valueStart = this.reader.offset;
      const tag = this.reader.uint8('collection member tag');
      if (tag < 0x10) {
        throw new IppDecodeError('collection not closed by endCollection', valueStart);
      }
      const raw = readRawValue(this.reader, tag, valueStart);
      if (tag === IppValueTag.endCollection) {
        return { kind: 'collection', members };
      }
      if (tag === IppValueTag.memberAttrName) {
        const memberName = utf8.decode(raw.bytes);
        current = members[memberName] ?? [];
        members[memberName] = current;
        continue;
      }
      if (current === undefined) {
        throw new IppDecodeError('collection value before any memberAttrName', valueStart);
      }
      current.push(this.value(raw, depth));
    }
  }

  private value(raw: RawValue, depth: number): IppValue {
    this.countValue(raw.start);
    if (raw.tag === IppValueTag.begCollection) {
      return this.collection(depth + 1, raw.start);
    }
    if (raw.tag === IppValueTag.endCollection) {
      throw new IppDecodeError('endCollection outside a collection', raw.start);
    }
    return decodeSimpleValue(raw.tag, raw.bytes, raw.start);
  }

  message(): IppResponse {
    const reader = this.reader;
    const major = reader.uint8('version');
    const minor = reader.uint8('version');
    if (major < 1 || major > 2) {
      throw new IppDecodeError(`unsupported IPP version ${major}.${minor}`, 0);
    }
    const statusCode = reader.uint16('status-code');
    const requestId = reader.int32('request-id');
    const groups: IppGroup[] = [];
    let group: IppGroup | undefined;
    let lastValues: IppValue[] | undefined;
    for (;;) {
      const start = reader.offset;
      const tag = reader.uint8('tag');
      if (tag === IppGroupTag.endOfAttributes) {
        return { version: { major, minor }, statusCode, requestId, groups };
      }
      if (tag < 0x10) {
        if (tag === 0x00) {
          throw new IppDecodeError('reserved delimiter tag 0x00', start);
        }
        group = { tag, attributes: newRecord() };
        groups.push(group);
        lastValues = undefined;
        continue;
      }
      if (group === undefined) {
        throw new IppDecodeError('attribute before any group tag', start);
      }
      const raw = readRawValue(reader, tag, start);
      const value = this.value(raw, 0);
      if (raw.name.length === 0) {
        if (lastValues === undefined) {
          throw new IppDecodeError('additional value without an attribute', start);
        }
        lastValues.push(value);
      } else {
        lastValues = group.attributes[raw.name] ?? [];
        group.attributes[raw.name] = lastValues;
        lastValues.push(value);
      }
    }
  }
}

/** Decodes an IPP response (or request); throws IppDecodeError and nothing else. */
export function decodeIppResponse(buffer: Uint8Array, options: { maxBytes?: number } = {}): IppResponse {
  const maxBytes = options.maxBytes ?? MAX_IPP_MESSAGE_BYTES;
  if (!(buffer instanceof Uint8Array)) {
    throw new IppDecodeError('IPP message is not a byte array', 0);
  }
  if (buffer.length > maxBytes) {
    throw new IppDecodeError(`IPP message of ${buffer.length} bytes exceeds ${maxBytes}`, 0);
  }
  if (buffer.length < 9) {
    throw new IppDecodeError(`truncated IPP message: ${buffer.length} bytes`, buffer.length);
  }
  try {
    return new Decoder(new ByteReader(buffer)).message();
  } catch (error) {
    if (error instanceof IppDecodeError) {
      throw error;
    }
    throw new IppDecodeError(
      `malformed IPP message: ${error instanceof Error ? error.message : String(error)}`,
      0,
    );
  }
}

/** IPP status-code names for messages (RFC 8011 section 4.1.6, the ones a status poll meets). */
export function ippStatusName(code: number): string {
  const names: Record<number, string> = {
    0x0000: 'successful-ok',
    0x0001: 'successful-ok-ignored-or-substituted-attributes',
    0x0002: 'successful-ok-conflicting-attributes',
    0x0400: 'client-error-bad-request',
    0x0401: 'client-error-forbidden',
    0x0402: 'client-error-not-authenticated',
    0x0403: 'client-error-not-authorized',
    0x0404: 'client-error-not-possible',
    0x0405: 'client-error-timeout',
    0x0406: 'client-error-not-found',
    0x0407: 'client-error-gone',
    0x040b: 'client-error-attributes-or-values-not-supported',
    0x0500: 'server-error-internal-error',
    0x0501: 'server-error-operation-not-supported',
    0x0502: 'server-error-service-unavailable',
    0x0503: 'server-error-version-not-supported',
    0x0507: 'server-error-busy',
  };
  return names[code] ?? `0x${code.toString(16).padStart(4, '0')}`;
}
