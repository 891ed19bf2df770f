/**
 * Response schemas as the serializer likes them. TypeBox writes `T | null` and a union of literals
 * as `anyOf`, for which fast-json-stringify runs a validator per field and value; the same types
 * written as `type: ["string", "null"]` and `enum` serialize about a third faster and say the same in
 * the OpenAPI 3.1 document.
 */
import type { TSchema } from "@sinclair/typebox";
import { ErrorResponse } from "../schemas/api.js";

type Schema = Record<string, unknown>;

/** A route's `response` map: the given successes plus the error body for 4xx and 5xx. */
export function responses(success: Record<number, TSchema>): Record<string, unknown> {
  const map: Record<string, unknown> = {};
  for (const [status, schema] of Object.entries(success)) map[status] = serializable(schema);
  map["4xx"] = ERROR_BODY;
  map["5xx"] = ERROR_BODY;
  return map;
}

/** Rewrites nullable and literal unions into their flat JSON Schema forms, recursively. */
export function serializable(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(serializable);
  if (schema === null || typeof schema !== "object") return schema;
  const flat = flattenUnion(schema as Schema);
  return Object.fromEntries(Object.entries(flat).map(([key, value]) => [key, serializable(value)]));
}

function flattenUnion(schema: Schema): Schema {
  const options = schema.anyOf as Schema[] | undefined;
  if (!options) return schema;
  const { anyOf: _, ...rest } = schema;
  if (options.every((o) => "const" in o && o.type === options[0]?.type))
    return { ...rest, type: options[0]?.type, enum: options.map((o) => o.const) };
  const others = options.filter((o) => o.type !== "null");
  const only = others[0];
  if (options.length === 2 && others.length === 1 && only && typeof only.type === "string")
    return { ...rest, ...only, type: [only.type, "null"] };
  return schema;
}

const ERROR_BODY = serializable(ErrorResponse);

/**
 * The serializer of a route answering with many jobs (`POST /api/jobs/batch`, 1,000 jobs ≈ 430 KB):
 * JSON.stringify into one UTF-8 Buffer. fast-json-stringify writes the answer piece by piece, and a
 * string answer is measured (Buffer.byteLength) and then encoded again by the socket write; a Buffer is
 * encoded once. The output is the same JSON (the handler sends `toJobJson` objects, nothing more).
 * Server CPU of a batch create, per job: 13.3 → 12.5 µs (medians of interleaved runs).
 */
export const jsonBufferSerializer = () => (data: unknown) =>
  // Fastify sends a Buffer as it is, though its serializer type says string.
  Buffer.from(JSON.stringify(data)) as unknown as string;
