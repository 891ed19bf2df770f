/**
 * The dashboard plugin's HTTP behaviour through `inject` on a temp build: content types, caching
 * (hashed assets immutable, index.html no-cache), ETag revalidation, compression, and a clear 503
 * when the dashboard was not built.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dashboardPlugin } from "../../src/http/dashboard-plugin.js";

const SCRIPT = `console.log(${JSON.stringify("jobd ".repeat(200))});\n`;
let dir: string;
let app: FastifyInstance;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "jobd-dashboard-"));
  mkdirSync(path.join(dir, "assets"));
  writeFileSync(
    path.join(dir, "index.html"),
    '<!doctype html><script src="/assets/main-ABC123.js"></script>',
  );
  writeFileSync(path.join(dir, "assets", "main-ABC123.js"), SCRIPT);
  writeFileSync(path.join(dir, "assets", "main-DEF456.css"), "body{margin:0}");
  app = Fastify();
  await app.register(dashboardPlugin, { dir });
});
afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("dashboard plugin", () => {
  it("serves index.html at / as no-cache HTML with a strict CSP", async () => {
    const response = await app.inject({ url: "/" });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(response.headers["cache-control"]).toBe("no-cache");
    expect(response.headers["content-security-policy"]).toContain("default-src 'none'");
    expect(response.headers["content-security-policy"]).toContain("connect-src 'self'");
    expect(response.body).toContain("/assets/main-ABC123.js");
  });

  it("serves hashed assets as immutable for a year, with their content types", async () => {
    const script = await app.inject({ url: "/assets/main-ABC123.js" });
    expect(script.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(script.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(script.headers["x-content-type-options"]).toBe("nosniff");
    expect(script.body).toBe(SCRIPT);
    const style = await app.inject({ url: "/assets/main-DEF456.css" });
    expect(style.headers["content-type"]).toBe("text/css; charset=utf-8");
    expect((await app.inject({ url: "/assets/nope.js" })).statusCode).toBe(404);
  });

  it("answers 304 to a matching If-None-Match, for the page and for assets", async () => {
    for (const url of ["/", "/assets/main-ABC123.js"]) {
      const first = await app.inject({ url });
      const etag = first.headers.etag as string;
      expect(etag).toMatch(/^"[\w-]+"$/);
      const again = await app.inject({ url, headers: { "if-none-match": `W/"other", ${etag}` } });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe("");
      expect(again.headers.etag).toBe(etag);
      expect((await app.inject({ url, headers: { "if-none-match": '"stale"' } })).statusCode).toBe(200);
    }
  });

  it("compresses with brotli or gzip when accepted, varying on Accept-Encoding", async () => {
    const br = await app.inject({
      url: "/assets/main-ABC123.js",
      headers: { "accept-encoding": "gzip, br" },
    });
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers.vary).toBe("accept-encoding");
    const gzip = await app.inject({
      url: "/assets/main-ABC123.js",
      headers: { "accept-encoding": "gzip, br;q=0" },
    });
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gzip.rawPayload).toString()).toBe(SCRIPT);
    expect(gzip.rawPayload.length).toBeLessThan(SCRIPT.length / 4);
    expect(gzip.headers.etag).not.toBe(br.headers.etag);
  });

  it("answers HEAD like GET without a body", async () => {
    const head = await app.inject({ method: "HEAD", url: "/assets/main-ABC123.js" });
    expect(head.statusCode).toBe(200);
    expect(head.headers["content-length"]).toBe(String(Buffer.byteLength(SCRIPT)));
    expect(head.body).toBe("");
  });

  it("says how to build it when the dashboard is missing", async () => {
    const bare = Fastify();
    await bare.register(dashboardPlugin, { dir: path.join(dir, "missing") });
    const response = await bare.inject({ url: "/" });
    expect(response.statusCode).toBe(503);
    expect(response.body).toContain("npm run build");
    await bare.close();
  });
});
