/**
 * Values that become part of a job must be JSON: a handler's return value (its `result`) and a payload
 * given to the library (`enqueue`; a payload that came over HTTP was parsed from JSON). These check
 * strictly — JSON.stringify would silently drop functions and turn NaN or a Date into something else,
 * and only the memory store would keep the original — and name the first offending path, so the
 * error says exactly what to fix.
 */
import type { JsonValue } from "../domain/job.js";

/**
 * The stored form of a return value: `undefined` (a handler that returns nothing) is null, object
 * properties that are `undefined` are dropped (as JSON drops them), anything else not JSON throws.
 */
export function toJsonResult(value: unknown): JsonValue {
  if (value === undefined) return null;
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  const problem = describeNonJson(value, "result");
  if (problem) throw new TypeError(`the handler's return value is not JSON: ${problem}`);
  // A copy, so a handler that keeps mutating its object cannot change the stored result afterwards.
  return copyJson(value as JsonValue);
}

/**
 * A deep copy of a JSON value. The memory and JSON stores keep `payload` and `result` as objects that
 * their jobs share; whatever hands one to user code (a handler, the library's answers and events)
 * hands a copy, so no user code can change a stored job from outside, as on the other stores.
 */
export function copyJson<T extends JsonValue>(value: T): T {
  return value === null || typeof value !== "object" ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** The first non-JSON part of `value` (named from `path`: `payload.when is a Date…`), or null. */
export function describeNonJson(value: unknown, path: string): string | null {
  return findNonJson(value, path, new Set());
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A description of the first non-JSON part of `value`, or null when it is all JSON. */
function findNonJson(value: unknown, path: string, seen: Set<object>): string | null {
  if (value === null || typeof value === "string" || typeof value === "boolean") return null;
  if (typeof value === "number") return Number.isFinite(value) ? null : `${path} is ${value}`;
  if (typeof value !== "object") return `${path} is a ${typeof value}`;
  if (seen.has(value)) return `${path} refers back to itself (a cycle)`;
  if (!Array.isArray(value) && !isPlainObject(value))
    return `${path} is a ${value.constructor?.name ?? "non-plain object"}, not a plain object`;
  seen.add(value);
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [`${path}[${i}]`, v]) : [];
  if (!Array.isArray(value))
    for (const [key, v] of Object.entries(value)) if (v !== undefined) entries.push([`${path}.${key}`, v]);
  for (const [childPath, child] of entries) {
    const problem = child === undefined ? `${childPath} is undefined` : findNonJson(child, childPath, seen);
    if (problem) return problem;
  }
  seen.delete(value);
  return null;
}
