/**
 * `GET /api/events`: the queue's job events as Server-Sent Events (`event: <name>`, `data: <job>`),
 * optionally only for some job types or one job. A comment line every 15 s keeps proxies from closing
 * an idle stream; a client that stops reading is dropped rather than buffered without bound.
 */

import type { ServerResponse } from "node:http";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { type Job, toJobJson } from "../../domain/job.js";
import { JOB_EVENTS, type JobEventName, type JobQueueApi } from "../../queue/job-queue-api.js";
import { EventsQuery } from "../../schemas/api.js";
import { JobSchema } from "../../schemas/job.js";
import { responses, serializable } from "../route-schema.js";

export const SSE_HEARTBEAT_MS = 15_000;
/** A client this far behind is disconnected. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
const JOB_SERIALIZATION_SCHEMA = serializable(JobSchema) as Record<string, unknown>;

/** The event stream route; the plugin is registered under `/api`. */
export const eventRoutes: FastifyPluginAsyncTypebox<{ queue: JobQueueApi }> = async (app, { queue }) => {
  const open = new Set<() => void>();
  app.addHook("preClose", async () => {
    for (const close of open) close();
  });

  app.get(
    "/events",
    {
      exposeHeadRoute: false, // A HEAD would open a stream too.
      schema: {
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
      },
    },
    async (request, reply) => {
      const matches = eventFilter(request.query);
      const serialize = reply.compileSerializationSchema(JOB_SERIALIZATION_SCHEMA);
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        "x-request-id": request.id,
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache",
        "x-accel-buffering": "no",
      });
      raw.write(": connected\n\n");
      const send = (name: JobEventName, job: Job) => {
        if (!matches(job)) return;
        const data = serialize(toJobJson(job) as unknown as Record<string, unknown>);
        write(raw, `event: ${name}\ndata: ${data}\n\n`);
      };
      const listeners = JOB_EVENTS.map((name) => [name, (job: Job) => send(name, job)] as const);
      for (const [name, listener] of listeners) queue.on(name, listener);
      const heartbeat = setInterval(() => write(raw, ": heartbeat\n\n"), SSE_HEARTBEAT_MS);
      const close = () => {
        clearInterval(heartbeat);
        for (const [name, listener] of listeners) queue.off(name, listener);
        open.delete(close);
        raw.end();
      };
      open.add(close);
      raw.once("close", close);
      raw.once("error", close); // A broken socket: same as a client that left.
    },
  );
};

function eventFilter({ type, job_id }: EventsQuery): (job: Job) => boolean {
  const types = type ? new Set(type) : null;
  return (job) => (types === null || types.has(job.type)) && (job_id === undefined || job.id === job_id);
}

function write(raw: ServerResponse, text: string): void {
  if (raw.writableLength > MAX_BUFFERED_BYTES) raw.destroy();
  else raw.write(text);
}
