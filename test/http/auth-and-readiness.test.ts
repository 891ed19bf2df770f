import { afterEach, describe, expect, test } from "vitest";
import { post, type ServerFixture, startServer } from "./server-fixture.js";

let server: ServerFixture;
afterEach(() => server.close());

const TOKEN = "s3cret-token";
const API_ROUTES = [
  ["GET", "/api/jobs"],
  ["GET", "/api/jobs/history"],
  ["GET", "/api/jobs/01900000-0000-7000-8000-000000000000"],
  ["POST", "/api/jobs"],
  ["POST", "/api/jobs/batch"],
  ["POST", "/api/workers/lease"],
  ["GET", "/api/stats"],
  ["GET", "/api/events"],
  ["GET", "/api/openapi.json"],
  ["DELETE", "/api/jobs/01900000-0000-7000-8000-000000000000"],
  ["GET", "/api/no-such-route"],
  ["POST", "/api/jobs/01900000-0000-7000-8000-000000000000/no-such-action"],
] as const;

describe("--api-token", () => {
  test("every /api/* route needs the bearer token: 401 unauthorized without it or with a wrong one", async () => {
    server = await startServer({ apiToken: TOKEN });
    const wrong = [undefined, "Bearer nope", `Bearer ${TOKEN}x`, `Basic ${TOKEN}`, TOKEN, "Bearer "];
    for (const [method, url] of API_ROUTES) {
      for (const authorization of wrong) {
        const headers = authorization === undefined ? {} : { authorization };
        const res = await server.app.inject({ method, url, headers });
        expect(res.statusCode, `${method} ${url} with ${authorization}`).toBe(401);
        expect(res.json().error.code).toBe("unauthorized");
        expect(res.body).not.toContain(TOKEN);
      }
    }
    expect((await server.queue.stats()).counts.queued).toBe(0);
  });

  test("the right token is let through", async () => {
    server = await startServer({ apiToken: TOKEN });
    const auth = { authorization: `Bearer ${TOKEN}` };
    const created = await post(server.app, "/api/jobs", { type: "t" }, auth);
    expect(created.statusCode).toBe(201);
    const list = await server.app.inject({ url: "/api/jobs", headers: auth });
    expect(list.json().total).toBe(1);
  });

  test("an unknown /api/* path is 404 only for the right token", async () => {
    server = await startServer({ apiToken: TOKEN });
    const res = await server.app.inject({ url: "/api/nope", headers: { authorization: `Bearer ${TOKEN}` } });
    expect([res.statusCode, res.json().error.code]).toEqual([404, "not_found"]);
  });

  test("/healthz, /readyz and /metrics need no token", async () => {
    server = await startServer({ apiToken: TOKEN });
    for (const url of ["/healthz", "/readyz", "/metrics"]) {
      expect((await server.app.inject(url)).statusCode, url).toBe(200);
    }
  });

  test("without a configured token, /api/* is open", async () => {
    server = await startServer();
    expect((await server.app.inject("/api/stats")).statusCode).toBe(200);
  });
});

describe("readiness", () => {
  test("until ready, /readyz and /api/* answer 503 unavailable; /healthz 200", async () => {
    server = await startServer({ ready: false });
    const readyz = await server.app.inject("/readyz");
    expect(readyz.statusCode).toBe(503);
    expect(readyz.json().error.code).toBe("unavailable");
    expect((await server.app.inject("/healthz")).statusCode).toBe(200);
    for (const [method, url] of API_ROUTES) {
      const res = await server.app.inject({ method, url });
      expect(res.statusCode, `${method} ${url}`).toBe(503);
      expect(res.json().error.code).toBe("unavailable");
    }
    expect((await server.queue.stats()).counts.queued).toBe(0);

    server.setReady(true);
    expect((await server.app.inject("/readyz")).json()).toEqual({ status: "ready" });
    expect((await post(server.app, "/api/jobs", { type: "t" })).statusCode).toBe(201);
  });

  test("the token is checked before readiness", async () => {
    server = await startServer({ apiToken: TOKEN, ready: false });
    expect((await server.app.inject("/api/stats")).statusCode).toBe(401);
    const authed = await server.app.inject({
      url: "/api/stats",
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(authed.statusCode).toBe(503);
  });
});
