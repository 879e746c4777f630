// Every reply to a request that carries a station's nonce is signed with the district key
// (protocol/signing.ts, SIAGA1-REPLY): events replies, refusals (fastify's own included), the
// enrollment reply. Requests without a nonce (browsers, the dashboard) get no signature.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HEADER_NONCE, HEADER_REPLY_SIGNATURE, isNonce } from '../../../protocol/signing';
import type { DistrictKey } from './district-key';
import { signReply } from './signature';

export function signRepliesHook(
  key: DistrictKey,
): (request: FastifyRequest, reply: FastifyReply, payload: unknown) => Promise<unknown> {
  return async (request, reply, payload) => {
    const nonce = request.headers[HEADER_NONCE];
    if (!isNonce(nonce)) {
      return payload;
    }
    // Streams (static files) are never an answer a station acts on.
    const body = payload === null || payload === undefined ? '' : payload;
    if (typeof body === 'string' || Buffer.isBuffer(body)) {
      void reply.header(HEADER_REPLY_SIGNATURE, signReply(key.privateKey, nonce, reply.statusCode, body));
    }
    return payload;
  };
}
