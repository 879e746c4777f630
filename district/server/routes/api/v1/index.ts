// The station API under /api/v1, as one encapsulated plugin. Signatures cover the exact body
// bytes, so here (and only here) a JSON body is kept raw and parsed by the routes after
// verification; any other content type is refused with 415.
import type { FastifyInstance } from 'fastify';
import { MAX_BODY_BYTES } from '../../../../../protocol/requests';
import enrollRoute from './enroll';
import eventsRoute from './events';
import openApiRoute from './openapi';
import peersRoute from './peers';
import timeRoute from './time';

export default async function stationApi(app: FastifyInstance): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES },
    (_request, body, done) => {
      done(null, body);
    },
  );
  await app.register(enrollRoute);
  await app.register(eventsRoute);
  await app.register(timeRoute);
  await app.register(openApiRoute);
  await app.register(peersRoute);
}
