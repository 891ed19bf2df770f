import type { FastifyInstance } from "fastify";

/**
 * Fastify's own JSON parser (with its prototype-poisoning protection), except that an empty body is
 * no body: `POST /api/jobs/{id}/retry` sent with `Content-Type: application/json` and nothing else is
 * fine, and a route that needs a body says `"body" must be an object` through its schema.
 */
export function registerJsonParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    if (body === "") done(null, undefined);
    else parseJson(request, body as string, done);
  });
}
