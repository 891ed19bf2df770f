/**
 * The REST API's request and response schemas (DESIGN.md §5), beside the job's own in ./job.ts.
 * The HTTP server validates and serializes with them, the OpenAPI document is generated from them, and
 * JobdClient takes its types from them, so the three cannot drift.
 *
 * Query strings: a list (`status`, `type`, `queue`) is one value, a comma list (`status=queued,failed`)
 * or a repeated key; a number is plain decimal digits. The server turns the text into the typed values
 * these schemas describe before it checks them (src/http/validator-compiler.ts).
 */
import { type Static, Type } from "@sinclair/typebox";
import { STORAGE_BACKENDS } from "../config/persistence.js";
import { ERROR_CODES } from "../domain/errors.js";
import { CreateJobBody, JobSchema, JobStatusSchema, Name } from "./job.js";

/** The most jobs one batch may create (DESIGN.md §5). */
export const MAX_BATCH_JOBS = 10_000;
/** A batch body may be this large, whatever `--max-payload-bytes` says (DESIGN.md §5). */
export const MAX_BATCH_BODY_BYTES = 64 * 1024 * 1024;
export const DEFAULT_HISTORY_LIMIT = 50;
export const MAX_HISTORY_LIMIT = 1000;
export const DEFAULT_LEASE_MS = 30_000;
export const MIN_LEASE_MS = 1_000;
export const MAX_LEASE_MS = 3_600_000;
export const MAX_WAIT_MS = 30_000;
export const MAX_LEASE_JOBS = 100;

const strict = { additionalProperties: false } as const;
const WorkerId = Type.String({ minLength: 1, maxLength: 200 });
/** The most an attempt can be: PostgreSQL stores `attempts` as a 32-bit integer. */
export const MAX_ATTEMPT = 2_147_483_647;
/** The most a history page may skip: beyond it a JSON number is no longer an exact integer. */
export const MAX_HISTORY_OFFSET = Number.MAX_SAFE_INTEGER;

/** The attempt a lease was granted for: the job's `attempts` as the lease returned it. */
const Attempt = Type.Integer({ minimum: 1, maximum: MAX_ATTEMPT });
const LeaseMs = Type.Integer({ minimum: MIN_LEASE_MS, maximum: MAX_LEASE_MS });
const NameList = Type.Array(Name, { minItems: 1, maxItems: 100 });

// ---- path and query ----

/** `/api/jobs/{id}`: a job id is a UUID. */
export const JobIdParams = Type.Object({ id: Type.String({ format: "uuid" }) }, strict);
export type JobIdParams = Static<typeof JobIdParams>;

/** The query of a route that takes no parameters: any parameter is unknown. */
export const NoQuery = Type.Object({}, strict);

/** `GET /api/jobs/history` (and `GET /api/jobs`). */
export const HistoryQuery = Type.Object(
  {
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: MAX_HISTORY_LIMIT, default: DEFAULT_HISTORY_LIMIT }),
    ),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_HISTORY_OFFSET, default: 0 })),
    status: Type.Optional(Type.Array(JobStatusSchema, { minItems: 1 })),
    type: Type.Optional(NameList),
    queue: Type.Optional(NameList),
  },
  strict,
);
export type HistoryQuery = Static<typeof HistoryQuery>;

/** `GET /api/events`: only events of these types, or of this one job. */
export const EventsQuery = Type.Object(
  { type: Type.Optional(NameList), job_id: Type.Optional(Type.String({ format: "uuid" })) },
  strict,
);
export type EventsQuery = Static<typeof EventsQuery>;

// ---- request bodies ----

/** The body of a route that takes none (retry, cancel, delete): absent, empty or `{}`. */
export const NoBody = Type.Object({}, strict);

export const BatchCreateBody = Type.Object(
  { jobs: Type.Array(CreateJobBody, { minItems: 1, maxItems: MAX_BATCH_JOBS }) },
  strict,
);
export type BatchCreateBody = Static<typeof BatchCreateBody>;

