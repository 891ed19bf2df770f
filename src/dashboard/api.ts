/**
 * Calls to jobd's REST API. Every call carries the token; a 401 notifies the app (which asks for the
 * token) and every refusal becomes an `ApiError` holding the server's own `error.message`.
 */
import { authHeaders } from "./token.js";

/** A request the server refused, with its `{error: {code, message}}` body. */
export class ApiError extends Error {
  override readonly name = "ApiError";

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let unauthorizedListener: (error: ApiError) => void = () => {};

/** Who to tell when the server answers 401 (the app shows the token form). */
export function onUnauthorized(listener: (error: ApiError) => void): void {
  unauthorizedListener = listener;
}

/** Turns a non-2xx response into an ApiError, reporting 401s. */
export async function errorFrom(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => null)) as {
    error?: { code?: string; message?: string };
  } | null;
  const code = body?.error?.code ?? `http_${response.status}`;
  const message = body?.error?.message ?? `The server answered ${response.status} ${response.statusText}.`;
  const error = new ApiError(response.status, code, message);
  if (response.status === 401) unauthorizedListener(error);
  return error;
}

/** Sends one request; resolves with the parsed body (undefined for 204), rejects with an ApiError. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json", ...authHeaders() };
  if (body !== undefined) headers["content-type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? null : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, "network", "The jobd server cannot be reached.");
  }
  if (!response.ok) throw await errorFrom(response);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

/** A query string from the set values of `params` (empty ones are left out). */
export function queryString(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}
