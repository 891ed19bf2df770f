/**
 * Fastify's request validation with TypeBox's compiler and src/schemas/validate.ts's messages, so the
 * HTTP API and the library say the same thing about the same mistake. Nothing is coerced: a body's
 * `"3"` is not `3`. A query string is text, so its numbers and lists are parsed first, strictly
 * (see `parseQuery`), and then checked like a body.
 */
import type { TSchema } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import type { FastifyRequest, FastifySchemaCompiler } from "fastify";
import { invalid } from "../domain/errors.js";
import { NoBody } from "../schemas/api.js";
import { compileValidator, describeError } from "../schemas/validate.js";

/** The part of a query or params schema `parseQuery` and `parseParams` read. */
interface PartSchema {
  properties?: Record<string, PropertySchema | undefined>;
}
interface PropertySchema {
  type?: string;
  format?: string;
}

/** The `setValidatorCompiler` compiler: `{ value }` when valid, else an `invalid_request` error. */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = TypeCompiler.Compile(schema);
  const prepare =
    httpPart === "querystring"
      ? (q: unknown) => parseQuery(schema as PartSchema, q)
      : httpPart === "params"
        ? (p: unknown) => parseParams(schema as PartSchema, p)
        : (v: unknown) => v;
  return (data: unknown) => {
    const value = prepare(data);
    if (check.Check(value)) return { value };
    const first = check.Errors(value).First();
    return { error: invalid(first ? describeError(first) : `invalid ${httpPart ?? "request"}`) };
  };
};

const checkNoBody = compileValidator(NoBody);

/**
 * The `preValidation` hook of a route that takes no body (retry, cancel, delete): an absent or empty
 * body and `{}` pass, any field is unknown. A hook, not a body schema: the OpenAPI document would show
 * a schema as a required request body.
 */
export async function refuseBody(request: FastifyRequest): Promise<void> {
  if (request.body !== undefined) checkNoBody(request.body);
}

const INTEGER = /^-?\d+$/;
const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * Turns query text into the values the schema describes: `limit=20` → 20 (digits only: `abc`,
 * `1e3` or `2.5` stay text and fail the check), `status=queued,failed` or a repeated `status` → a
 * list. Unknown parameters are kept, so the check rejects them by name.
 */
export function parseQuery(schema: PartSchema, query: unknown): Record<string, unknown> {
  const parsed: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    parsed[name] = parseQueryValue(schema.properties?.[name], raw);
  }
  return parsed;
}

function parseQueryValue(property: PropertySchema | undefined, raw: unknown): unknown {
  const type = property?.type;
  if (type === "array") return (Array.isArray(raw) ? raw : [raw]).flatMap((v) => String(v).split(","));
  if (typeof raw !== "string") return raw;
  if (type === "integer" && INTEGER.test(raw)) return Number(raw);
  if (type === "number" && NUMBER.test(raw)) return Number(raw);
  return lowerUuid(property, raw);
}

/** Path parameters as the schema checks them: only a UUID changes (see `lowerUuid`). */
function parseParams(schema: PartSchema, params: unknown): Record<string, unknown> {
  const entries = Object.entries((params ?? {}) as Record<string, unknown>);
  return Object.fromEntries(entries.map(([name, raw]) => [name, lowerUuid(schema.properties?.[name], raw)]));
}

/** UUIDs are case-insensitive on input; jobd makes and stores them in lowercase. */
function lowerUuid(property: PropertySchema | undefined, raw: unknown): unknown {
  return property?.format === "uuid" && typeof raw === "string" ? raw.toLowerCase() : raw;
}
