/**
 * Checks a value against a wire schema with TypeBox's compiler and turns the first problem into a
 * 400 `invalid_request` whose message names the field. The library uses it for `enqueue`; the HTTP
 * server uses the same compiler for every route, so both say the same thing about the same mistake.
 */
import { FormatRegistry, type Static, type TSchema } from "@sinclair/typebox";
import { TypeCompiler, type ValueError } from "@sinclair/typebox/compiler";
import { invalid } from "../domain/errors.js";

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
if (!FormatRegistry.Has("date-time")) FormatRegistry.Set("date-time", isRfc3339);
if (!FormatRegistry.Has("uuid")) FormatRegistry.Set("uuid", (v) => UUID.test(v));

/**
 * An RFC 3339 timestamp whose date exists: `Date.parse` rolls `2026-02-30` over to March 2 and
 * `T24:00` to the next day, so the day is checked against its month and the hour is 00–23.
 */
function isRfc3339(value: string): boolean {
  const match = RFC3339.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth = month === 2 ? (leap ? 29 : 28) : DAYS_IN_MONTH[month - 1];
  return daysInMonth !== undefined && day >= 1 && day <= daysInMonth;
}

/** `/max_attempts` → `max_attempts`, `/jobs/3/type` → `jobs[3].type`. */
export function fieldName(path: string, root?: string): string {
  const parts = path.split("/").filter(Boolean);
  const name = parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), "");
  return root ? (name ? `${root}.${name}` : root) : name || "body";
}

/** One readable sentence for a TypeBox error, naming the field. */
export function describeError(error: ValueError, root?: string): string {
  const field = fieldName(error.path, root);
  const schema = error.schema as Record<string, unknown>;
  if (error.message.startsWith("Unexpected property")) return `unknown field "${field}"`;
  if (error.message.startsWith("Expected required property")) return `"${field}" is required`;
  if (schema.pattern && typeof error.value === "string")
    return `"${field}" must match ${String(schema.pattern)} (1–200 letters, digits, "_", ".", ":" or "-")`;
  if (schema.format === "date-time") return `"${field}" must be an RFC 3339 timestamp`;
  if (schema.format === "uuid") return `"${field}" must be a UUID`;
  const got = `(got ${preview(error.value)})`;
  if (typeof error.value === "number" && error.value > (schema.maximum as number))
    return `"${field}" must be ≤ ${schema.maximum} ${got}`;
  if (typeof error.value === "number" && error.value < (schema.minimum as number))
    return `"${field}" must be ≥ ${schema.minimum} ${got}`;
  const choices = literalChoices(schema);
  if (choices) return `"${field}" must be one of ${choices.join(", ")} ${got}`;
  const expected = expectation(schema);
  if (expected) return `"${field}" must be ${expected} ${got}`;
  return `"${field}" ${error.message.charAt(0).toLowerCase()}${error.message.slice(1)} ${got}`;
}

const TYPE_NAMES: Record<string, string> = {
  integer: "an integer",
  number: "a number",
  string: "a string",
  boolean: "true or false",
  object: "an object",
  array: "a list",
  null: "null",
};

/** What a schema accepts, in words: `a string of 1–200 characters or null`; null if it cannot say. */
function expectation(schema: Record<string, unknown>): string | null {
  const options = schema.anyOf as Record<string, unknown>[] | undefined;
  if (options) {
    const parts = options.map(expectation);
    return parts.every(Boolean) ? parts.join(" or ") : null;
  }
  const name = TYPE_NAMES[schema.type as string];
  if (!name) return null;
  const range = (min: unknown, max: unknown, unit: string) =>
    min === undefined && max === undefined ? "" : ` of ${min ?? 0}–${max ?? "∞"} ${unit}`;
  if (schema.type === "string") return name + range(schema.minLength, schema.maxLength, "characters");
  if (schema.type === "array") return name + range(schema.minItems, schema.maxItems, "items");
  if (schema.minimum !== undefined && schema.maximum !== undefined)
    return `${name} from ${schema.minimum} to ${schema.maximum}`;
  if (schema.minimum !== undefined) return `${name} ≥ ${schema.minimum}`;
  if (schema.maximum !== undefined) return `${name} ≤ ${schema.maximum}`;
  return name;
}

/** The values of a union of literals (`JobStatusSchema`), or null for any other schema. */
function literalChoices(schema: Record<string, unknown>): unknown[] | null {
  const options = schema.anyOf as Record<string, unknown>[] | undefined;
  if (!options?.every((o) => "const" in o)) return null;
  return options.map((o) => o.const);
}

function preview(value: unknown): string {
  // A list is described by its length: a 10,001-job batch would otherwise be stringified whole (up to
  // 64 MiB) to show 37 characters that say nothing of its size.
  if (Array.isArray(value)) return `a list of ${value.length.toLocaleString("en")} items`;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** Compiles once; the returned function throws `invalid_request` or returns the value, typed. */
export function compileValidator<T extends TSchema>(schema: T, root?: string) {
  const check = TypeCompiler.Compile(schema);
  return (value: unknown): Static<T> => {
    if (check.Check(value)) return value;
    const first = check.Errors(value).First();
    throw invalid(first ? describeError(first, root) : "invalid request");
  };
}
