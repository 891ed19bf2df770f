/** Whole numbers given as text on the command line or in the environment. */
import { UsageError } from "./usage-error.js";

/**
 * `value` as an integer within [min, max], written in plain decimal digits (an optional `-`); anything
 * else (`1.5`, `abc`, `""`, `" 80"`, `1e3`, out of range) is a UsageError naming `label` (the flag or env
 * var) and what was given.
 */
export function integerValue(
  value: string | number | boolean,
  label: string,
  min = Number.MIN_SAFE_INTEGER,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const text = String(value);
  const number = /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (Number.isSafeInteger(number) && number >= min && number <= max) return number;
  const range = min === Number.MIN_SAFE_INTEGER ? "" : ` from ${min} to ${max}`;
  throw new UsageError(`${label} must be an integer${range} (got "${String(value)}")`);
}
