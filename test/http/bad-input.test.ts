/**
 * Every kind of bad input (DESIGN.md §5 "Validation is strict everywhere"): answered with the right
 * 4xx, a message naming the field, and nothing stored or changed.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { JobJson } from "../../src/domain/job.js";
import { createJob, leaseOne, type ServerFixture, startServer } from "./server-fixture.js";

interface BadCase {
  name: string;
  method?: "GET" | "POST" | "DELETE";
  url: string;
  /** An object is sent as JSON; a string is sent as it is. */
  body?: unknown;
  contentType?: string;
  /** Words the message must contain (the field, and the value where it helps). */
  mentions: string[];
}

const LEASED = "{leased}";
const NOT_UUID = "/api/jobs/not-a-uuid";
const when = "2030-01-01T00:00:00Z";
const lease = (extra: object) => ({ worker_id: "w1", attempt: 1, ...extra });
const UNKNOWN_X = ['unknown field "x"'];

const cases: BadCase[] = [
  // create bodies
  { name: "missing type", url: "/api/jobs", body: {}, mentions: ['"type"', "required"] },
  { name: "unknown field", url: "/api/jobs", body: { type: "t", colour: "red" }, mentions: ['"colour"'] },
  {
    name: "number sent as a string",
    url: "/api/jobs",
    body: { type: "t", max_attempts: "3" },
    mentions: ['"max_attempts"', '"3"'],
  },
  {
    name: "max_attempts too high",
    url: "/api/jobs",
    body: { type: "t", max_attempts: 5000 },
    mentions: ['"max_attempts" must be ≤ 1000'],
  },
  {
    name: "max_attempts zero",
    url: "/api/jobs",
    body: { type: "t", max_attempts: 0 },
    mentions: ['"max_attempts" must be ≥ 1'],
  },
  {
    name: "fractional priority",
    url: "/api/jobs",
    body: { type: "t", priority: 1.5 },
    mentions: ['"priority"', "integer"],
  },
  {
    name: "priority out of range",
    url: "/api/jobs",
    body: { type: "t", priority: -1001 },
    mentions: ['"priority"'],
  },
  { name: "type with a space", url: "/api/jobs", body: { type: "bad type" }, mentions: ['"type"'] },
  { name: "type too long", url: "/api/jobs", body: { type: "x".repeat(201) }, mentions: ['"type"'] },
  { name: "queue charset", url: "/api/jobs", body: { type: "t", queue: "a/b" }, mentions: ['"queue"'] },
  {
    name: "run_at not a timestamp",
    url: "/api/jobs",
    body: { type: "t", run_at: "tomorrow" },
    mentions: ['"run_at"'],
  },
  ...["2026-02-30T00:00:00Z", "2026-04-31T12:00:00Z", "2025-02-29T00:00:00Z", "2026-01-01T24:00:00Z"].map(
    (run_at) => ({
      name: `run_at ${run_at}`,
      url: "/api/jobs",
      body: { type: "t", run_at },
      mentions: ['"run_at"'],
    }),
  ),
  {
    name: "run_at and delay_ms",
    url: "/api/jobs",
    body: { type: "t", run_at: when, delay_ms: 5 },
    mentions: ['"run_at"', '"delay_ms"'],
  },
  {
    name: "negative delay_ms",
    url: "/api/jobs",
    body: { type: "t", delay_ms: -1 },
    mentions: ['"delay_ms"'],
  },
  {
    name: "timeout_ms zero",
    url: "/api/jobs",
    body: { type: "t", timeout_ms: 0 },
    mentions: ['"timeout_ms"'],
  },
  {
    name: "empty idempotency key",
    url: "/api/jobs",
    body: { type: "t", idempotency_key: "" },
    mentions: ['"idempotency_key"'],
  },
  {
    name: "payload beyond a double",
    url: "/api/jobs",
    body: '{"type":"n","payload":1e400}',
    mentions: ['"payload"', "double"],
  },
  {
    name: "priority beyond a double",
    url: "/api/jobs",
    body: '{"type":"n","priority":-1e400}',
    mentions: ['"priority"', "double"],
  },
  {
    name: "400 written-out digits",
    url: "/api/jobs",
    body: `{"type":"n","payload":{"list":[1,${"9".repeat(400)}]}}`,
    mentions: ['"payload.list[1]"'],
  },
  {
    name: "250 digits with an exponent of 99",
    url: "/api/jobs/batch",
    body: `{"jobs":[{"type":"n"},{"type":"n","payload":${"1".repeat(250)}e99}]}`,
    mentions: ['"jobs[1].payload"'],
  },
  { name: "malformed JSON", url: "/api/jobs", body: '{"type": "t",', mentions: ["JSON"] },
  {
    name: "a __proto__ field",
    url: "/api/jobs",
    body: '{"type":"a","__proto__":{}}',
    mentions: ['"__proto__" is not allowed as a field name'],
  },
  {
    name: "a __proto__ field in a payload",
    url: "/api/jobs/batch",
    body: '{"jobs":[{"type":"a","payload":{"x":[{"__proto__":1}]}}]}',
    mentions: ['"__proto__" is not allowed as a field name', '"jobs[0].payload.x[0].__proto__"'],
  },
  {
    name: "a constructor.prototype field",
    url: "/api/jobs",
    body: '{"type":"a","payload":{"constructor":{"prototype":{}}}}',
    mentions: ['"constructor.prototype" is not allowed', '"payload.constructor"'],
  },
  { name: "array body", url: "/api/jobs", body: [{ type: "t" }], mentions: ['"body"'] },
  { name: "string body", url: "/api/jobs", body: '"t"', mentions: ['"body"'] },
  { name: "empty body", url: "/api/jobs", body: "", mentions: ['"body"'] },
  { name: "no body at all", url: "/api/jobs", mentions: ['"body"'] },
  { name: "not JSON", url: "/api/jobs", body: "type=t", contentType: "text/plain", mentions: ['"body"'] },
  {
    name: "form encoded",
    url: "/api/jobs",
    body: "type=t",
    contentType: "application/x-www-form-urlencoded",
    mentions: ["JSON"],
  },
  // batch
  { name: "empty batch", url: "/api/jobs/batch", body: { jobs: [] }, mentions: ['"jobs"'] },
  { name: "batch not a list", url: "/api/jobs/batch", body: { jobs: { type: "t" } }, mentions: ['"jobs"'] },
  {
    name: "batch unknown field",
    url: "/api/jobs/batch",
    body: { jobs: [{ type: "t" }], atomic: true },
    mentions: ['"atomic"'],
  },
  {
    name: "batch bad job",
    url: "/api/jobs/batch",
    body: { jobs: [{ type: "t" }, { type: "t", priority: "1" }] },
    mentions: ['"jobs[1].priority"'],
  },
  {
    name: "batch job with run_at and delay_ms",
    url: "/api/jobs/batch",
    body: { jobs: [{ type: "t" }, { type: "t", run_at: when, delay_ms: 5 }] },
    mentions: ['give "jobs[1].run_at" or "jobs[1].delay_ms", not both'],
  },
  {
    name: "batch repeated key",
    url: "/api/jobs/batch",
    body: {
      jobs: [
        { type: "t", idempotency_key: "k" },
        { type: "t", idempotency_key: "k" },
      ],
    },
    mentions: ["jobs[1].idempotency_key"],
  },
  // query strings and paths
  { name: "limit not a number", method: "GET", url: "/api/jobs?limit=abc", mentions: ['"limit"', '"abc"'] },
  { name: "limit zero", method: "GET", url: "/api/jobs/history?limit=0", mentions: ['"limit" must be ≥ 1'] },
  {
    name: "limit too high",
    method: "GET",
    url: "/api/jobs/history?limit=1001",
    mentions: ['"limit" must be ≤ 1000'],
  },
  { name: "limit in exponent form", method: "GET", url: "/api/jobs?limit=1e2", mentions: ['"limit"'] },
  { name: "limit given twice", method: "GET", url: "/api/jobs?limit=1&limit=2", mentions: ['"limit"'] },
  { name: "negative offset", method: "GET", url: "/api/jobs?offset=-1", mentions: ['"offset" must be ≥ 0'] },
  { name: "fractional offset", method: "GET", url: "/api/jobs?offset=1.5", mentions: ['"offset"'] },
  {
    name: "offset beyond a safe integer",
    method: "GET",
    url: "/api/jobs?offset=99999999999999999999",
    mentions: ['"offset" must be ≤ 9007199254740991'],
  },
  {
    name: "offset one past a safe integer",
    method: "GET",
    url: "/api/jobs?offset=9007199254740992",
    mentions: ['"offset" must be ≤ 9007199254740991'],
  },
  {
    name: "unknown status",
    method: "GET",
    url: "/api/jobs?status=queued,bogus",
    mentions: ["status", '"bogus"'],
  },
  { name: "bad type filter", method: "GET", url: "/api/jobs?type=a%20b", mentions: ["type"] },
  { name: "unknown query parameter", method: "GET", url: "/api/jobs?sort=asc", mentions: ['"sort"'] },
  { name: "bad UUID", method: "GET", url: NOT_UUID, mentions: ['"id" must be a UUID'] },
  { name: "bad UUID on retry", url: "/api/jobs/123/retry", mentions: ['"id"'] },
  { name: "bad job_id on events", method: "GET", url: "/api/events?job_id=x", mentions: ['"job_id"'] },
  {
    name: "unknown events parameter",
    method: "GET",
    url: "/api/events?status=queued",
    mentions: ['"status"'],
  },
  // unknown query parameters on every route, and a body where none is taken
  { name: "get with a query", method: "GET", url: `/api/jobs/${LEASED}?x=1`, mentions: UNKNOWN_X },
  { name: "create with a query", url: "/api/jobs?x=1", body: { type: "t" }, mentions: UNKNOWN_X },
  {
    name: "batch with a query",
    url: "/api/jobs/batch?x=1",
    body: { jobs: [{ type: "t" }] },
    mentions: UNKNOWN_X,
  },
  { name: "stats with a query", method: "GET", url: "/api/stats?x=1", mentions: UNKNOWN_X },
  { name: "cancel with a query", url: `/api/jobs/${LEASED}/cancel?x=1`, mentions: UNKNOWN_X },
  { name: "retry with a query", url: `/api/jobs/${LEASED}/retry?x=1`, mentions: UNKNOWN_X },
  { name: "delete with a query", method: "DELETE", url: `/api/jobs/${LEASED}?x=1`, mentions: UNKNOWN_X },
  {
    name: "lease with a query",
    url: "/api/workers/lease?x=1",
    body: { worker_id: "w2" },
    mentions: UNKNOWN_X,
  },
  { name: "retry-failed with a query", url: "/api/jobs/retry-failed?x=1", body: {}, mentions: UNKNOWN_X },
  {
    name: "heartbeat with a query",
    url: `/api/jobs/${LEASED}/heartbeat?x=1`,
    body: lease({ progress: 5 }),
    mentions: UNKNOWN_X,
  },
  { name: "cancel with a body", url: `/api/jobs/${LEASED}/cancel`, body: { x: 1 }, mentions: UNKNOWN_X },
  { name: "retry with a body", url: `/api/jobs/${LEASED}/retry`, body: { x: 1 }, mentions: UNKNOWN_X },
  {
    name: "delete with a body",
    method: "DELETE",
    url: `/api/jobs/${LEASED}`,
    body: { x: 1 },
    mentions: UNKNOWN_X,
  },
  { name: "cancel with a list body", url: `/api/jobs/${LEASED}/cancel`, body: [], mentions: ['"body"'] },
  // retry-failed
  {
    name: "retry-failed unknown field",
    url: "/api/jobs/retry-failed",
    body: { status: "failed" },
    mentions: ['"status"'],
  },
  {
    name: "retry-failed bad queue",
    url: "/api/jobs/retry-failed",
    body: { queue: "" },
    mentions: ['"queue"'],
  },
  // worker protocol
  { name: "lease without worker_id", url: "/api/workers/lease", body: {}, mentions: ['"worker_id"'] },
  {
    name: "lease max_jobs too high",
    url: "/api/workers/lease",
    body: { worker_id: "w", max_jobs: 101 },
    mentions: ['"max_jobs" must be ≤ 100'],
  },
  {
    name: "lease_ms too short",
    url: "/api/workers/lease",
    body: { worker_id: "w", lease_ms: 999 },
    mentions: ['"lease_ms" must be ≥ 1000'],
  },
  {
    name: "wait_ms too long",
    url: "/api/workers/lease",
    body: { worker_id: "w", wait_ms: 30_001 },
    mentions: ['"wait_ms"'],
  },
  {
    name: "types empty",
    url: "/api/workers/lease",
    body: { worker_id: "w", types: [] },
    mentions: ['"types"'],
  },
  {
    name: "types not a list",
    url: "/api/workers/lease",
    body: { worker_id: "w", types: "t" },
    mentions: ['"types"'],
  },
  {
    name: "heartbeat without attempt",
    url: `/api/jobs/${LEASED}/heartbeat`,
    body: { worker_id: "w1" },
    mentions: ['"attempt"'],
  },
  {
    name: "progress over 100",
    url: `/api/jobs/${LEASED}/heartbeat`,
    body: lease({ progress: 101 }),
    mentions: ['"progress" must be ≤ 100'],
  },
  {
    name: "attempt as a string",
    url: `/api/jobs/${LEASED}/complete`,
    body: lease({ attempt: "1" }),
    mentions: ['"attempt"'],
  },
  {
    name: "attempt beyond a 32-bit integer",
    url: `/api/jobs/${LEASED}/complete`,
    body: lease({ attempt: 2_147_483_648 }),
    mentions: ['"attempt" must be ≤ 2147483647'],
  },
  {
    name: "complete unknown field",
    url: `/api/jobs/${LEASED}/complete`,
    body: lease({ output: 1 }),
    mentions: ['"output"'],
  },
  { name: "fail without error", url: `/api/jobs/${LEASED}/fail`, body: lease({}), mentions: ['"error"'] },
  {
    name: "fail retryable as a string",
    url: `/api/jobs/${LEASED}/fail`,
    body: lease({ error: "x", retryable: "no" }),
    mentions: ['"retryable"'],
  },
];

let server: ServerFixture;
let leased: JobJson;
beforeAll(async () => {
  server = await startServer();
  await createJob(server.app);
  leased = await leaseOne(server.app);
});
afterAll(() => server.close());

describe("bad input is 400 invalid_request naming the field, and nothing is stored", () => {
  test.each(cases)("$name", async ({ method = "POST", url, body, contentType, mentions }) => {
    const payload = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
    const headers: Record<string, string> = {};
    if (payload !== undefined) headers["content-type"] = contentType ?? "application/json";
    const res = await server.app.inject({ method, url: url.replaceAll(LEASED, leased.id), headers, payload });
    expect(res.statusCode, res.body).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe("invalid_request");
    for (const words of mentions) expect(error.message).toContain(words);
    expect(res.body).not.toMatch(/at .+\.(ts|js):\d+/);

    const { total, jobs } = await server.queue.history({ limit: 10, offset: 0 });
    expect(total).toBe(1);
    expect(jobs[0]).toMatchObject({
      id: leased.id,
      status: "processing",
      attempts: 1,
      progress: null,
      error: null,
    });
  });
});
