// The OpenAPI 3.1 description served at GET /api/v1/openapi.json, generated from the protocol's zod schemas.
import * as z from 'zod';
import { BundleSchema } from '../../../protocol/bundle';
import { EventSchema, PROTOCOL_VERSION } from '../../../protocol/events';
import {
  EnrollRequestSchema,
  EnrollResponseSchema,
  ErrorResponseSchema,
  EventsRequestSchema,
  EventsResponseSchema,
  MAX_BODY_BYTES,
  MAX_EVENTS_PER_BATCH,
  PATHS,
  TimeResponseSchema,
} from '../../../protocol/requests';
import {
  HEADER_SIGNATURE,
  HEADER_STATION,
  HEADER_TIMESTAMP,
  SIGNATURE_SCHEME,
  TIMESTAMP_WINDOW_MS,
} from '../../../protocol/signing';

const SIGNING_DESCRIPTION = `Every request except enroll, time and this document is signed by the station with the
Ed25519 key it registered at enrollment (scheme ${SIGNATURE_SCHEME}).

Headers:
- \`${HEADER_STATION}\`: the station id returned by enroll.
- \`${HEADER_TIMESTAMP}\`: the station's clock at signing, integer milliseconds since the Unix epoch.
- \`${HEADER_SIGNATURE}\`: standard base64 (with padding) of the 64-byte Ed25519 signature.

The signed bytes are the UTF-8 encoding of
\`"${SIGNATURE_SCHEME}\\n" + METHOD + "\\n" + PATH + "\\n" + TIMESTAMP + "\\n" + lowercase_hex(SHA-256(body bytes))\`
where PATH is the request target as sent (path and query) and the body hash of an empty body is that of zero bytes.

The district refuses with 401 a request without valid headers (\`unsigned\`), from an unknown or
unenrolled station (\`unknown-station\`), whose timestamp is more than ${TIMESTAMP_WINDOW_MS / 1000} s from the server
clock (\`stale-timestamp\`) or whose signature does not verify (\`bad-signature\`); with 409 a second use of the same
signature (\`replayed\`). Every reply carries \`serverTime\` (ms): a station corrects its clock offset from it and
signs again, so a drifting clock delays reports but never loses them. Refused requests store nothing and are logged.`;

const schema = (zodSchema: z.ZodType): unknown => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(zodSchema, { unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
};

const errorResponses = (codes: number[]): Record<string, unknown> =>
  Object.fromEntries(
    codes.map((code) => [
      String(code),
      {
        description: 'Refused; nothing was stored. `error` says why.',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } },
      },
    ]),
  );

const json = (ref: string) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } });

let cached: Record<string, unknown> | undefined;

export function openApiDocument(): Record<string, unknown> {
  cached ??= {
    openapi: '3.1.0',
    info: {
      title: 'Siaga district API',
      version: `${PROTOCOL_VERSION}`,
      description: `Stations report device faults, heartbeats, daily checks, inventory and consumables to their district.\n\n${SIGNING_DESCRIPTION}\n\nBodies are at most ${MAX_BODY_BYTES} bytes of JSON (413 otherwise; 415 for another content type). Events carry unique time-ordered ids (ULID) and a per-station sequence number; the district stores each id once, so a station re-sends a batch whenever unsure.\n\nUSB-stick bundles (\`siaga-district bundle import FILE\`) hold the same signed requests; see components.schemas.Bundle. They are verified with the same code, without the timestamp window.`,
    },
    components: {
      securitySchemes: {
        siagaSignature: {
          type: 'apiKey',
          in: 'header',
          name: HEADER_SIGNATURE,
          description: SIGNING_DESCRIPTION,
        },
      },
      schemas: {
        Event: schema(EventSchema),
        EventsRequest: schema(EventsRequestSchema),
        EventsResponse: schema(EventsResponseSchema),
        EnrollRequest: schema(EnrollRequestSchema),
        EnrollResponse: schema(EnrollResponseSchema),
        TimeResponse: schema(TimeResponseSchema),
        ErrorResponse: schema(ErrorResponseSchema),
        Bundle: schema(BundleSchema),
      },
    },
    paths: {
      [PATHS.enroll]: {
        post: {
          summary: 'Register a station public key with a one-time enrollment code',
          description:
            'Unsigned: the one-time code printed by `siaga-district station add` is the credential. A code works once and expires.',
          requestBody: { required: true, content: json('EnrollRequest') },
          responses: {
            '200': { description: 'Enrolled', content: json('EnrollResponse') },
            ...errorResponses([400, 401, 413, 415]),
          },
        },
      },
      [PATHS.events]: {
        post: {
          summary: `Report a batch of 1..${MAX_EVENTS_PER_BATCH} events`,
          description:
            'All or nothing: a refused batch stores nothing. 200 means every id in accepted or duplicates is stored. 429 (with Retry-After) asks the station to slow down; 503 that the district is overloaded.',
          security: [{ siagaSignature: [] }],
          parameters: [HEADER_STATION, HEADER_TIMESTAMP, HEADER_SIGNATURE].map((name) => ({
            name,
            in: 'header',
            required: true,
            schema: { type: 'string' },
          })),
          requestBody: { required: true, content: json('EventsRequest') },
          responses: {
            '200': { description: 'Stored', content: json('EventsResponse') },
            ...errorResponses([400, 401, 403, 409, 413, 415, 429, 503]),
          },
        },
      },
      [PATHS.time]: {
        get: {
          summary: 'The district clock',
          responses: {
            '200': { description: 'Server time in ms since the epoch', content: json('TimeResponse') },
          },
        },
      },
      [PATHS.openapi]: {
        get: { summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1 JSON' } } },
      },
    },
  };
  return cached;
}
