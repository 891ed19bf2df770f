/**
 * The default transport of JobdClient (node:http, keep-alive) against a plain HTTP server that counts
 * its connections: calls share one connection, bodies and statuses come back whole, an abort ends the
 * call, a timeout ends a call whose answer does not come (for a stream: whose headers do not).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NoAnswerError, nodeRequester } from "../../src/client/requester.js";

let server: http.Server;
let url: string;
let connections = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      if (req.url === "/slow") return; // never answers: the caller must abort
      if (req.url === "/trickle") {
        // headers at once, then the body in two parts 150 ms apart
        res.writeHead(200, { "content-type": "text/plain" }).write("one ");
        setTimeout(() => res.end("two"), 150);
        return;
      }
      res.writeHead(req.url === "/missing" ? 404 : 200, { "content-type": "application/json" });
      res.end(JSON.stringify({ method: req.method, body, type: req.headers["content-type"] ?? null }));
    });
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("nodeRequester", () => {
  it("sends the body and reads the whole answer, reusing one keep-alive connection", async () => {
    const request = nodeRequester();
    const before = connections;
    const answers = [];
    for (let i = 0; i < 5; i++) {
      const body = JSON.stringify({ i, text: "é".repeat(i) }); // multi-byte: content-length counts bytes
      const headers = { "content-type": "application/json" };
      answers.push(await request.send({ method: "POST", url: `${url}/echo`, headers, body }));
    }
    expect(connections - before).toBe(1);
    expect(answers.map((answer) => JSON.parse(answer.text).body)).toEqual(
      [0, 1, 2, 3, 4].map((i) => JSON.stringify({ i, text: "é".repeat(i) })),
    );
    expect(answers[0]).toMatchObject({ status: 200, statusText: "OK" });
  });

  it("returns error statuses as answers, not as rejections", async () => {
    const answer = await nodeRequester().send({
      method: "GET",
      url: `${url}/missing`,
      headers: {},
      body: null,
    });
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.text)).toMatchObject({ method: "GET", body: "" });
  });

  it("rejects when the signal aborts a call that has no answer yet", async () => {
    const controller = new AbortController();
    const call = nodeRequester().send({
      method: "GET",
      url: `${url}/slow`,
      headers: {},
      body: null,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 50);
    await expect(call).rejects.toMatchObject({ name: "AbortError" });
  });

  it("rejects with NoAnswerError when the answer has not come within timeoutMs", async () => {
    const request = { method: "GET", url: `${url}/slow`, headers: {}, body: null, timeoutMs: 100 };
    await expect(nodeRequester().send(request)).rejects.toBeInstanceOf(NoAnswerError);
    await expect(nodeRequester().open(request)).rejects.toThrow("no answer within 100 ms");
    const whole = nodeRequester().send({ ...request, url: `${url}/trickle` }); // the body comes too late
    await expect(whole).rejects.toBeInstanceOf(NoAnswerError);
  });

  it("opens a stream within timeoutMs and then reads it for as long as it lasts", async () => {
    const request = { method: "GET", url: `${url}/trickle`, headers: {}, body: null, timeoutMs: 100 };
    const stream = await nodeRequester().open(request);
    expect(stream.status).toBe(200);
    let text = "";
    for await (const chunk of stream.body) text += Buffer.from(chunk).toString("utf8");
    expect(text).toBe("one two");
  });
});
