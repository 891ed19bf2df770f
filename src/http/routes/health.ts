/**
 * `GET /healthz` (the process answers) and `GET /readyz` (recovery is done and no shutdown has begun);
 * both need no token.
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { Availability } from "../availability.js";
import { responses } from "../route-schema.js";

const StatusBody = Type.Object({ status: Type.String() });

/** The health routes, at the root. */
export const healthRoutes: FastifyPluginAsyncTypebox<{ availability: Availability }> = async (
  app,
  { availability },
) => {
  app.get(
    "/healthz",
    {
      schema: {
        tags: ["health"],
        security: [],
        summary: "Liveness: always 200",
        response: responses({ 200: StatusBody }),
      },
    },
    async () => ({ status: "ok" }),
  );
  app.get(
    "/readyz",
    {
      schema: {
        tags: ["health"],
        security: [],
        summary: "Readiness: 200 once recovery is done, 503 before and once shutdown has begun",
        response: responses({ 200: StatusBody }),
      },
    },
    async () => {
      availability.assertReady();
      return { status: "ready" };
    },
  );
};
