/** `GET /healthz` (the process answers) and `GET /readyz` (recovery is done); both need no token. */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { notReady } from "../api-guard.js";
import { responses } from "../route-schema.js";

const StatusBody = Type.Object({ status: Type.String() });

/** The health routes, at the root. */
export const healthRoutes: FastifyPluginAsyncTypebox<{ isReady: () => boolean }> = async (
  app,
  { isReady },
) => {
  app.get(
    "/healthz",
    {
      schema: { tags: ["health"], summary: "Liveness: always 200", response: responses({ 200: StatusBody }) },
    },
    async () => ({ status: "ok" }),
  );
  app.get(
    "/readyz",
    {
      schema: {
        tags: ["health"],
        summary: "Readiness: 200 once recovery is done, 503 before",
        response: responses({ 200: StatusBody }),
      },
    },
    async () => {
      if (!isReady()) throw notReady();
      return { status: "ready" };
    },
  );
};
