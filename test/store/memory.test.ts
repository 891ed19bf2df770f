/** MemoryJobStore: the conformance suite, plus what only memory promises (nothing survives). */
import { describe, expect, test } from "vitest";
import { MemoryJobStore } from "../../src/store/memory/memory-job-store.js";
import { makeJob } from "../support/job-factory.js";
import { runJobStoreConformance } from "./conformance/index.js";

runJobStoreConformance("memory", async () => ({
  store: await MemoryJobStore.open(),
  cleanup: async () => {},
}));

describe("MemoryJobStore", () => {
  test("declares durability none; a second store shares nothing with the first", async () => {
    const first = await MemoryJobStore.open();
    await first.create(makeJob());
    const second = await MemoryJobStore.open();
    expect([second.backend, second.durability, second.capabilities]).toEqual([
      "memory",
      "none",
      { persistent: false, singleNode: true },
    ]);
    expect(await second.list()).toEqual([]);
  });
});
