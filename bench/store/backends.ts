/**
 * The stores the benchmark measures: every backend this build can open, SQLite in both sync modes.
 * A backend that `openStore` does not offer (yet) is reported as skipped, not as a failure.
 */
import { type PersistenceConfig, resolvePersistenceConfig } from "../../src/config/persistence.js";
import { openStore } from "../../src/store/create-store.js";
import type { JobStore } from "../../src/store/job-store.js";

/** One measured configuration. */
export interface BenchBackend {
  name: string;
  persistence: Partial<PersistenceConfig>;
}

export const BENCH_BACKENDS: readonly BenchBackend[] = [
  { name: "memory", persistence: { enabled: false } },
  { name: "json", persistence: { enabled: true, backend: "json" } },
  { name: "sqlite-full", persistence: { enabled: true, backend: "sqlite", sqliteSync: "full" } },
  { name: "sqlite-normal", persistence: { enabled: true, backend: "sqlite", sqliteSync: "normal" } },
];

export function findBackend(name: string): BenchBackend {
  const backend = BENCH_BACKENDS.find((candidate) => candidate.name === name);
  if (!backend)
    throw new Error(`unknown backend ${name}; known: ${BENCH_BACKENDS.map((b) => b.name).join(", ")}`);
  return backend;
}

/** Opens `backend` on the data directory `dir` (quietly: warnings are not figures). */
export function openBenchStore(backend: BenchBackend, dir: string): Promise<JobStore> {
  const config = resolvePersistenceConfig({ ...backend.persistence, storagePath: dir });
  return openStore(config, { logger: { warn: () => {} } });
}
