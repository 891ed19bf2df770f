import { afterEach, describe, expect, test } from "vitest";
import { BODY_SLACK_BYTES, buildServer } from "../../src/http/build-server.js";
import { MAX_BATCH_BODY_BYTES } from "../../src/schemas/api.js";
import { post, type ServerFixture, startServer } from "./server-fixture.js";

let server: ServerFixture;
afterEach(() => server.close());

const stored = async () => (await server.queue.history({ limit: 1, offset: 0 })).total;

describe("payload limits", () => {
  test("a payload over --max-payload-bytes is 413 payload_too_large, whether the body limit or the domain sees it", async () => {
    server = await startServer({ maxPayloadBytes: 1000 });
    const justOver = await post(server.app, "/api/jobs", { type: "t", payload: "x".repeat(1000) });
    expect(justOver.statusCode).toBe(413);
    expect(justOver.json().error).toMatchObject({ code: "payload_too_large" });
    expect(justOver.json().error.message).toContain('"payload"');
    const wayOver = await post(server.app, "/api/jobs", { type: "t", payload: "x".repeat(200_000) });
    expect(wayOver.statusCode).toBe(413);
    expect(wayOver.json().error).toEqual({
      code: "payload_too_large",
      message: `"body" is over the limit of ${1000 + BODY_SLACK_BYTES} bytes`,
    });
    const fits = await post(server.app, "/api/jobs", { type: "t", payload: "x".repeat(990) });
    expect(fits.statusCode).toBe(201);
    expect(await stored()).toBe(1);
  });

  test("a batch body may exceed the single-create limit (each payload still may not)", async () => {
    server = await startServer({ maxPayloadBytes: 1000 });
    const jobs = Array.from({ length: 500 }, () => ({ type: "t", payload: "x".repeat(900) }));
    const res = await post(server.app, "/api/jobs/batch", { jobs });
    expect(res.statusCode).toBe(201);
    const tooBig = await post(server.app, "/api/jobs/batch", {
      jobs: [{ type: "t" }, { type: "t", payload: "y".repeat(1001) }],
    });
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().error.message).toContain("jobs[1].payload");
    expect(await stored()).toBe(500);
  });

  test("a batch body over 64 MiB is 413", async () => {
    server = await startServer();
    const res = await server.app.inject({
      method: "POST",
      url: "/api/jobs/batch",
      headers: { "content-type": "application/json" },
      payload: Buffer.alloc(MAX_BATCH_BODY_BYTES + 1, 0x20),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe("payload_too_large");
  });
});

describe("errors", () => {
  test("an unknown route is 404 not_found in the error shape", async () => {
    server = await startServer();
    for (const url of ["/nope", "/api/nope", "/api/jobs/01900000-0000-7000-8000-000000000000/explode"]) {
      const res = await server.app.inject({ method: "POST", url });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ error: { code: "not_found", message: expect.stringContaining(url) } });
    }
  });

  test("an unexpected failure is 500 internal, with no message or stack from inside", async () => {
    server = await startServer();
    const { queue } = server;
    const app = buildServer({ queue, isReady: () => true, maxPayloadBytes: 1000 });
    app.get("/boom", async () => {
      throw new Error("secret detail at /srv/app.js:12");
    });
    const res = await app.inject("/boom");
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: { code: "internal", message: "internal server error" } });
    await app.close();
  });

  test("every response carries a request id, the caller's when it sent one", async () => {
    server = await startServer();
    const mine = await server.app.inject({ url: "/healthz", headers: { "x-request-id": "req-42" } });
    expect(mine.headers["x-request-id"]).toBe("req-42");
    const generated = await server.app.inject("/healthz");
    expect(generated.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });
});
