/**
 * EarlyListener (src/http/early-listener.ts): the port jobd opens before its store. Until the handover it
 * answers /healthz 200 and everything else 503, after the token check on /api/*; it keeps Fastify's own
 * server settings; after the handover the handler given to `serverFactory` answers on the same socket.
 */
import type { RequestListener } from "node:http";
import { expect, onTestFinished, test } from "vitest";
import { EarlyListener } from "../../src/http/early-listener.js";

async function open(apiToken?: string): Promise<EarlyListener> {
  const early = await EarlyListener.open({ port: 0, host: "127.0.0.1" }, apiToken);
  onTestFinished(() => early.close());
  return early;
}

test("before the handover: /healthz 200, /api/* 401 without the token, the rest 503 unavailable", async () => {
  const early = await open("s3cret");
  const status = async (path: string, authorization?: string) => {
    const res = await fetch(`${early.url}${path}`, authorization ? { headers: { authorization } } : {});
    const body = (await res.json()) as { status?: string; error?: { code: string } };
    return `${res.status} ${body.status ?? body.error?.code}`;
  };
  expect(await status("/healthz")).toBe("200 ok");
  expect(await status("/readyz")).toBe("503 unavailable");
  expect(await status("/api/stats")).toBe("401 unauthorized");
  expect(await status("/api/stats", "Bearer s3cret")).toBe("503 unavailable");
  expect(await status("/")).toBe("503 unavailable");
});

test("keeps Fastify's server settings: 72 s keep-alive, no request deadline", async () => {
  const early = await open();
  expect([early.server.keepAliveTimeout, early.server.requestTimeout]).toEqual([72_000, 0]);
});

test("after the handover, the handler given to serverFactory answers on the same port", async () => {
  const early = await open();
  const handler: RequestListener = (_request, response) => response.end("from the real server");
  expect(early.serverFactory(handler as never, {})).toBe(early.server);
  early.handOver();
  expect(await (await fetch(`${early.url}/healthz`)).text()).toBe("from the real server");
});
