/**
 * One HTTP call to jobd: JSON in and out, the bearer token, query strings with comma lists, and every
 * failure turned into a `JobdClientError` carrying the server's error code. Calls go through the
 * transport's `Requester`: JSON calls read whole, the event stream as it arrives.
 */
import { codeFor, JobdClientError } from "./errors.js";
import type { RawResponse, RawStream, Requester } from "./requester.js";

/** Where and how to reach a jobd server. */
export interface Transport {
  /** The server's base URL, without a trailing slash. */
  baseUrl: string;
  token: string | undefined;
  requester: Requester;
  /** How long a call waits for its answer (a stream: for its headers), beyond a long poll's wait; 0: forever. */
  timeoutMs: number;
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, QueryValue>;
  signal?: AbortSignal;
  /** Extra headers (e.g. `accept: text/event-stream`). */
  headers?: Record<string, string>;
  /** How long the server may hold the answer on purpose (a lease's `wait_ms`): added to the timeout. */
  longPollMs?: number | undefined;
}

export type QueryValue = string | number | readonly string[] | undefined;

/** Sends a JSON call and returns the parsed answer (undefined for 204); throws `JobdClientError` otherwise. */
export async function requestJson<T>(
  transport: Transport,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<T> {
  let response: RawResponse;
  try {
    response = await transport.requester.send({
      method,
      url: urlOf(transport, path, options),
      headers: headersOf(transport, options),
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal: options.signal,
      timeoutMs: timeoutOf(transport, options),
    });
  } catch (error) {
    throw unreachable(transport, error, options);
  }
  if (response.status < 200 || response.status > 299) throw errorFrom(response);
  return (response.status === 204 || response.text === "" ? undefined : JSON.parse(response.text)) as T;
}

/**
 * Sends a request and returns its answer as it streams in, when it is a success (the event stream).
 * A failure while reading the body is a `JobdClientError` too (`unavailable`), unless `signal` aborted.
 */
export async function openStream(
  transport: Transport,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<RawStream> {
  let response: RawStream;
  try {
    response = await transport.requester.open({
      method,
      url: urlOf(transport, path, options),
      headers: headersOf(transport, options),
      body: null,
      signal: options.signal,
      timeoutMs: timeoutOf(transport, options),
    });
  } catch (error) {
    throw unreachable(transport, error, options);
  }
  if (response.status < 200 || response.status > 299) {
    const text = await readText(response.body).catch(() => "");
    throw errorFrom({ status: response.status, statusText: response.statusText, text });
  }
  return { ...response, body: guarded(transport, response.body, options) };
}

async function* guarded(
  transport: Transport,
  body: AsyncIterable<Uint8Array>,
  options: RequestOptions,
): AsyncGenerator<Uint8Array> {
  try {
    yield* body;
  } catch (error) {
    if (options.signal?.aborted) throw error;
    const message = `lost the connection to jobd at ${transport.baseUrl}: ${reason(error)}`;
    throw new JobdClientError("unavailable", message, 0, { cause: error });
  }
}

async function readText(body: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

function timeoutOf(transport: Transport, options: RequestOptions): number | undefined {
  return transport.timeoutMs === 0 ? undefined : transport.timeoutMs + (options.longPollMs ?? 0);
}

function urlOf(transport: Transport, path: string, options: RequestOptions): string {
  return `${transport.baseUrl}${path}${queryString(options.query)}`;
}

function headersOf(transport: Transport, options: RequestOptions): Record<string, string> {
  const headers: Record<string, string> = { ...options.headers };
  if (transport.token) headers.authorization = `Bearer ${transport.token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  return headers;
}

/** No answer: the caller's abort as it is, anything else (refused, reset, timed out) as `unavailable` (transient). */
function unreachable(transport: Transport, error: unknown, options: RequestOptions): unknown {
  if (options.signal?.aborted) return error;
  const message = `cannot reach jobd at ${transport.baseUrl}: ${reason(error)}`;
  return new JobdClientError("unavailable", message, 0, { cause: error });
}

function queryString(query: Record<string, QueryValue> | undefined): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    params.set(key, Array.isArray(value) ? value.join(",") : String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

function errorFrom(response: RawResponse): JobdClientError {
  let body: { error?: { code?: unknown; message?: unknown } } | undefined;
  try {
    body = JSON.parse(response.text);
  } catch {
    body = undefined; // not jobd's JSON (a proxy's page, say): fall back on the status
  }
  const code = codeFor(response.status, body?.error?.code);
  const message =
    typeof body?.error?.message === "string"
      ? body.error.message
      : `HTTP ${response.status} ${response.statusText}`.trim();
  return new JobdClientError(code, message, response.status);
}

/** The useful part of a failure: node:http's socket error code (ECONNREFUSED…), or the one fetch wraps in `cause`. */
function reason(error: unknown): string {
  const own = (error as { code?: string })?.code;
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return own ?? cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
