/**
 * The job's wire schemas (TypeBox): the single source of the REST API's validation, the OpenAPI
 * document, the library's input checks and JobdClient's types.
 */
import { type Static, Type } from "@sinclair/typebox";
import { JOB_STATUSES } from "../domain/job.js";

export const MAX_DELAY_MS = 31_536_000_000;
export const MAX_TIMEOUT_MS = 86_400_000;

/** `type` and `queue`: 1–200 chars of `[A-Za-z0-9_.:-]`. */
export const Name = Type.String({ minLength: 1, maxLength: 200, pattern: "^[A-Za-z0-9_.:-]+$" });
const Timestamp = Type.String({ format: "date-time" });
const Nullable = <T extends ReturnType<typeof Type.String | typeof Type.Integer>>(t: T) =>
  Type.Union([t, Type.Null()]);

export const JobStatusSchema = Type.Union(JOB_STATUSES.map((s) => Type.Literal(s)));

export const CreateJobBody = Type.Object(
  {
    type: Name,
    payload: Type.Optional(Type.Unknown()),
    queue: Type.Optional(Name),
    priority: Type.Optional(Type.Integer({ minimum: -1000, maximum: 1000 })),
    max_attempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    run_at: Type.Optional(Timestamp),
    delay_ms: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_DELAY_MS })),
    timeout_ms: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: MAX_TIMEOUT_MS }))),
    idempotency_key: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 200 }))),
  },
  { additionalProperties: false },
);
export type CreateJobBody = Static<typeof CreateJobBody>;

export const JobSchema = Type.Object({
  id: Type.String({ format: "uuid" }),
  type: Type.String(),
  queue: Type.String(),
  payload: Type.Unknown(),
  status: JobStatusSchema,
  priority: Type.Integer(),
  attempts: Type.Integer(),
  max_attempts: Type.Integer(),
  run_at: Timestamp,
  timeout_ms: Nullable(Type.Integer()),
  idempotency_key: Nullable(Type.String()),
  progress: Type.Union([Type.Number(), Type.Null()]),
  result: Type.Unknown(),
  error: Nullable(Type.String()),
  worker_id: Nullable(Type.String()),
  lease_expires_at: Nullable(Timestamp),
  created_at: Timestamp,
  updated_at: Timestamp,
  started_at: Nullable(Timestamp),
  finished_at: Nullable(Timestamp),
});
