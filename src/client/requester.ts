/**
 * How JobdClient sends a JSON call and reads the whole answer. The default is node:http(s) with a
 * keep-alive Agent of the client's own: a remote worker sends a lease, a complete and a heartbeat per
 * job, and fetch's WHATWG streams and AbortSignal plumbing cost 10–15 % of a busy worker's CPU
 * (measured by the compare bench); plain http costs a fraction of that and needs no dependency.
 * A `fetch` given to the client (tests, proxies, counting) is used instead, through `fetchRequester`.
 */
import http from "node:http";
import https from "node:https";

/** One call as sent. */
export interface RawRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | null;
  signal?: AbortSignal | undefined;
}

/** A whole answer: its status and its body as text. */
export interface RawResponse {
  status: number;
  statusText: string;
  text: string;
}

/** Sends a call; rejects only when no answer came (refused, reset, aborted). */
export type Requester = (request: RawRequest) => Promise<RawResponse>;

/** A requester on node:http(s), reusing its connections (keep-alive) across calls. */
export function nodeRequester(): Requester {
  const agents = {
    "http:": new http.Agent({ keepAlive: true }),
    "https:": new https.Agent({ keepAlive: true }),
  };
  return (request) =>
    new Promise((resolve, reject) => {
      const url = new URL(request.url);
      const secure = url.protocol === "https:";
      const send = secure ? https.request : http.request;
      const headers = {
        ...request.headers,
        ...(request.body !== null && { "content-length": String(Buffer.byteLength(request.body)) }),
      };
      const options = { method: request.method, headers, agent: agents[secure ? "https:" : "http:"] };
      const req = send(url, { ...options, ...(request.signal && { signal: request.signal }) }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            statusText: res.statusMessage ?? "",
            text: Buffer.concat(chunks).toString("utf8"),
          }),
        );
      });
      req.on("error", reject);
      req.end(request.body ?? undefined);
    });
}

/** A requester on a fetch function (the global one or the caller's). */
export function fetchRequester(fetchFn: typeof fetch): Requester {
  return async ({ method, url, headers, body, signal }) => {
    const response = await fetchFn(url, { method, headers, body, signal: signal ?? null });
    return { status: response.status, statusText: response.statusText, text: await response.text() };
  };
}
