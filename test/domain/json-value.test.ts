/** JSON values of jobs: the one-walk copy that also checks, and the message naming what is not JSON. */
import { describe, expect, test } from "vitest";
import { copyIfJson, describeNonJson, NOT_JSON, toJsonResult } from "../../src/domain/json-value.js";

describe("copyIfJson", () => {
  test("a deep copy that shares nothing with the original; undefined properties dropped as JSON drops them", () => {
    const shared = { tag: "x" };
    const value = { list: [1, "a", true, null, shared, shared], nested: { gone: undefined, kept: 0 } };
    const copy = copyIfJson(value) as unknown as typeof value;
    expect(copy).toEqual({ list: [1, "a", true, null, { tag: "x" }, { tag: "x" }], nested: { kept: 0 } });
    expect(copy.list).not.toBe(value.list);
    expect(copy.list[4]).not.toBe(shared);
    expect("gone" in copy.nested).toBe(false);
  });

  test("an own __proto__ key (JSON.parse makes one) stays data and does not become the prototype", () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}}');
    const copy = copyIfJson(value) as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(["__proto__"]);
    expect((copy as { polluted?: boolean }).polluted).toBeUndefined();
  });

  test.each([
    ["NaN", { n: Number.NaN }, "payload.n is NaN"],
    ["Infinity", [Number.POSITIVE_INFINITY], "payload[0] is Infinity"],
    ["a Date", { at: new Date(0) }, "payload.at is a Date, not a plain object"],
    ["a function", { f: () => 1 }, "payload.f is a function"],
    ["undefined in a list", [1, undefined], "payload[1] is undefined"],
    ["a bigint", { big: 1n }, "payload.big is a bigint"],
  ])("%s is not JSON, and the description names its path", (_, value, described) => {
    expect(copyIfJson(value)).toBe(NOT_JSON);
    expect(describeNonJson(value, "payload")).toBe(described);
  });

  test("a cycle is not JSON; the same object twice (no cycle) is", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(copyIfJson(cyclic)).toBe(NOT_JSON);
    expect(describeNonJson(cyclic, "payload")).toBe("payload.self refers back to itself (a cycle)");
  });
});

describe("toJsonResult", () => {
  test("undefined is null; anything else not JSON throws, naming the path under result", () => {
    expect(toJsonResult(undefined)).toBeNull();
    expect(() => toJsonResult({ when: new Date(0) })).toThrow(
      "the handler's return value is not JSON: result.when is a Date, not a plain object",
    );
  });
});
