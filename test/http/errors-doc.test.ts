/** docs/errors.md has one section per error code of src/domain/errors.ts, with its HTTP status. */
import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { ERROR_STATUS } from "../../src/domain/errors.js";

test("docs/errors.md lists exactly the registry's codes with their statuses", () => {
  const doc = readFileSync(new URL("../../docs/errors.md", import.meta.url), "utf8");
  const sections = [...doc.matchAll(/^## `([a-z_]+)` — (\d{3})$/gm)].map(([, code, status]) => [
    code,
    Number(status),
  ]);
  expect(Object.fromEntries(sections)).toEqual(ERROR_STATUS);
  expect(sections).toHaveLength(Object.keys(ERROR_STATUS).length);
});
