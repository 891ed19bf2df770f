import { afterEach, beforeEach, expect, test } from "vitest";
import { type ServerFixture, startServer } from "./server-fixture.js";

let server: ServerFixture;
beforeEach(async () => {
  server = await startServer();
});
afterEach(() => server.close());

/** Every method + path of DESIGN.md §5 (the dashboard's `/` aside). */
const CONTRACT = [
  "post /api/jobs",
  "post /api/jobs/batch",
  "get /api/jobs/{id}",
  "get /api/jobs/history",
  "get /api/jobs",
  "post /api/jobs/{id}/retry",
  "post /api/jobs/retry-failed",
  "post /api/jobs/{id}/cancel",
  "delete /api/jobs/{id}",
  "post /api/workers/lease",
  "post /api/jobs/{id}/heartbeat",
  "post /api/jobs/{id}/complete",
  "post /api/jobs/{id}/fail",
  "get /api/stats",
  "get /api/events",
  "get /healthz",
  "get /readyz",
  "get /metrics",
];

test("GET /api/openapi.json documents every route of the contract, with schemas", async () => {
  const res = await server.app.inject("/api/openapi.json");
  expect(res.statusCode).toBe(200);
  const doc = res.json();
  expect(doc.openapi).toBe("3.1.0");
  const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
    ([path, ops]) => Object.keys(ops).map((method) => `${method} ${path}`),
  );
  expect(documented).toEqual(expect.arrayContaining(CONTRACT));
  const api = (routes: string[]) => routes.filter((r) => r.includes(" /api/")).sort();
  expect(api(documented)).toEqual(api(CONTRACT));

  const create = doc.paths["/api/jobs"].post;
  expect(create.requestBody.content["application/json"].schema.required).toEqual(["type"]);
  expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(["200", "201", "4XX"]));
  expect(doc.security).toEqual([{ bearer: [] }]);
  for (const open of ["/healthz", "/readyz", "/metrics"]) expect(doc.paths[open].get.security).toEqual([]);
  const history = doc.paths["/api/jobs/history"].get;
  expect(history.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
    "limit",
    "offset",
    "queue",
    "status",
    "type",
  ]);
});

test("GET /api/openapi.json takes no query parameters, like every /api route", async () => {
  const res = await server.app.inject("/api/openapi.json?x=1");
  expect([res.statusCode, res.json().error.message]).toEqual([400, 'unknown field "x"']);
});
