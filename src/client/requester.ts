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
  /**
   * The call fails with a `NoAnswerError` when its answer has not come within this many ms: the whole
   * answer for `send`, its status and headers for `open`. None when undefined.
   */
  timeoutMs?: number | undefined;
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

/** Sends calls; each rejects only when no answer came (refused, reset, aborted, timed out). */
export interface Requester {
  send(request: RawRequest): Promise<RawResponse>;
  open(request: RawRequest): Promise<RawStream>;
}

/** No answer within the call's `timeoutMs`. */
export class NoAnswerError extends Error {
  override readonly name: string = "NoAnswerError";
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

/** setTimeout's longest delay; a longer one would fire at once. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/** Calls `late` after `timeoutMs` (never when undefined); clear the timer when the answer comes. */
function whenLate(
  timeoutMs: number | undefined,
  late: (timeoutMs: number) => void,
): NodeJS.Timeout | undefined {
  return timeoutMs === undefined ? undefined : setTimeout(late, Math.min(timeoutMs, MAX_DELAY_MS), timeoutMs);
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
    onResponse: (res: http.IncomingMessage, done: () => void) => void,
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
    const req = send(url, { ...options, ...(request.signal && { signal: request.signal }) }, (res) =>
      onResponse(res, done),
    );
    const timer = whenLate(request.timeoutMs, (timeoutMs) => {
      fail(new NoAnswerError(timeoutMs));
      req.destroy();
    });
    function done() {
      clearTimeout(timer);
    }
    req.on("error", (error) => {
      done();
      fail(error);
    });
    req.end(request.body ?? undefined);
  };
  return {
    send: (request) =>
      new Promise((resolve, reject) =>
        start(
          request,
          (res, done) => {
            const chunks: Buffer[] = [];
            res.on("data", (chunk: Buffer) => chunks.push(chunk));
            res.on("error", (error) => {
              done();
              reject(error);
            });
            res.on("end", () => {
              done();
              resolve({
                status: res.statusCode ?? 0,
                statusText: res.statusMessage ?? "",
                text: Buffer.concat(chunks).toString("utf8"),
              });
            });
          },
          reject,
        ),
      ),
    open: (request) =>
      new Promise((resolve, reject) =>
        start(
          request,
          (res, done) => {
            done();
            resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? "", body: res });
          },
          reject,
        ),
      ),
  };
}

/** A requester on a fetch function (the caller's). */
export function fetchRequester(fetchFn: typeof fetch): Requester {
  /**
   * Calls fetch under the caller's signal and the deadline; `read` takes what must arrive in time. A
   * stream keeps following the caller's signal after that, so that aborting it closes the body.
   */
  const call = async <T>(
    request: RawRequest,
    read: (response: Response) => Promise<T>,
    stream: boolean,
  ): Promise<T> => {
    const { method, url, headers, body, signal, timeoutMs } = request;
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal?.reason);
    if (signal?.aborted) onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    let timedOut = false;
    const timer = whenLate(timeoutMs, () => {
      timedOut = true;
      controller.abort();
    });
    let answered = false;
    try {
      const result = await read(await fetchFn(url, { method, headers, body, signal: controller.signal }));
      answered = true;
      return result;
    } catch (error) {
      throw timedOut && timeoutMs !== undefined ? new NoAnswerError(timeoutMs) : error;
    } finally {
      clearTimeout(timer);
      if (!(stream && answered)) signal?.removeEventListener("abort", onAbort);
    }
  };
  return {
    send: (request) =>
      call(
        request,
        async (response) => ({
          status: response.status,
          statusText: response.statusText,
          text: await response.text(),
        }),
        false,
      ),
    open: (request) =>
      call(
        request,
        async (response) => ({
          status: response.status,
          statusText: response.statusText,
          body: (response.body ?? emptyBody()) as unknown as AsyncIterable<Uint8Array>,
        }),
        true,
      ),
  };
}

async function* emptyBody(): AsyncGenerator<Uint8Array> {}
