import type { FastifyInstance } from "fastify";
import { forbiddenKeyError, nonFiniteNumberError } from "./json-body-checks.js";

/**
 * Fastify's own JSON parser (with its prototype-poisoning protection), except that an empty body is
 * no body: `POST /api/jobs/{id}/retry` sent with `Content-Type: application/json` and nothing else is
 * fine, and a route that needs a body says `"body" must be an object` through its schema. A body with
 * a number beyond the double range, or a refused `__proto__` key, is a 400 that names it.
 */
export function registerJsonParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    const text = body as string;
    if (text === "") done(null, undefined);
    else
      parseJson(request, text, (error, value) => {
        const refusal = error ? (forbiddenKeyError(text) ?? error) : nonFiniteNumberError(text, value);
        if (refusal) done(refusal, undefined);
        else done(null, value);
      });
  });
}
