/**
 * The per-test store of the conformance suite: each test gets a fresh store from the backend's factory,
 * closed and cleaned up afterwards.
 */
import { afterEach, beforeEach, type TestContext } from "vitest";
import type { JobStore, StoreCapabilities } from "../../../src/store/job-store.js";

/** What a backend's factory gives the suite for one test. */
export interface StoreFixture {
  store: JobStore;
  /** Opens the same data again; the suite has closed the previous store first. Persistent stores only. */
  reopen?: () => Promise<JobStore>;
  /** Frees what the factory made (files, schemas); called after the suite closed its current store. */
  cleanup: () => Promise<void>;
}

export type StoreFactory = () => Promise<StoreFixture>;

export interface StoreContext {
  /** This test's store (after `reopen`, the reopened one). */
  readonly store: JobStore;
  /** Closes the store and opens its data again; skips the test, saying why, when the backend cannot. */
  reopen(test: TestContext): Promise<JobStore>;
}

/** Skips `test` unless the store declares `capability`; `why` says what the test needs it for. */
export function requireCapability(
  test: TestContext,
  store: JobStore,
  capability: keyof StoreCapabilities,
  why: string,
): void {
  if (!store.capabilities[capability])
    test.skip(`the ${store.backend} store is not ${capability}, and this test needs ${why}`);
}

/** Registers the hooks that give each test of the enclosing `describe` a fresh store. */
export function useStore(factory: StoreFactory): StoreContext {
  let fixture: StoreFixture | undefined;
  let current: JobStore | undefined;
  beforeEach(async () => {
    fixture = await factory();
    current = fixture.store;
  });
  afterEach(async () => {
    await current?.close();
    await fixture?.cleanup();
    fixture = undefined;
    current = undefined;
  });
  return {
    get store(): JobStore {
      if (!current) throw new Error("the conformance store is used outside a test");
      return current;
    },
    async reopen(test: TestContext): Promise<JobStore> {
      const store = this.store;
      requireCapability(test, store, "persistent", "jobs to survive a close");
      if (!fixture?.reopen) return test.skip(`the ${store.backend} factory gives no reopen()`);
      await store.close();
      current = await fixture.reopen();
      return current;
    },
  };
}
