/**
 * How JobdClient talks HTTP: a JSON call read whole (`send`), or an answer read as it streams in
 * (`open`, the event stream). The default is node:http(s) with a keep-alive Agent of the client's own:
 * a remote worker sends a lease, a complete and a heartbeat per job, and fetch's WHATWG streams and
 * AbortSignal plumbing cost 10–15 % of a busy worker's CPU (measured by the compare bench); plain http
 * costs a fraction of that, needs no dependency, and reaches every port — fetch refuses the fetch
 * standard's "bad ports" (6000, 10080…), where `jobd serve` listens fine. A `fetch` given to the client
 * (tests, proxies, counting) is used instead, through `fetchRequester`.
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

/** An answer whose body is read as it arrives; abort the request's signal to close it early. */
export interface RawStream {
  status: number;
  statusText: string;
  body: AsyncIterable<Uint8Array>;
}

/** Sends calls; each rejects only when no answer came (refused, reset, aborted). */
export interface Requester {
  send(request: RawRequest): Promise<RawResponse>;
  open(request: RawRequest): Promise<RawStream>;
}

/** A requester on node:http(s), reusing its connections (keep-alive) across calls. */
export function nodeRequester(): Requester {
  const agents = {
    "http:": new http.Agent({ keepAlive: true }),
    "https:": new https.Agent({ keepAlive: true }),
  };
  /** Starts the call; `onResponse` gets the answer's head, `fail` any failure before the answer is whole. */
  const start = (
    request: RawRequest,
    onResponse: (res: http.IncomingMessage) => void,
    fail: (error: unknown) => void,
  ) => {
    const url = new URL(request.url);
    const secure = url.protocol === "https:";
    const send = secure ? https.request : http.request;
    const headers = {
      ...request.headers,
      ...(request.body !== null && { "content-length": String(Buffer.byteLength(request.body)) }),
    };
    const options = { method: request.method, headers, agent: agents[secure ? "https:" : "http:"] };
    const req = send(url, { ...options, ...(request.signal && { signal: request.signal }) }, onResponse);
    req.on("error", fail);
    req.end(request.body ?? undefined);
  };
  return {
    send: (request) =>
      new Promise((resolve, reject) =>
        start(
          request,
          (res) => {
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
          },
          reject,
        ),
      ),
    open: (request) =>
      new Promise((resolve, reject) =>
        start(
          request,
          (res) => {
            resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? "", body: res });
          },
          reject,
        ),
      ),
  };
}

/** A requester on a fetch function (the caller's). */
export function fetchRequester(fetchFn: typeof fetch): Requester {
  const call = ({ method, url, headers, body, signal }: RawRequest) =>
    fetchFn(url, { method, headers, body, signal: signal ?? null });
  return {
    send: async (request) => {
      const response = await call(request);
      return { status: response.status, statusText: response.statusText, text: await response.text() };
    },
    open: async (request) => {
      const response = await call(request);
      return {
        status: response.status,
        statusText: response.statusText,
        body: (response.body ?? emptyBody()) as unknown as AsyncIterable<Uint8Array>,
      };
    },
  };
}

async function* emptyBody(): AsyncGenerator<Uint8Array> {}
