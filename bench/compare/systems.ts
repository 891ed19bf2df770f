/**
 * Every compared system, by id, in report order. Adapters load lazily, so a worker child imports only
 * its own system's modules (W4 measures from process start).
 */
import type { BenchSystem } from "./adapter.js";

const LOADERS: Record<string, () => Promise<BenchSystem>> = {
  "jobd-memory": async () => (await import("./adapters/jobd-library.js")).jobdLibrary.memory,
  "jobd-json": async () => (await import("./adapters/jobd-library.js")).jobdLibrary.json,
  "jobd-sqlite-full": async () => (await import("./adapters/jobd-library.js")).jobdLibrary.sqliteFull,
  "jobd-sqlite-normal": async () => (await import("./adapters/jobd-library.js")).jobdLibrary.sqliteNormal,
  "jobd-postgres": async () => (await import("./adapters/jobd-library.js")).jobdLibrary.postgres,
  "jobd-http-sqlite": async () => (await import("./adapters/jobd-http.js")).jobdHttp,
  plainjob: async () => (await import("./adapters/plainjob.js")).plainjob,
  bullmq: async () => (await import("./adapters/bullmq.js")).bullmq,
  "pg-boss": async () => (await import("./adapters/pg-boss.js")).pgBoss,
  "graphile-worker": async () => (await import("./adapters/graphile-worker.js")).graphileWorker,
};

/** All system ids, in report order. */
export const SYSTEM_IDS = Object.keys(LOADERS);

/** The system every ratio is taken against. */
export const BASELINE_SYSTEM_ID = "jobd-sqlite-full";

/** Loads one system's adapter; throws naming the known ids when the id is unknown. */
export async function loadSystem(id: string): Promise<BenchSystem> {
  const loader = LOADERS[id];
  if (!loader) throw new Error(`unknown system "${id}"; known: ${SYSTEM_IDS.join(", ")}`);
  return loader();
}
