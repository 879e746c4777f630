// One signed POST of a batch to a pinned peer (a station to its district, a district to its
// province): a fresh nonce, the sender's signature headers, a timeout, a capped reply body, and the
// reply counts only when it is signed over that nonce by the pinned key (else nothing is deleted).
import { HEADER_NONCE, HEADER_REPLY_SIGNATURE } from '../protocol/signing';
import { newNonce, verifyReply } from './ed25519';
import { readReplyBody } from './pinned-fetch';

export type SignedPostResult =
  { ok: true; response: Response; reply: unknown } | { ok: false; reason: string };

export async function postSigned(input: {
  fetch: typeof fetch;
  url: URL;
  body: string;
  /** The sender's signature headers for this body and time (they do not cover the nonce). */
  signatureHeaders: Record<string, string>;
  timeoutMs: number;
  /** The pinned public key (raw base64) the reply must be signed with. */
  replyKey: string;
  /** Names that key in a refusal, e.g. `district`, `upstream`. */
  replyKeyName: string;
}): Promise<SignedPostResult> {
  const nonce = newNonce();
  let response: Response;
  let bytes: Buffer;
  try {
    response = await input.fetch(input.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [HEADER_NONCE]: nonce, ...input.signatureHeaders },
      body: input.body,
      signal: AbortSignal.timeout(input.timeoutMs),
    });
    bytes = await readReplyBody(response);
  } catch (error) {
    return { ok: false, reason: `network: ${(error as Error).message}` };
  }
  if (
    !verifyReply(input.replyKey, nonce, response.status, bytes, response.headers.get(HEADER_REPLY_SIGNATURE))
  ) {
    return {
      ok: false,
      reason: `unverified reply (HTTP ${response.status}): not signed for this request by the pinned ${input.replyKeyName} key; nothing deleted`,
    };
  }
  let reply: unknown = null;
  try {
    reply = JSON.parse(bytes.toString('utf8'));
  } catch {
    // Signed but not JSON: the caller treats it as an unreadable reply.
  }
  return { ok: true, response, reply };
}
