/**
 * `GET /api/events`: the queue's job events as Server-Sent Events (`event: <name>`, `data: <job>`),
 * optionally only for some job types or one job. The streams end when the server closes.
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { type Job, toJobJson } from "../../domain/job.js";
import type { JobQueueApi } from "../../queue/job-queue-api.js";
import { EventsQuery } from "../../schemas/api.js";
import { JobSchema } from "../../schemas/job.js";
import { startEventStream } from "../event-stream.js";
import { responses, serializable } from "../route-schema.js";

const JOB_SERIALIZATION_SCHEMA = serializable(JobSchema) as Record<string, unknown>;

const schema = {
  tags: ["events"],
  summary: "Stream job events (text/event-stream)",
  querystring: EventsQuery,
  produces: ["text/event-stream"],
  response: {
    ...responses({}),
    200: {
      description: "One event per job change",
      content: { "text/event-stream": { schema: { type: "string" } } },
    },
  },
};

/** The event stream route; the plugin is registered under `/api`. */
export const eventRoutes: FastifyPluginAsyncTypebox<{ queue: JobQueueApi }> = async (app, { queue }) => {
  const open = new Set<() => void>();
  app.addHook("preClose", async () => {
    for (const end of open) end();
  });

  // No HEAD route: a HEAD would open a stream too.
  app.get("/events", { exposeHeadRoute: false, schema }, async (request, reply) => {
    const serializeJson = reply.compileSerializationSchema(JOB_SERIALIZATION_SCHEMA);
    reply.hijack();
    const end = startEventStream({
      raw: reply.raw,
      queue,
      requestId: request.id,
      matches: eventFilter(request.query),
      serialize: (job) => serializeJson(toJobJson(job) as unknown as Record<string, unknown>),
    });
    open.add(end);
    reply.raw.once("close", () => open.delete(end));
  });
};

function eventFilter({ type, job_id }: EventsQuery): (job: Job) => boolean {
  const types = type ? new Set(type) : null;
  return (job) => (types === null || types.has(job.type)) && (job_id === undefined || job.id === job_id);
}