/** `POST /api/jobs/retry-failed`: `{}` retries every failed job. */
export const RetryFailedBody = Type.Object({ type: Type.Optional(Name), queue: Type.Optional(Name) }, strict);
export type RetryFailedBody = Static<typeof RetryFailedBody>;

export const LeaseBody = Type.Object(
  {
    worker_id: WorkerId,
    types: Type.Optional(NameList),
    queues: Type.Optional(NameList),
    max_jobs: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LEASE_JOBS, default: 1 })),
    lease_ms: Type.Optional(
      Type.Integer({ minimum: MIN_LEASE_MS, maximum: MAX_LEASE_MS, default: DEFAULT_LEASE_MS }),
    ),
    wait_ms: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_WAIT_MS, default: 0 })),
  },
  strict,
);
export type LeaseBody = Static<typeof LeaseBody>;

export const HeartbeatBody = Type.Object(
  {
    worker_id: WorkerId,
    attempt: Attempt,
    progress: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    lease_ms: Type.Optional(LeaseMs),
  },
  strict,
);
export type HeartbeatBody = Static<typeof HeartbeatBody>;

export const CompleteBody = Type.Object(
  { worker_id: WorkerId, attempt: Attempt, result: Type.Optional(Type.Unknown()) },
  strict,
);
export type CompleteBody = Static<typeof CompleteBody>;

export const FailBody = Type.Object(
  {
    worker_id: WorkerId,
    attempt: Attempt,
    error: Type.String({ minLength: 1, maxLength: 65_536 }),
    retryable: Type.Optional(Type.Boolean({ default: true })),
  },
  strict,
);
export type FailBody = Static<typeof FailBody>;

// ---- responses ----

export const JobResponse = Type.Object({ job: JobSchema });
export type JobResponse = Static<typeof JobResponse>;

/** Lease and batch create answers. */
export const JobListResponse = Type.Object({ jobs: Type.Array(JobSchema) });
export type JobListResponse = Static<typeof JobListResponse>;

export const HistoryResponse = Type.Object({
  jobs: Type.Array(JobSchema),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});
export type HistoryResponse = Static<typeof HistoryResponse>;

export const RetryResponse = Type.Object({
  job_id: Type.String({ format: "uuid" }),
  status: Type.Literal("queued"),
  message: Type.Literal("Job requeued for processing"),
});
export type RetryResponse = Static<typeof RetryResponse>;

export const RetryFailedResponse = Type.Object({ requeued: Type.Integer() });
export type RetryFailedResponse = Static<typeof RetryFailedResponse>;

const StatusCounts = Type.Object({
  queued: Type.Integer(),
  processing: Type.Integer(),
  completed: Type.Integer(),
  failed: Type.Integer(),
  cancelled: Type.Integer(),
});

/** DESIGN.md §4's RecoveryResult. */
export const RecoveryResultSchema = Type.Object({
  recovered: Type.Integer(),
  requeued: Type.Integer(),
  failed: Type.Integer(),
  retried: Type.Integer(),
  pruned: Type.Integer(),
});

export const StatsResponse = Type.Object({
  counts: StatusCounts,
  queues: Type.Record(Type.String(), StatusCounts),
  recovery: RecoveryResultSchema,
  backend: Type.Union(STORAGE_BACKENDS.map((b) => Type.Literal(b))),
  durability: Type.Union([Type.Literal("none"), Type.Literal("process-crash"), Type.Literal("power-loss")]),
  uptime_s: Type.Number(),
});
export type StatsResponse = Static<typeof StatsResponse>;

/** Every error answer: `{"error": {"code", "message"}}`. */
export const ErrorResponse = Type.Object({
  error: Type.Object({
    code: Type.Union(ERROR_CODES.map((c) => Type.Literal(c))),
    message: Type.String(),
  }),
});
export type ErrorResponse = Static<typeof ErrorResponse>;
