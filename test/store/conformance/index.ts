/**
 * The JobStore conformance suite: every backend runs the same tests through a factory.
 *
 *   runJobStoreConformance("sqlite", async () => ({ store, reopen, cleanup }));
 *
 * Each test gets a fresh store from the factory. Tests that need a capability (e.g. `persistent` for
 * reopening) check `store.capabilities` and are skipped with the reason. `JOBD_TEST_BACKENDS`
 * (e.g. `memory,json`) narrows which backends run; unset, all do.
 */
import { describe } from "vitest";
import { claimTests } from "./claim.js";
import { cleanupTests } from "./cleanup.js";
import { type StoreFactory, useStore } from "./context.js";
import { countsTests } from "./counts.js";
import { insertTests } from "./insert.js";
import { queryTests } from "./query.js";
import { reopenTests } from "./reopen.js";
import { specMethodTests } from "./spec-methods.js";
import { transitionTests } from "./transitions.js";
import { updateManyTests } from "./update-many.js";

export type { StoreFactory, StoreFixture } from "./context.js";

/** True unless `JOBD_TEST_BACKENDS` is set and does not name `backend`. */
export function backendSelected(backend: string): boolean {
  const selected = process.env.JOBD_TEST_BACKENDS?.split(",").map((name) => name.trim());
  return !selected || selected.includes(backend);
}

/** Registers the whole suite for the backend `name`, run on stores from `factory`. */
export function runJobStoreConformance(name: string, factory: StoreFactory): void {
  if (!backendSelected(name)) {
    describe.skip(`JobStore conformance: ${name} (not in JOBD_TEST_BACKENDS=${process.env.JOBD_TEST_BACKENDS})`, () => {});
    return;
  }
  describe(`JobStore conformance: ${name}`, () => {
    const ctx = useStore(factory);
    specMethodTests(ctx);
    insertTests(ctx);
    claimTests(ctx);
    transitionTests(ctx);
    updateManyTests(ctx);
    queryTests(ctx);
    countsTests(ctx);
    cleanupTests(ctx);
    reopenTests(ctx);
  });
}
