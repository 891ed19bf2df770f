/**
 * One HTTP call to jobd: JSON in and out, the bearer token, query strings with comma lists, and every
 * failure turned into a `JobdClientError` carrying the server's error code.
 */
import { codeFor, JobdClientError } from "./errors.js";

/** Where and how to reach a jobd server. */
export interface Transport {
  /** The server's base URL, without a trailing slash. */
  baseUrl: string;
  token: string | undefined;
  fetch: typeof fetch;
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, QueryValue>;
  signal?: AbortSignal;
  /** Extra headers (e.g. `accept: text/event-stream`). */
  headers?: Record<string, string>;
}

export type QueryValue = string | number | readonly string[] | undefined;

/** Sends the request and returns the raw response when it is a success; throws `JobdClientError` otherwise. */
export async function send(
  transport: Transport,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<Response> {
  const url = `${transport.baseUrl}${path}${queryString(options.query)}`;
  const headers: Record<string, string> = { ...options.headers };
  if (transport.token) headers.authorization = `Bearer ${transport.token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  let response: Response;
  try {
    response = await transport.fetch(url, {
      method,
      headers,
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal: options.signal ?? null,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new JobdClientError(
      "unavailable",
      `cannot reach jobd at ${transport.baseUrl}: ${reason(error)}`,
      0,
      {
        cause: error,
      },
    );
  }
  if (!response.ok) throw await errorFrom(response);
  return response;
}

/** `send` for JSON answers: returns the parsed body (undefined for 204). */
export async function requestJson<T>(
  transport: Transport,
  method: string,
  path: string,
  options?: RequestOptions,
): Promise<T> {
  const response = await send(transport, method, path, options);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
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

async function errorFrom(response: Response): Promise<JobdClientError> {
  const text = await response.text().catch(() => "");
  let body: { error?: { code?: unknown; message?: unknown } } | undefined;
  try {
    body = JSON.parse(text);
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

/** The useful part of a fetch failure: undici wraps the socket error (ECONNREFUSED…) in `cause`. */
function reason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
